import type { NextAuthConfig } from "next-auth";
import type { Role } from "@/db/schema/enums";

// The database-free part of the auth config; lib/auth/index.ts adds the credentials provider, the
// jwt callback and the membership checks. (proxy.ts guards pages by reading the cookie itself.)

export const authConfig = {
  trustHost: true,
  pages: { signIn: "/login" },
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  providers: [],
  logger: {
    // A wrong password is not a server error: keep the log quiet about it.
    error(error) {
      const type = (error as { type?: string }).type;
      if (type === "CredentialsSignin") return;
      console.error("[auth]", error);
    },
    warn() {},
  },
  callbacks: {
    session({ session, token }) {
      session.user.id = String(token.uid ?? "");
      session.tenantId = (token.tenantId as string | undefined) ?? null;
      session.role = (token.role as Role | undefined) ?? null;
      return session;
    },
  },
} satisfies NextAuthConfig;
