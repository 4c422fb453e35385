/**
 * ISO-2022-JP encoding for generated SS-MIX2 files. Node decodes ISO-2022-JP (TextDecoder) but cannot
 * encode it, and the bench must edit fixture messages as text: splitting the raw bytes on | or ^ would
 * cut JIS X 0208 runs, whose bytes include those delimiters and digits. So the table is the decoder's
 * own, reversed: every JIS X 0208 cell decoded once, and text encodes to exactly what the importer
 * decodes back.
 */
const ESC_JIS = [0x1b, 0x24, 0x42]; // ESC $ B
const ESC_ASCII = [0x1b, 0x28, 0x42]; // ESC ( B

let table: Map<string, [number, number]> | null = null;

function jisTable(): Map<string, [number, number]> {
  if (table) return table;
  const t = new Map<string, [number, number]>();
  const decoder = new TextDecoder("iso-2022-jp");
  for (let a = 0x21; a <= 0x7e; a++) {
    for (let b = 0x21; b <= 0x7e; b++) {
      const ch = decoder.decode(new Uint8Array([...ESC_JIS, a, b, ...ESC_ASCII]));
      if (ch.length === 1 && ch !== "\ufffd" && !t.has(ch)) t.set(ch, [a, b]);
    }
  }
  return (table = t);
}

export function encodeIso2022jp(text: string): Buffer {
  const jis = jisTable();
  const out: number[] = [];
  let inJis = false;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) {
      if (inJis) out.push(...ESC_ASCII);
      inJis = false;
      out.push(code);
      continue;
    }
    const pair = jis.get(ch);
    if (!pair) throw new Error(`U+${code.toString(16)} has no JIS X 0208 code`);
    if (!inJis) out.push(...ESC_JIS);
    inJis = true;
    out.push(pair[0], pair[1]);
  }
  if (inJis) out.push(...ESC_ASCII);
  return Buffer.from(out);
}
