import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { auditLog } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { callerFor } from "@/test/caller";
import { makeTenant, makeUser } from "@/test/factories";

afterAll(() => closeDb());

const rules = {
  timezone: "Asia/Vladivostok",
  dedupeWindowDays: 14,
  firstResponseTargetMinutes: 45,
  workingHours: { enabled: true, days: [5, 1, 2, 3, 4, 1], start: "10:00", end: "19:00" },
  autoAssign: false,
  reassignOverdue: true,
};

describe("Settings → Lead rules", () => {
  it("the owner reads the defaults, saves new rules (audited), and reads them back", async () => {
    const t = await makeTenant("rules");
    const owner = callerFor({ userId: t.ownerUserId }, t.tenantId, "owner");
    expect(await owner.settings.leadRules()).toEqual({
      timezone: "Europe/Moscow",
      dedupeWindowDays: 30,
      firstResponseTargetMinutes: 15,
      workingHours: { enabled: false, days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" },
      autoAssign: true,
      reassignOverdue: false,
    });
    await owner.settings.updateLeadRules(rules);
    expect(await owner.settings.leadRules()).toEqual({ ...rules, workingHours: { ...rules.workingHours, days: [1, 2, 3, 4, 5] } });
    const audit = await withTenant(t.tenantId, (tx) => tx.select().from(auditLog));
    expect(audit.some((a) => a.action === "settings.lead_rules")).toBe(true);
    // The rest of the settings (AI categories) stay.
    const opts = await owner.leads.filterOptions();
    expect(opts.categories).toContain("web_development");
  });

  it("rejects bad values with the field named, and changes nothing", async () => {
    const t = await makeTenant("rules-bad");
    const owner = callerFor({ userId: t.ownerUserId }, t.tenantId, "owner");
    const bad = [
      [{ ...rules, timezone: "Mars/Olympus" }, "timezone"],
      [{ ...rules, timezone: "Europe/Moscow\u0000" }, "timezone"],
      [{ ...rules, dedupeWindowDays: 0 }, "dedupeWindowDays"],
      [{ ...rules, firstResponseTargetMinutes: 1.5 }, "firstResponseTargetMinutes"],
      [{ ...rules, workingHours: { ...rules.workingHours, start: "18:00", end: "09:00" } }, "workingHours.end"],
      [{ ...rules, workingHours: { ...rules.workingHours, start: "25:00" } }, "workingHours.start"],
      [{ ...rules, workingHours: { ...rules.workingHours, days: [] } }, "workingHours.days"],
    ] as const;
    for (const [input, path] of bad) {
      const e = await owner.settings.updateLeadRules(input as never).then(() => null, (err: unknown) => err as { code: string; cause?: { issues?: { path: PropertyKey[] }[] } });
      expect(e?.code, path).toBe("BAD_REQUEST");
      expect(e?.cause?.issues?.map((i) => i.path.join(".")), path).toContain(path);
    }
    expect((await owner.settings.leadRules()).dedupeWindowDays).toBe(30);
  });

  it("managers and salespeople cannot read or change them", async () => {
    const t = await makeTenant("rules-roles");
    for (const role of ["manager", "sales"] as const) {
      const u = await makeUser(t.slug, role);
      const c = callerFor({ userId: u.userId }, t.tenantId, role);
      await expect(c.settings.leadRules()).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.settings.updateLeadRules(rules)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.settings.setSiteTeam({ siteId: t.tenantId, userIds: [] })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.settings.ai()).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.settings.setAiCategories({ categories: ["seo", "other"] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("Settings → AI: the offline model is active without a key and answers; categories are the tenant's, other always stays", async () => {
    const t = await makeTenant("rules-ai");
    const owner = callerFor({ userId: t.ownerUserId }, t.tenantId, "owner");
    expect((await owner.settings.ai()).provider.kind).toBe("offline");
    const check = await owner.settings.aiCheck();
    expect(check).toMatchObject({ ok: true, category: "web_development" });
    expect(await owner.settings.setAiCategories({ categories: ["web_development", "seo", "ecommerce"] })).toEqual(["web_development", "seo", "ecommerce", "other"]);
    expect((await owner.leads.filterOptions()).categories).toEqual(["web_development", "seo", "ecommerce", "other"]);
    await expect(owner.settings.setAiCategories({ categories: ["Bad Key", "other"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
