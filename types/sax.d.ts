// The part of sax 1.1.6 (no types of its own) that lib/interop/xml uses.
declare module "sax" {
  export interface Tag {
    name: string;
    attributes: Record<string, string>;
    isSelfClosing: boolean;
  }
  export interface SAXParser {
    line: number;
    column: number;
    onopentag: ((tag: Tag) => void) | null;
    onclosetag: ((name: string) => void) | null;
    ontext: ((text: string) => void) | null;
    oncdata: ((text: string) => void) | null;
    ondoctype: ((doctype: string) => void) | null;
    onerror: ((e: Error) => void) | null;
    write(chunk: string): SAXParser;
    close(): SAXParser;
  }
  export function parser(strict: boolean, opt?: { trim?: boolean; normalize?: boolean; lowercase?: boolean; xmlns?: boolean; position?: boolean; strictEntities?: boolean }): SAXParser;
  const sax: { parser: typeof parser };
  export default sax;
}
