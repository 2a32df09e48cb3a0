import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Session } from "next-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { auditLog, leads, memberships, users } from "@/db/schema";
import { withTenant, withUser } from "@/db/tenant";
import { findUserTenants, getMembershipRole, passwordChangeRequired } from "@/lib/auth";
import { verifyPassword } from "@/lib/auth/password";
import { resolveTenantSession } from "@/lib/auth/session";
import { ZPasswordChangeSchema } from "@/lib/validators/members";
import { callerFor } from "@/test/caller";
import { makeTenant, makeUser, PASSWORD, uniq } from "@/test/factories";
import { autoAssign } from "./assignment";
import { changeMemberRole, generateOneTimePassword, setMemberActive, setOwnPassword } from "./members";

// Settings → Users through the procedures the page calls, and the sign-in consequences of each change.

afterAll(() => closeDb());

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
const asOwner = (t: Tenant) => callerFor({ userId: t.ownerUserId, email: t.ownerEmail }, t.tenantId, "owner");
const sessionOf = (userId: string, tenantId: string) => ({ user: { id: userId, email: "", name: "" }, tenantId, expires: new Date(Date.now() + 3600_000).toISOString() }) as Session;
const userRow = async (userId: string) => (await withUser(userId, (tx) => tx.select().from(users).where(eq(users.id, userId))))[0]!;
const audits = (tenantId: string, entityId: string) => withTenant(tenantId, (tx) => tx.select().from(auditLog).where(eq(auditLog.entityId, entityId)));

async function insertLead(tenantId: string, fields: Partial<typeof leads.$inferInsert> = {}) {
  const id = randomUUID();
  await withTenant(tenantId, (tx) => tx.insert(leads).values({ id, tenantId, channel: "web", name: "Клиент", email: `${id}@example.ru`, emailNorm: `${id}@example.ru`, ...fields }));
  return id;
}

describe("one-time passwords", () => {
  it("are 12 characters of an unambiguous alphabet, different every time", () => {
    const seen = new Set(Array.from({ length: 200 }, () => generateOneTimePassword()));
    expect(seen.size).toBe(200);
    for (const p of seen) expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]{12}$/);
  });
});

describe("inviting", () => {
  let T: Tenant;
  beforeAll(async () => {
    T = await makeTenant("inv");
  });

  it("a new e-mail gets a login with a one-time password that must be changed", async () => {
    const email = `${uniq("new")}@test.local`;
    const r = await asOwner(T).settings.inviteMember({ email: `  ${email.toUpperCase()} `, name: "Анна Смирнова", role: "sales" });
    expect(r).toMatchObject({ email, created: true });
    expect(r.oneTimePassword).toMatch(/^[A-HJ-NP-Za-km-z2-9]{12}$/);
    const user = await userRow(r.userId);
    expect(user).toMatchObject({ email, name: "Анна Смирнова", mustChangePassword: true, lastTenantId: T.tenantId });
    expect(await verifyPassword(user.passwordHash, r.oneTimePassword!)).toBe(true);
    expect((await findUserTenants(r.userId)).map((c) => [c.tenantId, c.role])).toEqual([[T.tenantId, "sales"]]);
    expect(await passwordChangeRequired(r.userId)).toBe(true);
    const [a] = await audits(T.tenantId, r.userId);
    expect(a).toMatchObject({ action: "member.invite", actorUserId: T.ownerUserId, data: { email, role: "sales", newLogin: true } });
    // The list shows them as waiting for their first sign-in.
    const listed = (await asOwner(T).settings.members()).find((m) => m.userId === r.userId);
    expect(listed).toMatchObject({ role: "sales", pendingPassword: true, deactivatedAt: null });
  });

  it("an e-mail with a login elsewhere gets a membership only, and keeps its password", async () => {
    const elsewhere = await makeTenant("inv-else");
    const r = await asOwner(T).settings.inviteMember({ email: elsewhere.ownerEmail, role: "manager" });
    expect(r).toEqual({ userId: elsewhere.ownerUserId, email: elsewhere.ownerEmail, created: false, oneTimePassword: null });
    const user = await userRow(elsewhere.ownerUserId);
    expect(user.mustChangePassword).toBe(false);
    expect(await verifyPassword(user.passwordHash, PASSWORD)).toBe(true);
    const tenants = await findUserTenants(elsewhere.ownerUserId);
    expect(tenants.map((c) => c.tenantId).sort()).toEqual([T.tenantId, elsewhere.tenantId].sort());
    expect(tenants.find((c) => c.tenantId === T.tenantId)?.role).toBe("manager");
    const [a] = await audits(T.tenantId, elsewhere.ownerUserId);
    expect(a).toMatchObject({ action: "member.invite", data: { newLogin: false } });
  });

  it("an existing member, active or not, is a validation error naming email; so is a bad address", async () => {
    const member = await makeUser(T.slug, "sales");
    await expect(asOwner(T).settings.inviteMember({ email: member.email, role: "sales" })).rejects.toMatchObject({
      code: "CONFLICT",
      cause: { issues: [{ path: "email", message: "already a member" }] },
    });
    await asOwner(T).settings.setMemberActive({ userId: member.userId, active: false });
    await expect(asOwner(T).settings.inviteMember({ email: member.email, role: "sales" })).rejects.toMatchObject({
      code: "CONFLICT",
      cause: { issues: [{ path: "email", message: "already a member (deactivated)" }] },
    });
    await expect(asOwner(T).settings.inviteMember({ email: "not-an-email", role: "sales" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(asOwner(T).settings.inviteMember({ email: `${uniq("x")}@test.local`, role: "admin" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("the same new e-mail invited twice at once makes one login", async () => {
    const email = `${uniq("twice")}@test.local`;
    const results = await Promise.allSettled([asOwner(T).settings.inviteMember({ email, role: "sales" }), asOwner(T).settings.inviteMember({ email, role: "sales" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
  });
});

describe("roles", () => {
  it("an owner changes another member's role (audited), never their own", async () => {
    const T = await makeTenant("role");
    const s = await makeUser(T.slug, "sales");
    expect(await asOwner(T).settings.setMemberRole({ userId: s.userId, role: "manager" })).toEqual({ userId: s.userId, role: "manager" });
    expect(await getMembershipRole(s.userId, T.tenantId)).toBe("manager");
    const a = (await audits(T.tenantId, s.userId)).find((x) => x.action === "member.role");
    expect(a).toMatchObject({ action: "member.role", actorUserId: T.ownerUserId, data: { from: "sales", to: "manager" } });
    await expect(asOwner(T).settings.setMemberRole({ userId: T.ownerUserId, role: "manager" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await getMembershipRole(T.ownerUserId, T.tenantId)).toBe("owner");
    await expect(asOwner(T).settings.setMemberRole({ userId: randomUUID(), role: "sales" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("the company keeps an active owner: a second owner can be demoted, the last one cannot", async () => {
    const T = await makeTenant("owners");
    const second = await makeUser(T.slug, "owner");
    await asOwner(T).settings.setMemberRole({ userId: second.userId, role: "manager" });
    // With a stale role (the check of the wrapper passed a moment ago), the service itself refuses.
    await expect(withTenant(T.tenantId, (tx) => changeMemberRole(tx, T.tenantId, { userId: T.ownerUserId, role: "sales" }, second.userId))).rejects.toMatchObject({
      code: "conflict",
      issues: [{ path: "userId", message: "the company must keep an active owner" }],
    });
    // A deactivated owner does not count as the one that stays.
    await asOwner(T).settings.setMemberRole({ userId: second.userId, role: "owner" });
    await asOwner(T).settings.setMemberActive({ userId: second.userId, active: false });
    await expect(withTenant(T.tenantId, (tx) => changeMemberRole(tx, T.tenantId, { userId: T.ownerUserId, role: "sales" }, second.userId))).rejects.toMatchObject({ code: "conflict" });
    expect(await getMembershipRole(T.ownerUserId, T.tenantId)).toBe("owner");
  });

  it("two owners demoting each other at once leave one owner", async () => {
    const T = await makeTenant("duel");
    const b = await makeUser(T.slug, "owner");
    const asB = callerFor(b, T.tenantId, "owner");
    const results = await Promise.allSettled([asOwner(T).settings.setMemberRole({ userId: b.userId, role: "sales" }), asB.settings.setMemberRole({ userId: T.ownerUserId, role: "sales" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const owners = await withTenant(T.tenantId, (tx) => tx.select().from(memberships).where(and(eq(memberships.tenantId, T.tenantId), eq(memberships.role, "owner"))));
    expect(owners).toHaveLength(1);
  });
});

describe("deactivation", () => {
  it("locks the member out of the tenant, out of round-robin and out of new leads; reactivation restores it", async () => {
    const T = await makeTenant("deact");
    const s1 = await makeUser(T.slug, "sales");
    const s2 = await makeUser(T.slug, "sales");
    const theirs = await insertLead(T.tenantId, { assigneeId: s1.userId });
    const free = await insertLead(T.tenantId);
    expect(await resolveTenantSession(sessionOf(s1.userId, T.tenantId))).not.toBeNull();

    expect(await asOwner(T).settings.setMemberActive({ userId: s1.userId, active: false })).toEqual({ userId: s1.userId, active: false });
    // Sign-in and the open session: the tenant is gone at once.
    expect(await findUserTenants(s1.userId)).toEqual([]);
    expect(await resolveTenantSession(sessionOf(s1.userId, T.tenantId))).toBeNull();
    expect(await getMembershipRole(s1.userId, T.tenantId)).toBeNull();
    await expect(callerFor(s1, T.tenantId, "sales").leads.todayCount()).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Not in the pickers, not assignable; the lead they had keeps their name.
    const owner = asOwner(T);
    expect((await owner.leads.assignees()).map((m) => m.userId)).not.toContain(s1.userId);
    await expect(owner.leads.assign({ id: free, assigneeId: s1.userId })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await owner.leads.get({ id: theirs })).assignee?.email).toBe(s1.email);
    // Still listed in Settings → Users, greyed.
    expect((await owner.settings.members()).find((m) => m.userId === s1.userId)?.deactivatedAt).toBeInstanceOf(Date);
    // Round-robin passes them over (they were first in line: never assigned, oldest).
    const fresh = [await insertLead(T.tenantId), await insertLead(T.tenantId)];
    for (const id of fresh) expect(await withTenant(T.tenantId, (tx) => autoAssign(tx, T.tenantId, id))).toBe(s2.userId);

    expect(await owner.settings.setMemberActive({ userId: s1.userId, active: true })).toEqual({ userId: s1.userId, active: true });
    expect((await findUserTenants(s1.userId)).map((c) => c.tenantId)).toEqual([T.tenantId]);
    expect(await resolveTenantSession(sessionOf(s1.userId, T.tenantId))).toMatchObject({ tenantId: T.tenantId, role: "sales" });
    expect((await owner.leads.assign({ id: free, assigneeId: s1.userId })).assignee?.email).toBe(s1.email);
    expect(await withTenant(T.tenantId, (tx) => autoAssign(tx, T.tenantId, fresh[0]!))).toBeNull(); // already assigned
    const next = await insertLead(T.tenantId);
    expect(await withTenant(T.tenantId, (tx) => autoAssign(tx, T.tenantId, next))).toBe(s1.userId);
    const trail = await audits(T.tenantId, s1.userId);
    expect(trail.filter((a) => a.action.startsWith("member.")).map((a) => [a.action, a.actorUserId])).toEqual(
      expect.arrayContaining([["member.deactivate", T.ownerUserId], ["member.reactivate", T.ownerUserId]]),
    );
  });

  it("a member deactivated in one tenant still signs in to their others", async () => {
    const A = await makeTenant("deact-a");
    const B = await makeTenant("deact-b");
    await asOwner(A).settings.inviteMember({ email: B.ownerEmail, role: "sales" });
    await asOwner(A).settings.setMemberActive({ userId: B.ownerUserId, active: false });
    expect((await findUserTenants(B.ownerUserId)).map((c) => c.tenantId)).toEqual([B.tenantId]);
    expect(await resolveTenantSession(sessionOf(B.ownerUserId, A.tenantId))).toBeNull();
    expect(await resolveTenantSession(sessionOf(B.ownerUserId, B.tenantId))).not.toBeNull();
  });

  it("an owner cannot deactivate themselves; the last active owner cannot be deactivated", async () => {
    const T = await makeTenant("deact-self");
    await expect(asOwner(T).settings.setMemberActive({ userId: T.ownerUserId, active: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await findUserTenants(T.ownerUserId)).toHaveLength(1);
    const second = await makeUser(T.slug, "owner");
    await asOwner(T).settings.setMemberActive({ userId: second.userId, active: false });
    expect(await findUserTenants(second.userId)).toEqual([]);
    // The other owner, acting on a stale role, cannot take the last active owner away either.
    await expect(withTenant(T.tenantId, (tx) => setMemberActive(tx, T.tenantId, { userId: T.ownerUserId, active: false }, second.userId))).rejects.toMatchObject({
      code: "conflict",
      issues: [{ path: "userId", message: "the company must keep an active owner" }],
    });
    expect(await findUserTenants(T.ownerUserId)).toHaveLength(1);
  });
});

describe("only the owner manages users", () => {
  it("managers and salespeople get FORBIDDEN for the list and every change", async () => {
    const T = await makeTenant("forbid");
    const manager = await makeUser(T.slug, "manager");
    const sales = await makeUser(T.slug, "sales");
    for (const [u, role] of [[manager, "manager"], [sales, "sales"]] as const) {
      const c = callerFor(u, T.tenantId, role);
      await expect(c.settings.members()).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.settings.inviteMember({ email: `${uniq("x")}@test.local`, role: "owner" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.settings.setMemberRole({ userId: u.userId, role: "owner" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.settings.setMemberRole({ userId: T.ownerUserId, role: "sales" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.settings.setMemberActive({ userId: T.ownerUserId, active: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
      // Even a session that claims to be the owner's role: the role is re-read from the database.
      await expect(callerFor(u, T.tenantId, "owner").settings.setMemberRole({ userId: u.userId, role: "owner" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await getMembershipRole(T.ownerUserId, T.tenantId)).toBe("owner");
    expect(await getMembershipRole(manager.userId, T.tenantId)).toBe("manager");
    expect(await findUserTenants(T.ownerUserId)).toHaveLength(1);
  });
});

describe("the first sign-in with a one-time password", () => {
  it("replaces it with the user's own: the flag clears and the one-time password stops working", async () => {
    const T = await makeTenant("otp");
    const r = await asOwner(T).settings.inviteMember({ email: `${uniq("otp")}@test.local`, role: "sales" });
    const otp = r.oneTimePassword!;
    const set = (password: string) => withTenant(T.tenantId, (tx) => setOwnPassword(tx, T.tenantId, r.userId, password), { userId: r.userId });
    await expect(set(otp)).rejects.toMatchObject({ code: "validation_error", issues: [{ path: "password" }] });
    expect(await passwordChangeRequired(r.userId)).toBe(true);

    await set("my-own-password-1");
    const user = await userRow(r.userId);
    expect(user.mustChangePassword).toBe(false);
    expect(await passwordChangeRequired(r.userId)).toBe(false);
    expect(await verifyPassword(user.passwordHash, otp)).toBe(false);
    expect(await verifyPassword(user.passwordHash, "my-own-password-1")).toBe(true);
    expect((await audits(T.tenantId, r.userId)).map((a) => a.action).sort()).toEqual(["member.invite", "user.password"]);
    // Only once: afterwards a password change would need the current password.
    await expect(set("another-password-2")).rejects.toMatchObject({ code: "forbidden" });
  });

  it("asks for the password twice, at least 8 characters", () => {
    expect(ZPasswordChangeSchema.safeParse({ password: "long-enough", confirm: "long-enough" }).success).toBe(true);
    const short = ZPasswordChangeSchema.safeParse({ password: "short", confirm: "short" });
    expect(short.error?.issues[0]?.path).toEqual(["password"]);
    const differ = ZPasswordChangeSchema.safeParse({ password: "long-enough", confirm: "long-enougH" });
    expect(differ.error?.issues[0]).toMatchObject({ path: ["confirm"], message: "passwords do not match" });
  });
});
