/**
 * Where an SS-MIX2 standardized-storage file sits says whose it is and what it is:
 * `<id 1-3>/<id 4-6>/<patient id>/<診療日 YYYYMMDD or ->/<種別>/<file>`, the file named
 * `ID_date_kind_orderNo_timestamp_dept_flag`. Folder and name must agree, every part of it: a file
 * named as another patient's, or another kind's, is rejected with the reason, never filed by either.
 * Pure: a relative path in, the file's key out.
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
  if (parts.length !== 6) return fail("PATH_DEPTH", `${parts.length} levels, not 6 (id1-3/id4-6/id/date/kind/file)`);
  const [d1, d2, folderId, folderDate, folderKind, file] = parts as [string, string, string, string, string, string];
  const name = file.split("_");
  if (name.length !== 7) return fail("FILE_NAME_PARTS", `${file}: ${name.length} parts, not 7 (ID_date_kind_orderNo_timestamp_dept_flag)`);
  const [id, date, kind, orderNo, timestamp, dept, flag] = name as [string, string, string, string, string, string, string];
  if (folderId.slice(0, 3) !== d1 || folderId.slice(3, 6) !== d2) return fail("PATIENT_FOLDER", `${d1}/${d2} is not the folder of patient ${folderId}`);
  if (id !== folderId) return fail("ID_MISMATCH", `file names patient ${id}, folder is patient ${folderId}`);
  if (date !== folderDate) return fail("DATE_MISMATCH", `file names date ${date}, folder is ${folderDate}`);
  if (kind !== folderKind) return fail("KIND_MISMATCH", `file names kind ${kind}, folder is ${folderKind}`);
  const iso = /^\d{8}$/.test(date) ? hl7Date(date) : null;
  if (date !== "-" && !iso) return fail("BAD_DATE", `${date} is not a date YYYYMMDD`);
  if (!/^[A-Z]{3}(-\d{2})?$/.test(kind)) return fail("BAD_KIND", `${kind} is not a kind like OMP-01 or OMD`);
  if (!/^\d{17}$/.test(timestamp)) return fail("BAD_TIMESTAMP", `${timestamp} is not YYYYMMDDHHMMSSfff`);
  if (flag !== "0" && flag !== "1" && flag !== "2") return fail("BAD_FLAG", `condition flag ${flag} is not 0, 1 or 2`);
  return {
    ok: true,
    key: {
      patientId: id,
      date: iso,
      kind,
      orderNo: orderNo === NO_ORDER_NUMBER ? null : orderNo,
      timestamp,
      department: dept === "-" ? null : dept,
      flag: Number(flag) as 0 | 1 | 2,
    },
  };
}
