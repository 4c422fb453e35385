/**
 * The bytes of an HL7 v2 file as SS-MIX2 stores them: ISO-2022-JP (JIS X 0208 in escape sequences, the
 * rest ASCII), segments separated by CR. Decoding comes first, and whole: the double-byte runs contain
 * the bytes of | ^ ~ \ &, so splitting raw bytes on delimiters corrupts names.
 *
 * Strict: a byte above 0x7F (Shift_JIS, UTF-8, binary) or a broken escape sequence rejects the file
 * with a reason naming the offset, never mojibake. A file of plain ASCII is ISO-2022-JP too.
 */
export type Decoded = { ok: true; text: string } | { ok: false; reason: DecodeFailure; offset: number };
export type DecodeFailure = "EMPTY" | "NOT_ISO_2022_JP" | "INVALID_ISO_2022_JP";

/** MLLP framing a file sometimes keeps: 0x0B before, 0x1C (and a CR) after the message. */
const START_BLOCK = 0x0b;
const END_BLOCK = 0x1c;

export function decodeHl7Bytes(bytes: Uint8Array): Decoded {
  // a UTF-8 byte-order mark that a Windows tool put before an otherwise 7-bit file carries no text:
  // skipped, and the rest must still be ISO-2022-JP (a UTF-8 file's first kanji is still refused)
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let end = bytes.length;
  while (start < end && bytes[start] === START_BLOCK) start++;
  while (end > start && (bytes[end - 1] === END_BLOCK || bytes[end - 1] === 0x0d || bytes[end - 1] === 0x0a)) end--;
  if (end <= start) return { ok: false, reason: "EMPTY", offset: 0 };
  const body = bytes.subarray(start, end);
  const high = body.findIndex((b) => b > 0x7f);
  if (high >= 0) return { ok: false, reason: "NOT_ISO_2022_JP", offset: start + high };
  try {
    return { ok: true, text: new TextDecoder("iso-2022-jp", { fatal: true }).decode(body) };
  } catch {
    return { ok: false, reason: "INVALID_ISO_2022_JP", offset: start + firstBadEscape(body) };
  }
}

/** Where a broken escape sequence starts (for the message): the first ESC not followed by a known one. */
function firstBadEscape(b: Uint8Array): number {
  const known = [
    [0x28, 0x42], // ESC ( B  ASCII
    [0x28, 0x4a], // ESC ( J  JIS X 0201 Roman
    [0x24, 0x40], // ESC $ @  JIS C 6226-1978
    [0x24, 0x42], // ESC $ B  JIS X 0208
    [0x28, 0x49], // ESC ( I  half-width katakana (decoded by WHATWG, though SS-MIX2 does not use it)
  ];
  for (let i = 0; i < b.length; i++) {
    if (b[i] !== 0x1b) continue;
    if (!known.some(([x, y]) => b[i + 1] === x && b[i + 2] === y)) return i;
  }
  return 0;
}
