import type { Hl7Contact } from "../ssmix2/contacts";
import { relationship } from "../../terminology/contact-codes";
import { compact } from "./write-common";

/**
 * The patient's telephones and people to contact, as the facilities registered them (SS-MIX2 ADT-00:
 * PID-13/14, NK1), written as JP_Patient's telecom and contact. Pure: lib/record decides which rows a
 * reader may be given (lib/access contactKinds); what it is not given is simply not written.
 */

const REPRESENTATION = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";
/** R5's Patient.contact.additionalName, as R4 carries it: R4 allows one name per contact, JP Core writes kanji and kana as two */
const ADDITIONAL_NAME = "http://hl7.org/fhir/5.0/StructureDefinition/extension-Patient.contact.additionalName";
/** JP Core's PatientContactRelationship (HL7 v2 table 0131): the contact's role */
const CONTACT_ROLE = "http://terminology.hl7.org/CodeSystem/v2-0131";
/** HL7 v2 table 0063, the code NK1-3 carries (SPO 配偶者, CHD 子 …) */
const RELATIONSHIP = "http://terminology.hl7.org/CodeSystem/v2-0063";

/** A telephone's use (XTN-2, HL7 0201) as ContactPoint.use; none for a use FHIR has no word for (an answering service). */
const PHONE_USE: Readonly<Record<string, "home" | "work">> = { PRN: "home", ORN: "home", VHN: "home", WPN: "work" };
/** The relatives among HL7 0063's codes: a next of kin (v2-0131 N); an employer is E; anyone else is an emergency contact (C). */
const KIN = new Set(["SPO", "DOM", "CHD", "SON", "DAU", "PAR", "MTH", "FTH", "SIB", "BRO", "SIS", "GRP", "GCH", "EXF"]);
const roleOf = (code: string | null) => (code && KIN.has(code) ? { code: "N", display: "Next-of-Kin" } : code === "EMR" ? { code: "E", display: "Employer" } : { code: "C", display: "Emergency Contact" });

type Telecom = { system: "phone" | "pager"; value: string; use?: "home" | "work" };
const phone = (value: string, use: string | null): Telecom => (use === "BPN" ? { system: "pager", value } : compact({ system: "phone" as const, value, use: use ? PHONE_USE[use] : undefined }));

/** A name as sent ("family given", or one word): JP Core's kanji (IDE) or kana (SYL) HumanName, split only where the sender split it. */
function humanName(representation: "IDE" | "SYL", name: string) {
  const parts = name.split(" ");
  return compact({
    extension: [{ url: REPRESENTATION, valueCode: representation }],
    text: name,
    family: parts.length === 2 ? parts[0] : undefined,
    given: parts.length === 2 ? [parts[1]!] : undefined,
  });
}

/** "〒420-0001 静岡県…" (contacts.ts writes the postal code so) as JP Core's Address: the code apart, the rest as text. */
function address(line: string) {
  const m = /^〒(\d{3})-?(\d{4})\s*(.*)$/.exec(line);
  return m ? compact({ use: "home", text: m[3] || undefined, postalCode: `${m[1]}-${m[2]}` }) : { use: "home", text: line };
}

/** One NK1 person (or the number PID-13 marked for emergencies, EMR) as a Patient.contact. */
function contactOf(c: Hl7Contact) {
  const kanji = c.name ? humanName("IDE", c.name) : null;
  const kana = c.nameKana ? humanName("SYL", c.nameKana) : null;
  const role = roleOf(c.code);
  const named = c.code ? relationship(c.code, null, "ja") : null;
  return compact({
    // the kana beside the kanji; alone, the kana is the name
    extension: kanji && kana ? [{ url: ADDITIONAL_NAME, valueHumanName: kana }] : undefined,
    relationship: [
      { coding: [{ system: CONTACT_ROLE, code: role.code, display: role.display }] },
      ...(c.code || c.text ? [compact({ coding: c.code ? [compact({ system: RELATIONSHIP, code: c.code, display: named && named !== c.code ? named : undefined })] : undefined, text: c.text ?? named ?? undefined })] : []),
    ],
    name: kanji ?? kana,
    telecom: [...(c.phone ? [phone(c.phone, "PRN")] : []), ...(c.workPhone ? [phone(c.workPhone, "WPN")] : [])],
    address: c.address ? address(c.address) : undefined,
  });
}

/** The emergency number of PID-13 (XTN-2 EMR): whose it is is not said, so it is a contact for emergencies, not the patient's own line. */
const emergencyNumber = (value: string) => ({ relationship: [{ coding: [{ system: CONTACT_ROLE, code: "C", display: "Emergency Contact" }], text: "緊急連絡先" }], telecom: [{ system: "phone", value }] });

/**
 * Patient.telecom (the patient's own numbers, and an NK1 that names the patient themselves, SEL) and
 * Patient.contact (each NK1 person; PID-13's emergency number), every facility's in turn. A number or
 * a contact two facilities registered alike is written once.
 */
export function writeTelecomAndContacts(rows: readonly Hl7Contact[]): { telecom: Telecom[]; contact: Record<string, unknown>[] } {
  const telecom = new Map<string, Telecom>();
  const contact = new Map<string, Record<string, unknown>>();
  const addPhone = (t: Telecom) => telecom.set(`${t.system}|${t.use ?? ""}|${t.value}`, t);
  const addContact = (c: Record<string, unknown>) => contact.set(JSON.stringify(c), c);
  for (const r of rows) {
    if (r.kind === "PHONE" && r.phone) {
      if (r.code === "EMR") addContact(emergencyNumber(r.phone));
      else addPhone(phone(r.phone, r.code));
    } else if (r.kind === "NEXT_OF_KIN" && r.code === "SEL") {
      // the patient named as their own contact: their numbers, not a second person
      if (r.phone) addPhone(phone(r.phone, "PRN"));
      if (r.workPhone) addPhone(phone(r.workPhone, "WPN"));
    } else if (r.kind === "NEXT_OF_KIN" && (r.name || r.nameKana || r.phone || r.workPhone || r.address)) addContact(contactOf(r));
  }
  return { telecom: [...telecom.values()], contact: [...contact.values()] };
}
