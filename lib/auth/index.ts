import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { and, eq, isNull } from "drizzle-orm";
import { memberships, tenants, users, type Role } from "@/db/schema";
import { withLoginLookup, withUser } from "@/db/tenant";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/http/request";
import { ZLoginSchema } from "@/lib/validators/auth";
import { authConfig } from "./config";
import { dummyHash, verifyPassword } from "./password";
import { loginBlockedFor, recordLoginFailure, recordLoginSuccess } from "./throttle";

class ThrottledSignin extends CredentialsSignin {
  code = "throttled";
}

export type TenantChoice = { tenantId: string; name: string; slug: string; role: Role; timezone: string; available: boolean };

/** The tenants a user belongs to (their own cross-tenant view); a deactivated membership is no way in. */
export async function findUserTenants(userId: string): Promise<TenantChoice[]> {
  return withUser(userId, (tx) =>
    tx
      .select({ tenantId: tenants.id, name: tenants.name, slug: tenants.slug, role: memberships.role, timezone: tenants.timezone, available: memberships.available })
      .from(memberships)
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .where(and(eq(memberships.userId, userId), isNull(memberships.deactivatedAt)))
      .orderBy(tenants.name),
  );
}

export async function getMembershipRole(userId: string, tenantId: string): Promise<Role | null> {
  const rows = await withUser(userId, (tx) =>
    tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), eq(memberships.tenantId, tenantId), isNull(memberships.deactivatedAt)))
      .limit(1),
  );
  return rows[0]?.role ?? null;
}

/** Whether the user still signs in with an invite's one-time password (the app sends them to /password first). */
export async function passwordChangeRequired(userId: string): Promise<boolean> {
  const rows = await withUser(userId, (tx) => tx.select({ must: users.mustChangePassword }).from(users).where(eq(users.id, userId)).limit(1));
  return rows[0]?.must ?? false;
}

export const { handlers, auth, signIn, signOut, unstable_update } = NextAuth({
  ...authConfig,
  secret: env.AUTH_SECRET,
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const parsed = ZLoginSchema.safeParse(raw);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        const ip = request ? clientIp(request.headers) : "unknown";
        if ((await loginBlockedFor(email, ip)) > 0) throw new ThrottledSignin();

        const [user] = await withLoginLookup(email, (tx) => tx.select().from(users).where(eq(users.email, email)).limit(1));
        const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
        if (!user || !ok) {
          await recordLoginFailure(email, ip);
          return null;
        }
        const choices = await findUserTenants(user.id);
        if (choices.length === 0) {
          await recordLoginFailure(email, ip);
          return null;
        }
        await recordLoginSuccess(email);
        const active = choices.find((c) => c.tenantId === user.lastTenantId) ?? choices[0]!;
        return { id: user.id, email: user.email, name: user.name, tenantId: active.tenantId, role: active.role };
      },
    }),
  ],
  callbacks: {
    ...authConfig.callbacks,
    async jwt({ token, user, trigger, session }) {
      if (user) {
        token.uid = user.id;
        token.tenantId = user.tenantId;
        token.role = user.role;
      }
      // Switching tenant: the client can post anything to the session endpoint, so check the membership.
      if (trigger === "update" && token.uid && session && typeof session === "object" && "tenantId" in session) {
        const tenantId = String((session as { tenantId: unknown }).tenantId);
        const role = await getMembershipRole(String(token.uid), tenantId).catch(() => null);
        if (role) {
          token.tenantId = tenantId;
          token.role = role;
        }
      }
      return token;
    },
  },
});
