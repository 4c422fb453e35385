import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    userId?: string;
    loginAt?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    loginAt?: number;
  }
}
