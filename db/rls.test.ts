import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, closeDb } from "@/db";
import { withScope, withTenant, type Tx } from "@/db/tenant";
import { bitrix24Attempts, bitrix24Backfills, bitrix24Connections, bitrix24Links, bitrix24Ops, intakeRequests, leadEvents, leadImports, leads, leadStatsDirty, notes, savedViews } from "@/db/schema";
import { refreshStats } from "@/lib/services/analytics";
import { trainTenantScoring } from "@/lib/services/ai";
import { makeSite, makeTenant } from "@/test/factories";

// Tables that are deliberately global (no tenant data) and so carry no RLS.
const GLOBAL_TABLES = ["rate_limits", "bitrix24_buckets"];

type Row = Record<string, unknown>;
const rows = async (tx: Tx, q: ReturnType<typeof sql>) => (await tx.execute(q)) as unknown as Row[];

async function tablesWithTenantId(): Promise<string[]> {
  const r = (await getDb().execute(sql`
    select c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
    order by 1`)) as unknown as { table_name: string }[];
  return r.map((x) => x.table_name);
}

async function insertableColumns(table: string): Promise<string[]> {
  const r = (await getDb().execute(sql`
    select column_name from information_schema.columns
    where table_schema = 'public' and table_name = ${table} and is_generated = 'NEVER' and identity_generation is null
    order by ordinal_position`)) as unknown as { column_name: string }[];
  return r.map((x) => x.column_name);
}

/** Drizzle wraps the driver's error; the policy violation is its cause (SQLSTATE 42501). */
async function expectRlsViolation(p: Promise<unknown>): Promise<void> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, "expected the statement to be refused").not.toBeNull();
  const cause = (e as { cause?: { code?: string; message?: string } }).cause ?? (e as { code?: string; message?: string });
  expect(cause.code).toBe("42501");
  expect(cause.message).toMatch(/row-level security/);
}

let A: Awaited<ReturnType<typeof makeTenant>>;
let B: Awaited<ReturnType<typeof makeTenant>>;

beforeAll(async () => {
  A = await makeTenant("rls-a");
  B = await makeTenant("rls-b");
  // Give tenant A a row in every tenant table.
  const siteA = await makeSite(A.tenantId);
  await makeSite(B.tenantId);
  await withTenant(A.tenantId, async (tx) => {
    const id = randomUUID();
    await tx.insert(leads).values({ id, tenantId: A.tenantId, channel: "manual", name: "A's lead", email: "a@example.ru", emailNorm: "a@example.ru" });
    await tx.insert(leadEvents).values({ tenantId: A.tenantId, leadId: id, type: "created", payload: { channel: "manual", siteId: null, source: null } });
    await tx.insert(notes).values({ tenantId: A.tenantId, leadId: id, authorId: A.ownerUserId, body: "secret note of A" });
    await tx.insert(intakeRequests).values({ tenantId: A.tenantId, siteId: siteA.siteId, key: "idem-a", leadId: id, statusCode: 201, response: { status: 201, body: { id } } });
    await tx.insert(leadImports).values({ tenantId: A.tenantId, filename: "a.csv", csv: "Имя,Почта\nA,a@example.ru\n", headers: ["Имя", "Почта"], total: 1 });
    // Bitrix24: the connection, a link, a queued op, a log row and a backfill.
    await tx.insert(bitrix24Connections).values({ tenantId: A.tenantId, webhookEnc: "v1.sealed", portalHost: "a.bitrix24.ru", portalUserId: 1, enabled: false });
    await tx.insert(bitrix24Links).values({ tenantId: A.tenantId, leadId: id, portalHost: "a.bitrix24.ru", bitrixId: 1001, statusId: "NEW" });
    const [op] = await tx.insert(bitrix24Ops).values({ tenantId: A.tenantId, leadId: id, kind: "status" }).returning();
    await tx.insert(bitrix24Attempts).values({ tenantId: A.tenantId, opId: op!.id, leadId: id, method: "crm.lead.update", outcome: "ok" });
    await tx.insert(bitrix24Backfills).values({ tenantId: A.tenantId, fromDay: "2026-01-01", toDay: "2026-01-31" });
  });
  // The analytics rollup of A's day (built from the lead above), and a changed day still to build.
  await withTenant(A.tenantId, async (tx) => {
    // A lead of an older day (today stays live, never in the rollup).
    await tx.insert(leads).values({ tenantId: A.tenantId, channel: "manual", email: "old@example.ru", createdAt: new Date("2026-01-10T12:00:00Z") });
    await refreshStats(tx, A.tenantId);
    await tx.insert(leadStatsDirty).values({ tenantId: A.tenantId, utcDay: "2026-01-01" });
    // A's learned scoring model.
    await trainTenantScoring(tx, A.tenantId);
  });
  // Saved views are private to their user as well: written as A's owner.
  await withTenant(A.tenantId, (tx) => tx.insert(savedViews).values({ tenantId: A.tenantId, userId: A.ownerUserId, name: "A's view", query: "status=new" }), { userId: A.ownerUserId });
});

afterAll(async () => {
  await closeDb();
});

describe("catalog", () => {
  it("every table with tenant_id has RLS enabled, forced, and a policy", async () => {
    const tables = await tablesWithTenantId();
    expect(tables.length).toBeGreaterThanOrEqual(8);
    const r = (await getDb().execute(sql`
      select c.relname, c.relrowsecurity, c.relforcerowsecurity,
             (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
      from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'`)) as unknown as {
      relname: string;
      relrowsecurity: boolean;
      relforcerowsecurity: boolean;
      policies: number;
    }[];
    for (const t of tables) {
      const c = r.find((x) => x.relname === t);
      expect(c, t).toBeDefined();
      expect({ t, rls: c!.relrowsecurity, forced: c!.relforcerowsecurity }).toEqual({ t, rls: true, forced: true });
      expect(c!.policies, `${t} has no policy`).toBeGreaterThan(0);
    }
  });

  it("every other public table is either behind RLS too or explicitly global", async () => {
    const r = (await getDb().execute(sql`
      select relname from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'
      and not (relrowsecurity and relforcerowsecurity)`)) as unknown as { relname: string }[];
    expect(r.map((x) => x.relname).sort()).toEqual([...GLOBAL_TABLES].sort());
  });

  it("the app role cannot bypass RLS and has no access to the global tables", async () => {
    const [role] = (await getDb().execute(sql`select rolsuper, rolbypassrls, rolcanlogin from pg_roles where rolname = 'leadflow_app'`)) as unknown as Row[];
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: false });
    for (const t of GLOBAL_TABLES) {
      const [p] = (await getDb().execute(sql`select has_table_privilege('leadflow_app', ${t}, 'select') as s`)) as unknown as { s: boolean }[];
      expect(p?.s, t).toBe(false);
    }
  });

  it("requests really run as the app role", async () => {
    const [r] = await withTenant(A.tenantId, (tx) => rows(tx, sql`select current_user as u, current_setting('app.tenant_id') as t`));
    expect(r).toEqual({ u: "leadflow_app", t: A.tenantId });
  });
});

describe("cross-tenant isolation, table by table", async () => {
  const tables = await tablesWithTenantId();

  it.each(tables)("%s: tenant B cannot read, update, delete or insert tenant A's rows", async (table) => {
    const id = sql.identifier(table);
    // Each side as its owner (saved views are also private to their user).
    const asA = { userId: A.ownerUserId };
    const asB = { userId: B.ownerUserId };
    const aRows = await withTenant(A.tenantId, (tx) => rows(tx, sql`select * from ${id} where tenant_id = ${A.tenantId}`), asA);
    expect(aRows.length, `no rows of tenant A in ${table}: add them in beforeAll so this table is covered`).toBeGreaterThan(0);

    await withTenant(B.tenantId, async (tx) => {
      // Read: neither by filter nor by scanning everything.
      expect(await rows(tx, sql`select * from ${id} where tenant_id = ${A.tenantId}`)).toHaveLength(0);
      const all = await rows(tx, sql`select tenant_id from ${id}`);
      expect(all.every((r) => r.tenant_id === B.tenantId)).toBe(true);
      // Update and delete touch nothing.
      const upd = await tx.execute(sql`update ${id} set tenant_id = tenant_id where tenant_id = ${A.tenantId}`);
      expect(upd.count).toBe(0);
      const del = await tx.execute(sql`delete from ${id} where tenant_id = ${A.tenantId}`);
      expect(del.count).toBe(0);
      // Moving one's own row into tenant A is refused too.
      const own = await rows(tx, sql`select * from ${id} limit 1`);
      if (own.length) {
        await expectRlsViolation(tx.transaction((sp) => sp.execute(sql`update ${id} set tenant_id = ${A.tenantId} where tenant_id = ${B.tenantId}`)));
      }
    }, asB);

    // Insert: a copy of A's row, written from B's transaction, is rejected by the policy.
    const cols = await insertableColumns(table);
    const template = { ...aRows[0] };
    if ("id" in template) template.id = typeof template.id === "number" || /^\d+$/.test(String(template.id)) ? Math.floor(Math.random() * 1e12) : randomUUID();
    if ("key" in template) template.key = `k${randomUUID().slice(0, 8)}`;
    if ("prefix" in template) template.prefix = `pk_${randomUUID().slice(0, 9)}`;
    if ("user_id" in template && (table === "memberships" || table === "saved_views")) template.user_id = B.ownerUserId;
    const colList = sql.join(cols.map((c) => sql.identifier(c)), sql`, `);
    await expectRlsViolation(
      withTenant(B.tenantId, (tx) =>
        tx.execute(sql`insert into ${id} (${colList}) select ${colList} from json_populate_record(null::${id}, ${JSON.stringify(template)}::json)`),
      asB),
    );

    // And A's rows are all still there.
    const after = await withTenant(A.tenantId, (tx) => rows(tx, sql`select count(*)::int as n from ${id} where tenant_id = ${A.tenantId}`), asA);
    expect(after[0]?.n).toBe(aRows.length);
  });

  it("tenants: B sees only itself and cannot change or create another tenant", async () => {
    await withTenant(B.tenantId, async (tx) => {
      const seen = await rows(tx, sql`select id from tenants`);
      expect(seen.map((r) => r.id)).toEqual([B.tenantId]);
      expect((await tx.execute(sql`update tenants set name = 'pwned' where id = ${A.tenantId}`)).count).toBe(0);
      expect((await tx.execute(sql`delete from tenants where id = ${A.tenantId}`)).count).toBe(0);
    });
    await expectRlsViolation(
      withTenant(B.tenantId, (tx) => tx.execute(sql`insert into tenants (id, name, slug) values (${randomUUID()}, 'x', ${"x-" + randomUUID().slice(0, 6)})`)),
    );
  });

  it("users: B sees only its own members and cannot change A's owner", async () => {
    await withTenant(B.tenantId, async (tx) => {
      expect(await rows(tx, sql`select id from users where id = ${A.ownerUserId}`)).toHaveLength(0);
      expect((await tx.execute(sql`update users set name = 'pwned' where id = ${A.ownerUserId}`)).count).toBe(0);
      expect((await tx.execute(sql`delete from users where id = ${A.ownerUserId}`)).count).toBe(0);
      const members = await rows(tx, sql`select id from users`);
      expect(members.map((r) => r.id)).toEqual([B.ownerUserId]);
    });
  });

  it("a transaction bound to no tenant sees no tenant data, also on a pooled connection just used by A", async () => {
    for (let i = 0; i < 5; i++) {
      await withTenant(A.tenantId, (tx) => rows(tx, sql`select 1`));
      const seen = await withScope({}, (tx) => rows(tx, sql`select (select count(*)::int from leads) as l, (select count(*)::int from tenants) as t, (select count(*)::int from users) as u`));
      expect(seen[0]).toEqual({ l: 0, t: 0, u: 0 });
    }
  });

  it("the key lookup scope reveals exactly one key row and nothing else", async () => {
    const [key] = await withTenant(A.tenantId, (tx) => rows(tx, sql`select prefix from site_keys limit 1`));
    const seen = await withScope({ keyPrefix: String(key!.prefix) }, (tx) =>
      rows(tx, sql`select (select count(*)::int from site_keys) as k, (select count(*)::int from sites) as s, (select count(*)::int from leads) as l`),
    );
    expect(seen[0]).toEqual({ k: 1, s: 0, l: 0 });
  });
});
