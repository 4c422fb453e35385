export interface Browser {
  path: string;
  label: string;
}
export function installedBrowser(env?: Record<string, string | undefined>): Browser | null;
export function ensureBrowser(env?: Record<string, string | undefined>): Promise<Browser | null>;
export function unpackNpmChromium(): Promise<Browser | null>;
