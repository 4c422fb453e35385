/** `url` with its database name replaced by `name` (the server, role and password kept). */
export const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};
