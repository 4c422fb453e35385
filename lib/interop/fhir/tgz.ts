/**
 * A small reader of gzipped tar archives (the NPM-style FHIR packages), kept to what those packages use.
 *
 * Why our own: the JP Core / JP-CLINS packages are CC BY-ND and must be read in place, never extracted
 * into the project, and no tar library is a dependency. node:zlib gunzips; the tar format (POSIX ustar,
 * with the pax and GNU long-name records that npm-style packers may write) is simple enough to walk.
 */

import { gunzipSync } from "node:zlib";

export interface TarEntry {
  /** the path inside the archive, e.g. "package/StructureDefinition-JP-Patient-eCS.json" */
  name: string;
  data: Buffer;
}

const BLOCK = 512;

function cString(buf: Buffer, start: number, length: number): string {
  const slice = buf.subarray(start, start + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end === -1 ? slice.length : end).toString("utf8");
}

function octal(buf: Buffer, start: number, length: number): number {
  const text = cString(buf, start, length).trim();
  return text === "" ? 0 : parseInt(text, 8);
}

/** The `path` record of a pax extended header ("<len> path=<value>\n" lines), if there is one. */
function paxPath(data: Buffer): string | undefined {
  for (const line of data.toString("utf8").split("\n")) {
    const m = /^\d+ path=(.*)$/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * The regular files of a .tgz, in archive order. Throws on an archive that is not gzip or whose headers
 * run past its end: the caller turns that into a "package unreadable" result.
 */
export function readTgz(gz: Buffer): TarEntry[] {
  const tar = gunzipSync(gz);
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    // Two zero blocks end the archive; one is enough to stop.
    if (header.every((b) => b === 0)) break;
    const size = octal(header, 124, 12);
    if (!Number.isFinite(size) || size < 0) throw new Error(`tar: bad size at offset ${offset}`);
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length) throw new Error(`tar: entry at offset ${offset} runs past the end`);
    const data = tar.subarray(dataStart, dataEnd);

    if (type === "x") {
      longName = paxPath(data) ?? longName;
    } else if (type === "L") {
      longName = cString(data, 0, data.length);
    } else {
      const prefix = cString(header, 345, 155);
      const base = cString(header, 0, 100);
      const name = longName ?? (prefix ? `${prefix}/${base}` : base);
      longName = undefined;
      // "0" and NUL are regular files; directories, links and global headers carry no content we read.
      if (type === "0" || type === "\0") entries.push({ name, data: Buffer.from(data) });
    }
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}
