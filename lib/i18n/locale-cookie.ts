/** The cookie that holds the reader's chosen language (apart from server.ts, which needs next/headers). */
export const LOCALE_COOKIE = "lang";
