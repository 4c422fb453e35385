import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { authSecret } from "../env";
import { checkLogin } from "./login";
import { now } from "../clock";

/** Idle timeout: a session unused this long ends (the JWT is re-issued on use). */
export const IDLE_SECONDS = 30 * 60;
/** Absolute lifetime of a session, whatever the activity. */
export const ABSOLUTE_SECONDS = 12 * 60 * 60;

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: IDLE_SECONDS, updateAge: 60 },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      name: "Tsunagu",
      credentials: { loginId: { label: "ID", type: "text" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const fwd = req?.headers?.["x-forwarded-for"];
        const ip = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(",")[0]?.trim() ?? null;
        return checkLogin(credentials, ip);
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.loginAt = Math.floor(now().getTime() / 1000);
      }
      return token;
    },
    async session({ session, token }) {
      return { ...session, userId: token.sub, loginAt: token.loginAt };
    },
  },
};
