import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { auditLog, memberships, tenants, users, type Role } from "@/db/schema";
import { withScope, type Tx } from "@/db/tenant";
import { AppError, pgErrorCode } from "@/lib/errors";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import type { TTenantCreate, TUserCreate } from "@/lib/validators/tenants";
import { createDefaultStages } from "./pipeline";

/** Resolve a slug to a tenant id (admin paths only: the CLI). */
export async function getTenantIdBySlug(slug: string): Promise<string> {
  const row = await withScope({ tenantSlug: slug }, (tx) =>
    tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug)).limit(1),
  );
  if (!row[0]) throw new AppError("not_found", `No tenant with slug "${slug}"`);
  return row[0].id;
}

/**
 * Add a login to the tenant: a new user, or — when the e-mail already has a login (another tenant)
 * and the password matches it — a membership for that user. The transaction must be bound to the
 * tenant and to the e-mail (login lookup) so the existing user row is visible.
 */
async function addMember(
  tx: Tx,
  tenantId: string,
  input: { email: string; password: string; role: Role; name?: string },
): Promise<{ userId: string; created: boolean }> {
  const existing = await tx.select().from(users).where(eq(users.email, input.email)).limit(1);
  let userId: string;
  let created = false;
  if (existing[0]) {
    if (!(await verifyPassword(existing[0].passwordHash, input.password))) {
      throw new AppError("email_taken", `${input.email} already has a LeadFlow login; give its current password to add it to this tenant`, {
        issues: [{ path: "email", message: "already registered" }],
      });
    }
    userId = existing[0].id;
    const already = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
    if (already[0]) throw new AppError("conflict", `${input.email} is already a member of this tenant`, { issues: [{ path: "email", message: "already a member" }] });
  } else {
    userId = randomUUID();
    created = true;
    // No RETURNING: the row becomes visible to this transaction only once the membership exists.
    await tx.insert(users).values({
      id: userId,
      email: input.email,
      name: input.name ?? input.email.split("@")[0] ?? "",
      passwordHash: await hashPassword(input.password),
      lastTenantId: tenantId,
    });
  }
  await tx.insert(memberships).values({ tenantId, userId, role: input.role });
  return { userId, created };
}

export async function createTenant(input: TTenantCreate): Promise<{ tenantId: string; slug: string; ownerUserId: string }> {
  const tenantId = randomUUID();
  try {
    return await withScope({ tenantId, loginEmail: input.ownerEmail }, async (tx) => {
      await tx.insert(tenants).values({ id: tenantId, name: input.name, slug: input.slug, locale: input.locale });
      await createDefaultStages(tx, tenantId);
      const { userId } = await addMember(tx, tenantId, {
        email: input.ownerEmail,
        password: input.ownerPassword,
        role: "owner",
        name: input.ownerName,
      });
      await tx.insert(auditLog).values({ tenantId, actorUserId: userId, action: "tenant.create", entity: "tenant", entityId: tenantId, data: { slug: input.slug } });
      return { tenantId, slug: input.slug, ownerUserId: userId };
    });
  } catch (e) {
    if (pgErrorCode(e) === "23505") {
      throw new AppError("slug_taken", `The slug "${input.slug}" is already taken`, { issues: [{ path: "slug", message: "already taken" }] });
    }
    throw e;
  }
}

export async function createUser(input: TUserCreate, actorUserId?: string): Promise<{ userId: string; tenantId: string; role: Role }> {
  const tenantId = await getTenantIdBySlug(input.tenantSlug);
  try {
    return await withScope({ tenantId, loginEmail: input.email }, async (tx) => {
      const { userId } = await addMember(tx, tenantId, input);
      await tx.insert(auditLog).values({ tenantId, actorUserId: actorUserId ?? null, action: "user.create", entity: "user", entityId: userId, data: { email: input.email, role: input.role } });
      return { userId, tenantId, role: input.role };
    });
  } catch (e) {
    if (pgErrorCode(e) === "23505") {
      throw new AppError("email_taken", `${input.email} is already registered`, { issues: [{ path: "email", message: "already registered" }] });
    }
    throw e;
  }
}

export type MemberRow = { userId: string; email: string; name: string; role: Role; createdAt: Date };

/** The tenant's active members (who can take leads); Settings → Users lists everyone (`findTenantMembers`). */
export async function findMembers(tx: Tx, tenantId: string): Promise<MemberRow[]> {
  return tx
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), isNull(memberships.deactivatedAt)))
    .orderBy(users.email);
}
