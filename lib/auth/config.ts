import type { NextAuthConfig } from "next-auth";
import type { Role } from "@/db/schema/tenants";

// The database-free part of the auth config; lib/auth/index.ts adds the credentials provider and
// the membership checks. (proxy.ts reads the session cookie itself, see there.)

const PUBLIC_PATHS = ["/login", "/thanks"];

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
    authorized({ auth, request }) {
      const path = request.nextUrl.pathname;
      if (PUBLIC_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) return true;
      return Boolean(auth?.user);
    },
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.tenantId = user.tenantId;
        token.role = user.role;
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = String(token.uid ?? "");
      session.tenantId = (token.tenantId as string | undefined) ?? null;
      session.role = (token.role as Role | undefined) ?? null;
      return session;
    },
  },
} satisfies NextAuthConfig;
