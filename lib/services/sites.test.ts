import { afterAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { closeDb } from "@/db";
import { siteKeys } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { makeSite, makeTenant } from "@/test/factories";
import { lookupKey as resolveApiKey } from "@/lib/api-keys/resolve";

afterAll(() => closeDb());

describe("API keys", () => {
  it("resolve to their site and tenant; a secret key is stored only hashed, a public key as it is", async () => {
    const t = await makeTenant("keys");
    const s = await makeSite(t.tenantId);
    expect(await resolveApiKey(s.publicKey)).toMatchObject({ tenantId: t.tenantId, siteId: s.siteId, kind: "public" });
    expect(await resolveApiKey(s.secretKey)).toMatchObject({ tenantId: t.tenantId, siteId: s.siteId, kind: "secret" });
    const stored = await withTenant(t.tenantId, (tx) => tx.select().from(siteKeys).where(eq(siteKeys.siteId, s.siteId)));
    expect(stored).toHaveLength(2);
    for (const k of stored) expect(JSON.stringify(k)).not.toContain(s.secretKey);
    expect(stored.find((k) => k.kind === "public")!.key).toBe(s.publicKey);
    expect(stored.find((k) => k.kind === "secret")!.key).toBeNull();
  });

  it("reject a wrong secret with the right prefix, a swapped kind, garbage and revoked keys", async () => {
    const t = await makeTenant("keys2");
    const s = await makeSite(t.tenantId);
    const tampered = s.secretKey.slice(0, -1) + (s.secretKey.endsWith("A") ? "B" : "A");
    expect(await resolveApiKey(tampered)).toBeNull();
    expect(await resolveApiKey("pk_" + s.secretKey.slice(3))).toBeNull();
    expect(await resolveApiKey("sk_short")).toBeNull();
    expect(await resolveApiKey("")).toBeNull();
    await withTenant(t.tenantId, (tx) => tx.update(siteKeys).set({ revokedAt: new Date() }).where(eq(siteKeys.siteId, s.siteId)));
    expect(await resolveApiKey(s.secretKey)).toBeNull();
  });
});

describe("key usage", () => {
  it("is counted in memory and written in one batch", async () => {
    const { recordKeyUse, flushKeyUsage } = await import("@/lib/api-keys/usage");
    const t = await makeTenant("usage");
    const s = await makeSite(t.tenantId);
    const key = await resolveApiKey(s.secretKey);
    for (let i = 0; i < 3; i++) recordKeyUse(key!.keyId, t.tenantId);
    await flushKeyUsage();
    const [row] = await withTenant(t.tenantId, (tx) => tx.select().from(siteKeys).where(eq(siteKeys.id, key!.keyId)));
    expect(row!.usageCount).toBe(3);
    expect(row!.lastUsedAt).not.toBeNull();
  });
});
