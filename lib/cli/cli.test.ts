import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { uniq } from "@/test/factories";
import { startPortal } from "@/test/bitrix24-portal";
import { withTenant } from "@/db/tenant";
import { bitrix24Connections } from "@/db/schema";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");

/** The real CLI, as `npm run --silent cli -- …` runs it. */
async function cli(...args: string[]): Promise<{ code: number; json: Record<string, unknown>; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/cli.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env },
      timeout: 60_000,
    });
    return { code: 0, json: JSON.parse(stdout), stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, json: JSON.parse(err.stdout), stdout: err.stdout };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("CLI --json", () => {
  it("tenant create, user create and site create print exactly one JSON object each", async () => {
    const slug = uniq("cli");
    const t = await cli("tenant", "create", "--name", "ООО «Тест»", "--slug", slug, "--owner-email", `${slug}@test.local`, "--owner-password", "secret-pass-1", "--json");
    expect(t.code).toBe(0);
    expect(t.stdout.trim().split("\n")).toHaveLength(1);
    expect(Object.keys(t.json).sort()).toEqual(["ownerUserId", "slug", "tenantId"]);
    expect(t.json.slug).toBe(slug);
    expect(t.json.tenantId).toMatch(UUID);
    expect(t.json.ownerUserId).toMatch(UUID);

    const u = await cli("user", "create", "--tenant", slug, "--email", `Sales.${slug}@Test.local`, "--password", "secret-pass-2", "--role", "sales", "--name", "Анна", "--json");
    expect(u.code).toBe(0);
    expect(u.json).toEqual({ userId: expect.stringMatching(UUID), tenantId: t.json.tenantId, role: "sales" });

    const s = await cli("site", "create", "--tenant", slug, "--name", "example.ru", "--origin", "https://example.ru/landing", "--origin", "http://localhost:5173", "--json");
    expect(s.code).toBe(0);
    expect(Object.keys(s.json).sort()).toEqual(["publicKey", "secretKey", "siteId"]);
    expect(s.json.publicKey).toMatch(/^pk_[A-Za-z0-9_-]{32}$/);
    expect(s.json.secretKey).toMatch(/^sk_[A-Za-z0-9_-]{32}$/);
  });

  it("refuses a duplicate slug with the error shape and a non-zero exit", async () => {
    const slug = uniq("dup");
    const first = await cli("tenant", "create", "--name", "A", "--slug", slug, "--owner-email", `${slug}-a@test.local`, "--owner-password", "secret-pass-1", "--json");
    expect(first.code).toBe(0);
    const again = await cli("tenant", "create", "--name", "B", "--slug", slug, "--owner-email", `${slug}-b@test.local`, "--owner-password", "secret-pass-1", "--json");
    expect(again.code).not.toBe(0);
    expect(again.json).toEqual({ error: { code: "slug_taken", message: expect.any(String), issues: [{ path: "slug", message: "already taken" }] } });
  });

  it("names the bad flag on validation errors", async () => {
    const r = await cli("user", "create", "--tenant", "nope", "--email", "not-an-email", "--password", "x", "--role", "admin", "--json");
    expect(r.code).not.toBe(0);
    const err = r.json.error as { code: string; issues: { path: string }[] };
    expect(err.code).toBe("validation_error");
    expect(err.issues.map((i) => i.path).sort()).toEqual(["--email", "--password", "--role"]);
  });

  it("reports an unknown tenant and an unknown command as errors", async () => {
    const r = await cli("site", "create", "--tenant", uniq("missing"), "--name", "x", "--json");
    expect(r.code).not.toBe(0);
    expect((r.json.error as { code: string }).code).toBe("not_found");
    const c = await cli("frobnicate", "--json");
    expect(c.code).not.toBe(0);
    expect((c.json.error as { code: string }).code).toBe("validation_error");
  });

  it("integration bitrix24 set checks the webhook with a real call, stores it sealed and prints the contract's object", async () => {
    const portal = await startPortal();
    try {
      const slug = uniq("clib");
      const t = await cli("tenant", "create", "--name", "Б24", "--slug", slug, "--owner-email", `${slug}@test.local`, "--owner-password", "secret-pass-1", "--json");
      const r = await cli("integration", "bitrix24", "set", "--tenant", slug, "--webhook-url", portal.webhookUrl, "--application-token", "tok1234567890abcd", "--json");
      expect(r.code).toBe(0);
      expect(r.json).toEqual({ tenantId: t.json.tenantId, enabled: true });
      expect(portal.requests.map((q) => q.method)).toEqual(["crm.status.list", "user.current"]);
      const [row] = await withTenant(String(t.json.tenantId), (tx) => tx.select().from(bitrix24Connections));
      expect(row!.webhookEnc).not.toContain(new URL(portal.webhookUrl).pathname.split("/")[3]);
      expect(row!.portalHost).toBe(portal.domain);
      // A webhook the portal refuses is an error naming the flag; a URL that is not https, too.
      portal.setRevoked(true);
      const refused = await cli("integration", "bitrix24", "set", "--tenant", slug, "--webhook-url", portal.webhookUrl, "--json");
      expect(refused.code).not.toBe(0);
      expect(refused.json.error).toMatchObject({ code: "validation_error", issues: [{ path: "--webhook-url", message: expect.stringContaining("INVALID_CREDENTIALS") }] });
      const http = await cli("integration", "bitrix24", "set", "--tenant", slug, "--webhook-url", "http://portal.bitrix24.ru/rest/1/abcdef123/", "--json");
      expect(http.json.error).toMatchObject({ code: "validation_error", issues: [{ path: "--webhook-url", message: expect.stringContaining("https") }] });
      const inside = await cli("integration", "bitrix24", "set", "--tenant", slug, "--webhook-url", "https://10.0.0.5/rest/1/abcdef123/", "--json");
      expect(inside.json.error).toMatchObject({ code: "validation_error", issues: [{ path: "--webhook-url", message: expect.stringContaining("private network") }] });
      const missing = await cli("integration", "bitrix24", "set", "--tenant", slug, "--json");
      expect(missing.json.error).toMatchObject({ code: "validation_error", issues: [{ path: "--webhook-url" }] });
    } finally {
      await portal.close();
    }
  });
});
