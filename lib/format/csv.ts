/**
 * CSV as Excel opens it (RFC 4180 with CRLF): a byte-order mark first, or Excel in Japan reads UTF-8
 * as Shift_JIS and the kana come out as mojibake. A field is quoted when it holds a comma, a quote or
 * a line break. Text that starts like a formula (= + - @, or a tab or CR) gets a leading apostrophe,
 * so a reason typed by a user cannot run as a formula when a privacy officer opens the file.
 */
export const CSV_BOM = "\uFEFF";

export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "";
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (values: readonly (string | number | null | undefined)[]) => `${values.map(csvField).join(",")}\r\n`;
