// The emergency view shows the record too: it leaves the screen the same way (idle limit, refused fetch).
export { default } from "../../patients/[id]/layout";
