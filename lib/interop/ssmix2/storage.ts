/**
 * Where an SS-MIX2 standardized-storage file sits says whose it is and what it is:
 * `<id 1-3>/<id 4-6>/<patient id>/<診療日 YYYYMMDD or ->/<種別>/<file>`, the file named
 * `ID_date_kind_orderNo_timestamp_dept_flag`. Folder and name must agree, every part of it: a file
 * named as another patient's, or another kind's, is rejected with the reason, never filed by either.
 * Pure: a relative path in, the file's key out.
 *
 * The extended storage (拡張ストレージ) has one level more: the 種別 folder is a document kind
 * (`L-OBSERVATIONS^OBSERVATIONS^99ZL01`, `^退院時サマリー^^18842-5^退院時サマリー^LN`) and holds content
 * folders named `ID_date_kind_key_timestamp[_dept]_flag`, each with its 主文書ファイル (main_document.hl7,
 * or a CDA document) and what goes with it (images, style sheets). The NHO's specification names
 * the 診療科 part and its own samples leave it out, so both are read. Timestamps have 14–17 digits in
 * both storages (the specification says 17; NHO's samples have 15), compared as 17 (right-padded).
 */

import { hl7Date } from "../hl7v2/datetime";

export interface StorageKey {
  patientId: string;
  /** 診療日 as YYYY-MM-DD, or null for "-" (ADT-00, allergies, diagnoses: not of one day) */
  date: string | null;
  /** 種別 (data kind), e.g. ADT-00, OMP-01, OML-11 */
  kind: string;
  /** null for 999999999999999, the specification's "no order number" */
  orderNo: string | null;
  /** when the file was made: YYYYMMDDHHMMSSfff, compared as text (supersession) */
  timestamp: string;
  /** 診療科 code, or null for "-" */
  department: string | null;
  /** 1 current, 2 superseded by a newer file of the same key, 0 deletes what the key names */
  flag: 0 | 1 | 2;
  /** extended storage: the file's name inside its content folder (main_document.hl7, an image…) */
  contentFile?: string;
}

export type StorageFailure =
  | "PATH_DEPTH"
  | "FILE_NAME_PARTS"
  | "PATIENT_FOLDER"
  | "ID_MISMATCH"
  | "DATE_MISMATCH"
  | "KIND_MISMATCH"
  | "BAD_DATE"
  | "BAD_KIND"
  | "BAD_TIMESTAMP"
  | "BAD_FLAG";

export type StorageParse = { ok: true; key: StorageKey } | { ok: false; reason: StorageFailure; detail: string };

export const NO_ORDER_NUMBER = "999999999999999";

const fail = (reason: StorageFailure, detail: string): StorageParse => ({ ok: false, reason, detail });


/** `relative`: the path below the storage root, with / or \ between the parts. */
export function parseStoragePath(relative: string): StorageParse {
  const parts = relative.split(/[\\/]/).filter(Boolean);
  if (parts.length === 7) return parseExtended(parts as Seven);
  if (parts.length !== 6) return fail("PATH_DEPTH", `${parts.length} levels, not 6 (id1-3/id4-6/id/date/kind/file) or, in the extended storage, 7 (…/kind/content folder/file)`);
  const [d1, d2, folderId, folderDate, folderKind, file] = parts as [string, string, string, string, string, string];
  const name = file.split("_");
  if (name.length !== 7) return fail("FILE_NAME_PARTS", `${file}: ${name.length} parts, not 7 (ID_date_kind_orderNo_timestamp_dept_flag)`);
  const [id, date, kind, orderNo, timestamp, dept, flag] = name as [string, string, string, string, string, string, string];
  if (folderId.slice(0, 3) !== d1 || folderId.slice(3, 6) !== d2) return fail("PATIENT_FOLDER", `${d1}/${d2} is not the folder of patient ${folderId}`);
  if (id !== folderId) return fail("ID_MISMATCH", `file names patient ${id}, folder is patient ${folderId}`);
  if (date !== folderDate) return fail("DATE_MISMATCH", `file names date ${date}, folder is ${folderDate}`);
  if (kind !== folderKind) return fail("KIND_MISMATCH", `file names kind ${kind}, folder is ${folderKind}`);
  if (!/^[A-Z]{3}(-\d{2})?$/.test(kind)) return fail("BAD_KIND", `${kind} is not a kind like OMP-01 or OMD`);
  // 17 digits by the specification; NHO's own standard-storage sample has 15, as its extended ones do
  if (!/^\d{14,17}$/.test(timestamp)) return fail("BAD_TIMESTAMP", `${timestamp} is not YYYYMMDDHHMMSS[fff]`);
  return keyOf({ id, date, kind, orderNo, timestamp: timestamp.padEnd(17, "0"), dept, flag });
}

type Seven = [string, string, string, string, string, string, string];

/** A file of the extended storage: its content folder's name must agree with the folders above it. */
function parseExtended([d1, d2, folderId, folderDate, folderKind, content, file]: Seven): StorageParse {
  if (folderId.slice(0, 3) !== d1 || folderId.slice(3, 6) !== d2) return fail("PATIENT_FOLDER", `${d1}/${d2} is not the folder of patient ${folderId}`);
  const [id = "", date = ""] = content.split("_");
  if (id !== folderId) return fail("ID_MISMATCH", `content folder names patient ${id}, folder is patient ${folderId}`);
  if (date !== folderDate) return fail("DATE_MISMATCH", `content folder names date ${date}, folder is ${folderDate}`);
  // the kind may hold anything but the separator's neighbours: compare it whole, then read the rest
  const prefix = `${id}_${date}_${folderKind}_`;
  if (!content.startsWith(prefix)) return fail("KIND_MISMATCH", `content folder ${content} does not name its kind folder ${folderKind}`);
  const rest = content.slice(prefix.length).split("_");
  if (rest.length !== 3 && rest.length !== 4) return fail("FILE_NAME_PARTS", `content folder ${content}: not ID_date_kind_key_timestamp[_dept]_flag`);
  const [orderNo, timestamp, dept, flag] = (rest.length === 4 ? rest : [rest[0], rest[1], "-", rest[2]]) as [string, string, string, string];
  if (!/^\d{14,17}$/.test(timestamp)) return fail("BAD_TIMESTAMP", `${timestamp} is not YYYYMMDDHHMMSS[fff]`);
  const parsed = keyOf({ id, date, kind: folderKind, orderNo, timestamp: timestamp.padEnd(17, "0"), dept, flag });
  return parsed.ok ? { ok: true, key: { ...parsed.key, contentFile: file } } : parsed;
}

/** The key, once the parts agree with their folders: the date and flag checked, "-" and 999… read as none. */
function keyOf(p: { id: string; date: string; kind: string; orderNo: string; timestamp: string; dept: string; flag: string }): StorageParse {
  const iso = /^\d{8}$/.test(p.date) ? hl7Date(p.date) : null;
  if (p.date !== "-" && !iso) return fail("BAD_DATE", `${p.date} is not a date YYYYMMDD`);
  if (p.flag !== "0" && p.flag !== "1" && p.flag !== "2") return fail("BAD_FLAG", `condition flag ${p.flag} is not 0, 1 or 2`);
  return {
    ok: true,
    key: {
      patientId: p.id,
      date: iso,
      kind: p.kind,
      orderNo: p.orderNo === NO_ORDER_NUMBER ? null : p.orderNo,
      timestamp: p.timestamp,
      department: p.dept === "-" ? null : p.dept,
      flag: Number(p.flag) as 0 | 1 | 2,
    },
  };
}
