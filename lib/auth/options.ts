import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { authSecret } from "../env";
import { getDb } from "../db/client";
import { DatabaseInUseError } from "../db/pglite-lock";
import { classifyDatabaseError } from "../db/pressure";
import { now } from "../clock";
import { AccountUnavailableError, checkLogin, InitialPasswordExpiredError } from "./login";
import { clientAddressOf } from "./client-address";
import { ABSOLUTE_SECONDS, endSessions } from "./sessions";
import { auditActorOfUser } from "../audit";

export { IDLE_SECONDS, ABSOLUTE_SECONDS } from "./sessions";

/**
 * The cookie holds a signed token naming a server-side session (lib/auth/sessions). It lives as long
 * as a session may; idle and absolute limits, logout everywhere and deactivation are decided from the
 * database on every request, where the test clock can move them.
 */
export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: ABSOLUTE_SECONDS },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      name: "Tsunagu",
      credentials: { loginId: { label: "ID", type: "text" }, password: { label: "Password", type: "password" }, code: { label: "Code", type: "text" } },
      async authorize(credentials, req) {
        try {
          return await checkLogin(credentials, clientAddressOf(req?.headers));
        } catch (e) {
          // next-auth hands a thrown error's message to the login form as `error`: only our own code
          // goes there; anything else is logged here and the browser gets the one generic refusal.
          if (e instanceof InitialPasswordExpiredError || e instanceof AccountUnavailableError) throw new Error(e.message);
          console.error("login check failed", e);
          // the database could not be reached (or, embedded, another process holds it): not the
          // user's credentials, so not the message that says to check them
          if (e instanceof DatabaseInUseError || classifyDatabaseError(e)) throw new Error("DATABASE_UNAVAILABLE");
          return null;
        }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.sid = (user as { sid?: string }).sid;
      }
      return token;
    },
    // Nothing in the app reads next-auth's session (lib/auth/actor decodes the cookie and checks the
    // server-side session itself), so /api/auth/session says nothing about the user: a cookie whose
    // session has ended (logout, idle) named the user and their session id there (review 5, m5).
    async session({ session }) {
      return { expires: session.expires };
    },
  },
  events: {
    async signOut({ token }) {
      if (!token?.sid || !token.sub) return;
      const db = await getDb();
      const user = await db.user.findUnique({ where: { id: token.sub }, select: { id: true, name: true, profession: true, facilityId: true } });
      if (user) await endSessions(db, { id: token.sid }, "LOGOUT", now(), auditActorOfUser(user));
    },
  },
};
