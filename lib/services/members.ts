import "server-only";
import { randomInt, randomUUID } from "node:crypto";
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { auditLog, memberships, users, type Role } from "@/db/schema";
import type { Tx } from "@/db/tenant";
import { AppError, pgErrorCode } from "@/lib/errors";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { MEMBER_REFUSALS, type TMemberActive, type TMemberInvite, type TMemberInviteResult, type TMemberRole } from "@/lib/validators/members";

// Settings → Users: the owner invites people, changes their roles, deactivates and reactivates
// them. The CLI's `user create` (lib/services/tenants.ts `createUser`) is a different contract:
// it sets a password the operator chose, and adds an existing login only with its password.

/** No 0/O, 1/l/I: read aloud or typed from a screen without mistakes. */
const OTP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

/** A one-time password: 12 characters from the CSPRNG, uniform over the alphabet (~69 bits). */
export function generateOneTimePassword(length = 12): string {
  let out = "";
  for (let i = 0; i < length; i++) out += OTP_ALPHABET[randomInt(OTP_ALPHABET.length)];
  return out;
}

export type MemberListRow = {
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
  deactivatedAt: Date | null;
  pendingPassword: boolean;
};

/** Everyone in the tenant, deactivated members included (Settings → Users). Active first, then by e-mail. */
export async function findTenantMembers(tx: Tx, tenantId: string): Promise<MemberListRow[]> {
  return tx
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      createdAt: memberships.createdAt,
      deactivatedAt: memberships.deactivatedAt,
      pendingPassword: users.mustChangePassword,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(sql`${memberships.deactivatedAt} is not null`, users.email);
}

/**
 * The login with this e-mail, if there is one — in any tenant. The tenant transaction cannot see
 * users of other tenants, so for this one select it also acts as the login lookup for that e-mail
 * (the same narrow policy as `withLoginLookup`), and drops it again at once.
 */
async function findLogin(tx: Tx, email: string): Promise<{ id: string } | undefined> {
  await tx.execute(sql`select set_config('app.login_email', ${email}, true)`);
  try {
    const [row] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
    return row;
  } finally {
    await tx.execute(sql`select set_config('app.login_email', '', true)`);
  }
}

const emailIssue = (message: string) => ({ issues: [{ path: "email", message }] });

/**
 * Invite someone. A new e-mail gets a login with a generated one-time password (returned once,
 * stored only hashed) that must be changed at the first sign-in; an e-mail that already has a
 * login (another tenant) gets a membership only, and keeps its password.
 */
export async function inviteMember(tx: Tx, tenantId: string, input: TMemberInvite, actorUserId: string): Promise<TMemberInviteResult> {
  const existing = await findLogin(tx, input.email);
  let userId: string;
  let oneTimePassword: string | null = null;
  try {
    if (existing) {
      userId = existing.id;
      const [member] = await tx
        .select({ deactivatedAt: memberships.deactivatedAt })
        .from(memberships)
        .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
        .limit(1);
      if (member) {
        throw new AppError("conflict", `${input.email} is already a member of this company`, emailIssue(member.deactivatedAt ? MEMBER_REFUSALS.deactivatedMember : MEMBER_REFUSALS.alreadyMember));
      }
    } else {
      userId = randomUUID();
      oneTimePassword = generateOneTimePassword();
      // No RETURNING: the row becomes visible to this transaction only once the membership exists.
      await tx.insert(users).values({
        id: userId,
        email: input.email,
        name: input.name || (input.email.split("@")[0] ?? ""),
        passwordHash: await hashPassword(oneTimePassword),
        mustChangePassword: true,
        lastTenantId: tenantId,
      });
    }
    await tx.insert(memberships).values({ tenantId, userId, role: input.role });
  } catch (e) {
    // The same e-mail invited twice at once: the second insert meets the first one's row.
    if (pgErrorCode(e) === "23505") throw new AppError("conflict", `${input.email} is already a member of this company`, { ...emailIssue(MEMBER_REFUSALS.alreadyMember), cause: e });
    throw e;
  }
  await tx.insert(auditLog).values({
    tenantId,
    actorUserId,
    action: "member.invite",
    entity: "user",
    entityId: userId,
    data: { email: input.email, role: input.role, newLogin: oneTimePassword !== null },
  });
  return { userId, email: input.email, created: oneTimePassword !== null, oneTimePassword };
}

type MemberState = { role: Role; deactivatedAt: Date | null };

/**
 * Lock the tenant's team for a change (role, deactivation), read the target, and refuse what
 * would leave the company without an active owner. The lock makes two owners demoting each other
 * at once take turns, so the second sees the first one's change.
 */
async function lockMember(tx: Tx, tenantId: string, userId: string, actorUserId: string): Promise<MemberState> {
  if (userId === actorUserId) throw new AppError("forbidden", "You cannot change your own membership", { issues: [{ path: "userId", message: MEMBER_REFUSALS.self }] });
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`members:${tenantId}`}, 0))`);
  const [member] = await tx
    .select({ role: memberships.role, deactivatedAt: memberships.deactivatedAt })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
    .limit(1);
  if (!member) throw new AppError("not_found", "Not a member of this company", { issues: [{ path: "userId", message: MEMBER_REFUSALS.notMember }] });
  return member;
}

async function assertAnotherActiveOwner(tx: Tx, tenantId: string, userId: string): Promise<void> {
  const [other] = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "owner"), isNull(memberships.deactivatedAt), ne(memberships.userId, userId)))
    .limit(1);
  if (!other) throw new AppError("conflict", "The company must keep at least one active owner", { issues: [{ path: "userId", message: MEMBER_REFUSALS.lastOwner }] });
}

/** Give a member another role. Not one's own; never the last active owner's. */
export async function changeMemberRole(tx: Tx, tenantId: string, input: TMemberRole, actorUserId: string): Promise<{ userId: string; role: Role }> {
  const member = await lockMember(tx, tenantId, input.userId, actorUserId);
  if (member.role === input.role) return { userId: input.userId, role: input.role };
  if (member.role === "owner" && !member.deactivatedAt) await assertAnotherActiveOwner(tx, tenantId, input.userId);
  await tx.update(memberships).set({ role: input.role }).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, input.userId)));
  await tx.insert(auditLog).values({ tenantId, actorUserId, action: "member.role", entity: "user", entityId: input.userId, data: { from: member.role, to: input.role } });
  return { userId: input.userId, role: input.role };
}

/**
 * Deactivate or reactivate a member. A deactivated member cannot sign in to this tenant (their
 * open session stops at the next request: every request re-reads the membership), gets no leads
 * from round-robin and cannot be assigned any; leads they had keep their name.
 */
export async function setMemberActive(tx: Tx, tenantId: string, input: TMemberActive, actorUserId: string): Promise<{ userId: string; active: boolean }> {
  const member = await lockMember(tx, tenantId, input.userId, actorUserId);
  const active = member.deactivatedAt === null;
  if (active === input.active) return { userId: input.userId, active };
  if (!input.active && member.role === "owner") await assertAnotherActiveOwner(tx, tenantId, input.userId);
  await tx
    .update(memberships)
    .set({ deactivatedAt: input.active ? null : new Date() })
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, input.userId)));
  await tx.insert(auditLog).values({
    tenantId,
    actorUserId,
    action: input.active ? "member.reactivate" : "member.deactivate",
    entity: "user",
    entityId: input.userId,
    data: { role: member.role },
  });
  return { userId: input.userId, active: input.active };
}

/**
 * The first sign-in's own password: replaces the one-time password (which stops working at once)
 * and clears the flag. Only while the flag is set — otherwise changing a password would need the
 * current one — and never the one-time password itself again.
 */
export async function setOwnPassword(tx: Tx, tenantId: string, userId: string, password: string): Promise<void> {
  const [user] = await tx.select({ hash: users.passwordHash, must: users.mustChangePassword }).from(users).where(eq(users.id, userId)).limit(1);
  if (!user?.must) throw new AppError("forbidden", "No one-time password to replace");
  if (await verifyPassword(user.hash, password)) {
    throw new AppError("validation_error", "Choose a password other than the one-time password", { issues: [{ path: "password", message: MEMBER_REFUSALS.samePassword }] });
  }
  await tx.update(users).set({ passwordHash: await hashPassword(password), mustChangePassword: false, updatedAt: new Date() }).where(eq(users.id, userId));
  await tx.insert(auditLog).values({ tenantId, actorUserId: userId, action: "user.password", entity: "user", entityId: userId, data: { oneTimeReplaced: true } });
}
