// `npm run bench:crm`: the CRM's page queries at a million leads, each beside a plain-SQL baseline.
//   Seeds one tenant with BENCH_LEADS (default 1 000 000) leads and their timeline events in bulk
//   (plus another tenant's data around it), then times, p50/p95 over BENCH_RUNS runs (default 30,
//   after 5 warm-ups), the queries the pages issue through the app's services (withTenant: RLS,
//   drizzle, the viewer's visibility) and the same query written as plain SQL on the owner
//   connection (same indexes, tenant as a plain where clause, no ORM).
// Last line: `crm: worst p95 N ms, worst ratio to baseline X.XX`. Env: DATABASE_URL (else embedded).
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { resolveDatabase } from "../_db";
import { percentile, RUNS, time, WARMUP } from "./_stats";

const LEADS = Number(process.env.BENCH_LEADS || 1_000_000);

type Timing = { name: string; p50: number; p95: number; base50: number; base95: number };


async function main() {
  const db = await resolveDatabase({ migrate: true, throwaway: { database: "leadflow_bench_crm" } });
  const admin = postgres(db.url, { max: 1, onnotice: () => {} });
  try {
    const { createTenant, createUser } = await import("../../lib/services/tenants");
    const { withTenant } = await import("../../db/tenant");
    const leadsSvc = await import("../../lib/services/leads");
    const { closeDb } = await import("../../db/index");
    const run = Math.random().toString(36).slice(2, 8);
    const tenant = await createTenant({ name: `CRM bench ${run}`, slug: `crm-bench-${run}`, ownerEmail: `crm-${run}@example.ru`, ownerPassword: "bench-password-1", locale: "ru" });
    const other = await createTenant({ name: `Other ${run}`, slug: `crm-other-${run}`, ownerEmail: `crm-other-${run}@example.ru`, ownerPassword: "bench-password-1", locale: "ru" });
    const sales = await Promise.all(
      Array.from({ length: 5 }, (_, i) => createUser({ tenantSlug: `crm-bench-${run}`, email: `sales${i}-${run}@example.ru`, password: "bench-password-1", role: "sales", name: `Менеджер ${i}` })),
    );
    const salesIds = sales.map((s) => s.userId);

    // Bulk load inside tenant transactions (RLS and its checks apply to the load too), in slices.
    const t0 = Date.now();
    const load = async (tenantId: string, n: number, assignees: string[]) => {
      const slice = 100_000;
      for (let from = 0; from < n; from += slice) {
        const to = Math.min(n, from + slice);
        await withTenant(tenantId, (tx) =>
          tx.execute(sqlLoad(tenantId, from, to, assignees)),
        );
        process.stderr.write(`\r[seed] ${tenantId === tenant.tenantId ? "tenant" : "other"}: ${to} / ${n} leads`);
      }
      process.stderr.write("\n");
    };
    await load(tenant.tenantId, LEADS, salesIds);
    await load(other.tenantId, Math.max(1000, Math.floor(LEADS / 10)), []);
    // What autovacuum does to a table that has settled: statistics and the visibility map (index-only scans).
    await admin`vacuum (analyze) leads`;
    await admin`vacuum (analyze) lead_events`;
    console.log(`Seeded ${LEADS} leads (+ ${Math.max(1000, Math.floor(LEADS / 10))} of another tenant) in ${((Date.now() - t0) / 1000).toFixed(0)} s.`);

    const owner = { userId: tenant.ownerUserId, role: "owner" as const };
    const salesViewer = { userId: salesIds[0]!, role: "sales" as const };
    const T = tenant.tenantId;
    const app = <R>(fn: (tx: Parameters<Parameters<typeof withTenant>[1]>[0]) => Promise<R>, userId = owner.userId) => withTenant(T, fn, { userId });

    // Page 50's cursor, found once by walking the pages.
    let cursor: string | null = null;
    for (let i = 0; i < 49; i++) cursor = (await app((tx) => leadsSvc.findLeads(tx, owner, { limit: 25, cursor }))).nextCursor;
    const [c] = (await admin`select created_at, id from leads where tenant_id = ${T} order by created_at desc, id desc offset ${49 * 25 - 1} limit 1`) as unknown as { created_at: Date; id: string }[];
    const [oneLead] = (await admin`select id from leads where tenant_id = ${T} order by created_at desc limit 1 offset 1000`) as unknown as { id: string }[];

    const cols = "l.*, u.email as assignee_email, u.name as assignee_name";
    const cases: { name: string; app: () => Promise<unknown>; base: () => Promise<unknown> }[] = [
      {
        name: "first page",
        app: () => app((tx) => leadsSvc.findLeads(tx, owner, { limit: 25, spam: "hide" })),
        base: () => admin.unsafe(`select ${cols} from leads l left join users u on u.id = l.assignee_id where l.tenant_id = $1 and not l.spam order by l.created_at desc, l.id desc limit 26`, [T]),
      },
      {
        name: "status + assignee",
        app: () => app((tx) => leadsSvc.findLeads(tx, owner, { limit: 25, status: "in_progress", assignee: salesIds[1], spam: "hide" })),
        base: () => admin.unsafe(`select ${cols} from leads l left join users u on u.id = l.assignee_id where l.tenant_id = $1 and l.status = 'in_progress' and l.assignee_id = $2 and not l.spam order by l.created_at desc, l.id desc limit 26`, [T, salesIds[1]!]),
      },
      {
        name: "search «сайты»",
        app: () => app((tx) => leadsSvc.findLeads(tx, owner, { limit: 25, q: "сайты", spam: "hide" })),
        base: () =>
          admin.unsafe(
            `select ${cols} from leads l left join users u on u.id = l.assignee_id where l.tenant_id = $1 and not l.spam and (l.search @@ (to_tsquery('russian', 'сайты:*') || to_tsquery('english', 'сайты:*') || to_tsquery('simple', 'сайты:*')) or l.email_norm like '%сайты%' or lower(l.name) like '%сайты%') order by l.created_at desc, l.id desc limit 26`,
            [T],
          ),
      },
      {
        name: "phone «997 324»",
        app: () => app((tx) => leadsSvc.findLeads(tx, owner, { limit: 25, q: "997 324", spam: "hide" })),
        base: () => admin.unsafe(`select ${cols} from leads l left join users u on u.id = l.assignee_id where l.tenant_id = $1 and not l.spam and l.phone_national ~>=~ '997324' and l.phone_national ~<~ '997324:' order by l.created_at desc, l.id desc limit 26`, [T]),
      },
      {
        name: "page 50 by cursor",
        app: () => app((tx) => leadsSvc.findLeads(tx, owner, { limit: 25, cursor })),
        base: () => admin.unsafe(`select ${cols} from leads l left join users u on u.id = l.assignee_id where l.tenant_id = $1 and (l.created_at, l.id) < ($2, $3) order by l.created_at desc, l.id desc limit 26`, [T, c!.created_at, c!.id]),
      },
      {
        name: "board columns",
        app: () => app((tx) => leadsSvc.findBoard(tx, owner)),
        base: () =>
          Promise.all([
            admin.unsafe(`select status, count(*)::int from leads where tenant_id = $1 and not spam group by status`, [T]),
            ...["new", "in_progress", "qualified", "won", "lost", "junk"].map((s) =>
              admin.unsafe(`select ${cols} from leads l left join users u on u.id = l.assignee_id where l.tenant_id = $1 and l.status = $2 and not l.spam order by l.created_at desc, l.id desc limit 21`, [T, s]),
            ),
          ]),
      },
      {
        name: "lead page",
        app: () => app((tx) => leadsSvc.getLead(tx, owner, oneLead!.id)),
        base: () =>
          Promise.all([
            admin.unsafe(`select ${cols} from leads l left join users u on u.id = l.assignee_id where l.tenant_id = $1 and l.id = $2`, [T, oneLead!.id]),
            admin.unsafe(`select e.*, u.name, u.email from lead_events e left join users u on u.id = e.actor_user_id where e.tenant_id = $1 and e.lead_id = $2 and e.type <> 'received' order by e.created_at desc limit 500`, [T, oneLead!.id]),
            admin.unsafe(`select n.*, u.name, u.email from notes n left join users u on u.id = n.author_id where n.tenant_id = $1 and n.lead_id = $2 order by n.created_at desc limit 200`, [T, oneLead!.id]),
          ]),
      },
      {
        name: "Сегодня (sales)",
        app: () => app((tx) => leadsSvc.findToday(tx, salesViewer), salesViewer.userId),
        base: () =>
          admin.unsafe(
            `select ${cols} from leads l left join users u on u.id = l.assignee_id where l.tenant_id = $1 and l.assignee_id = $2 and l.next_step_due_at is not null and l.next_step_due_at < ((now() at time zone 'Europe/Moscow')::date + 1)::timestamp at time zone 'Europe/Moscow' order by l.next_step_due_at limit 200`,
            [T, salesViewer.userId],
          ),
      },
    ];

    const results: Timing[] = [];
    for (const k of cases) {
      // Alternate app and baseline runs so both see the same cache state.
      const a = await time(k.app);
      const b = await time(k.base);
      results.push({ name: k.name, p50: percentile(a, 50), p95: percentile(a, 95), base50: percentile(b, 50), base95: percentile(b, 95) });
    }
    await closeDb();

    const pad = (s: string, n: number) => s.padEnd(n);
    console.log(`\n${pad("query", 20)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"base p50".padStart(9)} ${"base p95".padStart(9)} ${"ratio".padStart(6)}`);
    for (const r of results) {
      console.log(`${pad(r.name, 20)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.base50.toFixed(1).padStart(9)} ${r.base95.toFixed(1).padStart(9)} ${(r.p95 / r.base95).toFixed(2).padStart(6)}`);
    }
    const worstP95 = Math.max(...results.map((r) => r.p95));
    const worstRatio = Math.max(...results.map((r) => r.p95 / r.base95));
    console.log(`\n(ms; ${RUNS} runs after ${WARMUP} warm-ups; ratio = app p95 / baseline p95; target: p95 < 150 ms and ratio ≤ 1.5)`);
    console.log(`crm: worst p95 ${worstP95.toFixed(0)} ms, worst ratio to baseline ${worstRatio.toFixed(2)}`);
  } finally {
    await admin.end();
    await db.stop();
  }
}

/**
 * One slice of the bulk load: leads with Russian names, messages about sites, ads and SEO, phones,
 * e-mails, statuses and assignees spread like a real pipeline, some next steps, one `created`
 * event each and a `status_changed` for those that moved on. Values are generated in SQL.
 */
function sqlLoad(tenantId: string, from: number, to: number, assignees: string[]) {
  // Built with drizzle's `sql` so every value is a parameter.
  const arr = assignees.length ? sql`array[${sql.join(assignees.map((a) => sql`${a}::uuid`), sql`, `)}]` : sql`array[]::uuid[]`;
  return sql`
    with g as (
      select i, gen_random_uuid() as id,
        now() - (i::float / ${to} * interval '400 days') - (random() * interval '1 hour') as created_at
      from generate_series(${from}::int, ${to - 1}::int) i
    ),
    ins as (
      insert into leads (id, tenant_id, channel, name, email, email_norm, phone, phone_norm, company, message, status, assignee_id,
        utm_source, spam, created_at, updated_at, last_submission_at, next_step_kind, next_step_due_at, next_step_text)
      select g.id, ${tenantId}::uuid,
        (array['web','web','web','email','telegram','api'])[1 + i % 6],
        (array['Иван','Мария','Алексей','Екатерина','Дмитрий','Анна','Сергей','Ольга'])[1 + i % 8] || ' ' ||
          (array['Петров','Смирнова','Кузнецов','Новикова','Соколов','Попова','Лебедев','Морозова'])[1 + (i / 8) % 8],
        'lead' || i || '@' || (array['mail.ru','bk.ru','yandex.ru','gmail.com'])[1 + i % 4],
        'lead' || i || '@' || (array['mail.ru','bk.ru','yandex.ru','gmail.com'])[1 + i % 4],
        '+79' || lpad((i % 1000000000)::text, 9, '0'), '+79' || lpad((i % 1000000000)::text, 9, '0'),
        (array['ООО «Ромашка»','ИП Сидоров','Студия «Север»','ООО «ТехноСтрой»', null])[1 + i % 5],
        (array['Нужен сайт для компании','Хотим настроить рекламу в Директе','Интересует SEO-продвижение сайтов','Сделайте лендинг под акцию','Нужна поддержка сайта'])[1 + i % 5],
        (array['new','in_progress','in_progress','qualified','won','lost','junk'])[1 + i % 7],
        case when cardinality(${arr}) > 0 and i % 4 <> 0 then (${arr})[1 + i % greatest(cardinality(${arr}), 1)] end,
        (array['yandex','google','vk', null])[1 + i % 4],
        i % 50 = 0,
        g.created_at, g.created_at, g.created_at,
        case when i % 20 = 0 then 'call' end,
        case when i % 20 = 0 then now() + ((i % 9) - 4) * interval '1 day' end,
        case when i % 20 = 0 then 'Перезвонить' end
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
