import { field, isObject, type Issues, type Node } from "./json";

/** One resource of a Bundle (or the lone resource of a file). */
export interface Entry {
  /** Bundle.entry[i].resource */
  node: Node;
  type: string | null;
  id: string | null;
  fullUrl: string | null;
}

/**
 * Reference resolution inside one file: by fullUrl (urn:uuid:…, how JP-CLINS Bundles link), by
 * Type/id, or "#id" into the holder's contained resources.
 */
export class Resources {
  constructor(readonly entries: readonly Entry[]) {}

  resolve(reference: string, holder: Node, issues: Issues): Node | null {
    if (reference.startsWith("#")) {
      const id = reference.slice(1);
      return issues.objects(field(holder, "contained")).find((c) => isObject(c.v) && c.v.id === id) ?? null;
    }
    const byUrl = this.entries.find((e) => e.fullUrl === reference);
    if (byUrl) return byUrl.node;
    // Type/id, relative or at the end of an absolute URL
    const [type, id] = reference.split("/").slice(-2);
    if (!type || !id || !/^[A-Z][A-Za-z]{0,63}$/.test(type)) return null;
    return this.entries.find((e) => (e.type === type && e.id === id) || (e.fullUrl !== null && e.fullUrl.endsWith(`/${type}/${id}`)))?.node ?? null;
  }

  /** The resource a Reference element points at, or null (absent, unreadable, or not in this file). */
  follow(ref: Node, holder: Node, issues: Issues): Node | null {
    if (!issues.object(ref)) return null;
    const r = issues.string(field(ref, "reference"));
    return r === null ? null : this.resolve(r, holder, issues);
  }
}
