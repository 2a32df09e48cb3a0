// `npm run bench:analytics`: the whole /analytics data load at a million leads, beside the cheapest
//   honest query. Seeds one tenant with BENCH_LEADS (default 1 000 000) leads over two years, with
//   statuses, first responses, sources, sites, AI categories and their timeline events (plus another
//   tenant's data around it), then times, p50/p95 over BENCH_RUNS runs (default 30, after 5
//   warm-ups), everything the page asks for (`getDashboard`: the summary, the previous period, the
//   series, sources, people, categories, heatmap, overdue) for the last 90 and 365 days, through
//   the app (withTenant: RLS, the tenant's settings), next to a baseline: a plain
//   `count(*) … group by day` over the same rows on the owner connection.
//   The rollup is built first, as the `analytics:refresh` job would; today (and any day whose leads
//   changed since) is computed live inside the same statement, as on the page.
// Last line: `analytics: 90d p95 N ms, ratio to baseline X.XX`. Env: DATABASE_URL (else embedded).
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { resolveDatabase } from "../_db";
import { percentile, RUNS, time, WARMUP } from "./_stats";

const LEADS = Number(process.env.BENCH_LEADS || 1_000_000);

async function main() {
  const db = await resolveDatabase({ migrate: true, throwaway: { database: "leadflow_bench_analytics" } });
  const admin = postgres(db.url, { max: 1, onnotice: () => {} });
  try {
    const { createTenant, createUser } = await import("../../lib/services/tenants");
    const { createSite } = await import("../../lib/services/sites");
    const { withTenant } = await import("../../db/tenant");
    const analytics = await import("../../lib/services/analytics");
    const { todayIn } = await import("../../lib/working-hours");
    const { closeDb } = await import("../../db/index");
    // BENCH_REUSE=1: time an already seeded database again (the seed takes minutes).
    const [prior] = process.env.BENCH_REUSE
      ? ((await admin`select t.id, m.user_id from tenants t join memberships m on m.tenant_id = t.id and m.role = 'owner'
          where t.slug like 'an-bench-%' order by t.created_at desc limit 1`) as unknown as { id: string; user_id: string }[])
      : [];
    let tenant: { tenantId: string; ownerUserId: string };
    if (prior) {
      tenant = { tenantId: prior.id, ownerUserId: prior.user_id };
      console.log("Reusing the seeded tenant (BENCH_REUSE).");
    } else {
      const run = Math.random().toString(36).slice(2, 8);
      const created = await createTenant({ name: `Analytics bench ${run}`, slug: `an-bench-${run}`, ownerEmail: `an-${run}@example.ru`, ownerPassword: "bench-password-1", locale: "ru" });
      const other = await createTenant({ name: `Other ${run}`, slug: `an-other-${run}`, ownerEmail: `an-other-${run}@example.ru`, ownerPassword: "bench-password-1", locale: "ru" });
      const sales = await Promise.all(
        Array.from({ length: 8 }, (_, i) => createUser({ tenantSlug: created.slug, email: `sales${i}-${run}@example.ru`, password: "bench-password-1", role: "sales", name: `Менеджер ${i}` })),
      );
      const sites = await Promise.all([1, 2, 3].map((i) => createSite(created.tenantId, { name: `site${i}.ru`, origins: [`https://site${i}.ru`], thankYouUrl: null })));
      tenant = created;

      const t0 = Date.now();
      const load = async (tenantId: string, n: number, assignees: string[], siteIds: string[]) => {
        const slice = 100_000;
        for (let from = 0; from < n; from += slice) {
          const to = Math.min(n, from + slice);
          await withTenant(tenantId, (tx) => tx.execute(sqlLoad(tenantId, from, to, n, assignees, siteIds)));
          process.stderr.write(`\r[seed] ${tenantId === tenant.tenantId ? "tenant" : "other"}: ${to} / ${n} leads`);
        }
        process.stderr.write("\n");
      };
      await load(
        tenant.tenantId,
        LEADS,
        sales.map((s) => s.userId),
        sites.map((s) => s.siteId),
      );
      await load(other.tenantId, Math.max(1000, Math.floor(LEADS / 10)), [], []);
      await admin`vacuum (analyze) leads`;
      await admin`vacuum (analyze) lead_events`;
      console.log(`Seeded ${LEADS} leads over two years (+ ${Math.max(1000, Math.floor(LEADS / 10))} of another tenant) in ${((Date.now() - t0) / 1000).toFixed(0)} s.`);
      // What the `analytics:refresh` job does in the background: build the rollup of every changed day.
      const t1 = Date.now();
      let built = 0;
      for (let n = 1; n > 0; built += n) n = await withTenant(tenant.tenantId, (tx) => analytics.refreshStats(tx, tenant.tenantId, 60));
      await admin`vacuum (analyze) lead_stats`;
      console.log(`Rollup of ${built} days built in ${((Date.now() - t1) / 1000).toFixed(1)} s (the refresh job's work; today stays live).`);
    }
    const T = tenant.tenantId;
    const owner = { userId: tenant.ownerUserId, role: "owner" as const };
    const tz = "Europe/Moscow";
    const today = todayIn(tz);
    const dayMinus = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
    const results: { name: string; rows: number; p50: number; p95: number; base50: number; base95: number }[] = [];
    // The default view (settled days from the rollup), and, for reference, a filtered one (all live).
    const views = [
      { name: "90 days", days: 90, filters: {} },
      { name: "365 days", days: 365, filters: {} },
      { name: "90d, web", days: 90, filters: { channel: "web" as const } },
    ];
    for (const { name, days, filters } of views) {
      const from = dayMinus(days - 1);
      const dash = () => withTenant(T, (tx) => analytics.getDashboard(tx, T, owner, { from, to: today }, filters), { userId: owner.userId });
      const base = () =>
        filters.channel
          ? admin`select date_trunc('day', created_at at time zone ${tz}) as d, count(*)::int as n from leads
              where tenant_id = ${T} and channel = ${filters.channel} and created_at >= (${from}::date::timestamp at time zone ${tz}) and created_at < ((${today}::date + 1)::timestamp at time zone ${tz})
              group by 1 order by 1`
          : admin`select date_trunc('day', created_at at time zone ${tz}) as d, count(*)::int as n from leads
              where tenant_id = ${T} and created_at >= (${from}::date::timestamp at time zone ${tz}) and created_at < ((${today}::date + 1)::timestamp at time zone ${tz})
              group by 1 order by 1`;
      const check = await dash();
      const a = await time(dash);
      const b = await time(base);
      results.push({ name, rows: check.summary.leads + check.summary.spam, p50: percentile(a, 50), p95: percentile(a, 95), base50: percentile(b, 50), base95: percentile(b, 95) });
    }
    await closeDb();

    console.log(`\n${"period".padEnd(10)} ${"leads".padStart(8)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"base p50".padStart(9)} ${"base p95".padStart(9)} ${"ratio".padStart(6)}`);
    for (const r of results) {
      console.log(
        `${r.name.padEnd(10)} ${String(r.rows).padStart(8)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.base50.toFixed(1).padStart(9)} ${r.base95.toFixed(1).padStart(9)} ${(r.p95 / r.base95).toFixed(2).padStart(6)}`,
      );
    }
    console.log(`\n(ms; ${RUNS} runs after ${WARMUP} warm-ups; ratio = dashboard p95 / baseline p95; target: 90-day p95 < 300 ms and ratio ≤ 5)`);
    const d90 = results[0]!;
    console.log(`analytics: 90d p95 ${d90.p95.toFixed(0)} ms, ratio to baseline ${(d90.p95 / d90.base95).toFixed(2)}`);
  } finally {
    await admin.end();
    await db.stop();
  }
}

/**
 * One slice of the bulk load: leads spread evenly over two years, with a pipeline's statuses and the
 * stages they passed, first responses from a couple of minutes to hours, UTM sources / mediums /
 * campaigns, sites, AI categories, and their `created` / `status_changed` events. Values in SQL.
 */
function sqlLoad(tenantId: string, from: number, to: number, total: number, assignees: string[], siteIds: string[]) {
  const uuids = (ids: string[]) => (ids.length ? sql`array[${sql.join(ids.map((a) => sql`${a}::uuid`), sql`, `)}]` : sql`array[]::uuid[]`);
  const people = uuids(assignees);
  const siteArr = uuids(siteIds);
  return sql`
    with g as (
      select i, gen_random_uuid() as id,
        now() - (i::float / ${total} * interval '730 days') - (random() * interval '1 hour') as created_at,
        (array['new','in_progress','in_progress','qualified','won','lost','junk'])[1 + i % 7] as status
      from generate_series(${from}::int, ${to - 1}::int) i
    ),
    ins as (
      insert into leads (id, tenant_id, site_id, channel, name, email, email_norm, status, stages_reached, assignee_id,
        utm_source, utm_medium, utm_campaign, ai_category, spam, created_at, updated_at, last_submission_at,
        first_response_at, first_response_seconds, first_response_due_at)
      select g.id, ${tenantId}::uuid,
        case when cardinality(${siteArr}) > 0 and i % 5 <> 0 then (${siteArr})[1 + i % greatest(cardinality(${siteArr}), 1)] end,
        (array['web','web','web','email','telegram','api'])[1 + i % 6],
        'Клиент ' || i, 'a' || i || '@example.ru', 'a' || i || '@example.ru',
        g.status,
        case g.status when 'new' then array['new'] when 'in_progress' then array['new','in_progress'] when 'qualified' then array['new','in_progress','qualified']
          when 'won' then array['new','in_progress','qualified','won'] else array['new','in_progress', g.status] end,
        case when cardinality(${people}) > 0 and i % 4 <> 0 then (${people})[1 + i % greatest(cardinality(${people}), 1)] end,
        (array['yandex','google','vk','telegram', null])[1 + i % 5],
        (array['cpc','organic','social', null])[1 + i % 4],
        (array['direct_brand','direct_services','search_web','vk_ads', null])[1 + i % 5],
        (array['web_development','web_design','advertising','seo','support','partnership','other', null])[1 + i % 8],
        i % 40 = 0,
        g.created_at, g.created_at, g.created_at,
        case when g.status <> 'new' then g.created_at + (60 + (i % 97) * 37) * interval '1 second' end,
        case when g.status <> 'new' then 60 + (i % 97) * 37 end,
        g.created_at + interval '15 minutes'
      from g
      returning id, created_at, status
    )
    insert into lead_events (tenant_id, lead_id, type, payload, created_at)
    select ${tenantId}::uuid, id, 'created', '{"channel":"web","siteId":null,"source":null}'::jsonb, created_at from ins
    union all
    select ${tenantId}::uuid, id, 'status_changed', jsonb_build_object('from', 'new', 'to', status), created_at + interval '1 hour' from ins where status <> 'new'`;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
