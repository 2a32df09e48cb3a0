import "server-only";
import { and, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import { leadStats, leadStatsDays, leadStatsDirty, leads, pipelineStages, type Channel } from "@/db/schema";
import type { Tx } from "@/db/tenant";
import { AppError } from "@/lib/errors";
import { todayIn } from "@/lib/working-hours";
import { MAX_PERIOD_DAYS, type TAnalyticsFilters, type TAnalyticsPeriod, type TAnalyticsSummary } from "@/lib/validators/analytics";
import { getTenantSettings } from "./tenant-settings";
import type { Viewer } from "./leads";

// Analytics for managers, and the contract's summary for integrators: one home for every figure.
// Everything is aggregated in Postgres, in one statement per request. The figures are defined once,
// as "stats rows" (per day, per breakdown, per value: counts and the response seconds themselves);
// settled days read them from the `lead_stats` rollup, which the `analytics:refresh` job builds,
// and every other day — today, a day whose leads changed since, a filtered view — computes them
// live from `leads`. So a figure is exact and never stale, and a long period costs a few thousand
// rollup rows instead of a scan of every lead. The funnel reads `leads.stages_reached` (a trigger).

/** A resolved period: days of the tenant's calendar, both inclusive. */
export type Period = { from: string; to: string; days: number; timezone: string };

const DAY_MS = 86_400_000;
const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY_MS;
const dayString = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** The contract's defaults (the last 30 days ending today) and limits (at most 731 days, from ≤ to). */
export function resolvePeriod(input: TAnalyticsPeriod, timezone: string, now = new Date()): Period {
  const to = input.to ?? todayIn(timezone, now);
  const from = input.from ?? dayString(dayNumber(to) - 29);
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days < 1) throw new AppError("validation_error", "from must not be after to", { issues: [{ path: "from", message: "must not be after to" }] });
  if (days > MAX_PERIOD_DAYS) throw new AppError("validation_error", `A period is at most ${MAX_PERIOD_DAYS} days`, { issues: [{ path: "from", message: `the period must be at most ${MAX_PERIOD_DAYS} days` }] });
  // The comparison period before it must be a real date as well (a period starting in 1970 has none before).
  if (from < "1972-01-02") throw new AppError("validation_error", "A period starts in 1972 or later", { issues: [{ path: input.from ? "from" : "to", message: "must be in 1972 or later" }] });
  return { from, to, days, timezone };
}

/** The period of equal length just before (the dashboard's comparison). */
export function previousPeriod(p: Period): Period {
  const to = dayString(dayNumber(p.from) - 1);
  return { ...p, from: dayString(dayNumber(to) - p.days + 1), to };
}

/** Who sees what: a salesperson their own leads only; managers, owners and integrators everything. */
function scope(viewer: Viewer, filters: TAnalyticsFilters): SQL[] {
  const conds: SQL[] = [];
  if (viewer.role === "sales") conds.push(viewer.userId ? eq(leads.assigneeId, viewer.userId) : sql`false`);
  if (filters.site) conds.push(eq(leads.siteId, filters.site));
  if (filters.channel) conds.push(eq(leads.channel, filters.channel));
  if (filters.source === "none") conds.push(isNull(leads.utmSource));
  else if (filters.source) conds.push(eq(leads.utmSource, filters.source));
  if (filters.assignee === "none") conds.push(isNull(leads.assigneeId));
  else if (filters.assignee) conds.push(eq(leads.assigneeId, filters.assignee));
  return conds;
}


/** What the stats rows need to know about the tenant: its zone, target, and which stages close a lead. */
type StatsContext = { timezone: string; targetMinutes: number; terminal: string[] };

/** Contiguous runs of days, both ends inclusive. */
type DayRange = { from: string; to: string };

/** Days (YYYY-MM-DD, any order) → the fewest contiguous ranges. */
export function toRanges(days: string[]): DayRange[] {
  const sorted = [...new Set(days)].sort();
  const out: DayRange[] = [];
  for (const d of sorted) {
    const last = out[out.length - 1];
    if (last && dayNumber(d) === dayNumber(last.to) + 1) last.to = d;
    else out.push({ from: d, to: d });
  }
  return out;
}

/**
 * The leads created on some ranges of days and under conditions, with the columns the figures read.
 * Plain `created_at` ranges (one index range each, OR-ed), so a few live days cost only their leads
 * and the planner never guesses a row count for a generated set of days.
 */
function leadRows(ctx: StatsContext, ranges: DayRange[], conds: SQL[]): SQL {
  const tz = ctx.timezone;
  const bound = (day: string, plus = 0) => sql`((${day}::date + ${plus}::int)::timestamp at time zone ${tz})`;
  const inRanges = ranges.length ? or(...ranges.map((r) => sql`(${leads.createdAt} >= ${bound(r.from)} and ${leads.createdAt} < ${bound(r.to, 1)})`))! : sql`false`;
  return sql`select ${leads.status} as status, ${leads.channel} as channel, ${leads.spam} as spam, ${leads.siteId} as site_id,
      ${leads.utmSource} as utm_source, ${leads.utmMedium} as utm_medium, ${leads.utmCampaign} as utm_campaign,
      ${leads.assigneeId} as assignee_id, ${leads.aiCategory} as ai_category, ${leads.stagesReached} as stages_reached,
      ${leads.firstResponseAt} is not null as responded,
      extract(epoch from ${leads.firstResponseAt} - ${leads.createdAt})::float8 as response_s,
      ${leads.firstResponseAt} <= coalesce(${leads.firstResponseDueAt}, ${leads.createdAt} + make_interval(mins => ${ctx.targetMinutes}::int)) as in_target,
      (${leads.createdAt} at time zone ${tz}) as local_at
    from ${leads}
    where ${and(inRanges, ...conds)}`;
}

/**
 * Lead rows → stats rows: per day, per breakdown (`dim`) and value (`key`), the counts and the
 * response seconds. The one definition of every figure: the refresh job stores these rows for
 * settled days, the dashboard computes them live for the rest (and for filtered views).
 */
function statsRows(rowsCte: SQL, ctx: StatsContext, onlyTotals = false): SQL {
  const terminal = sql`${`{${ctx.terminal.join(",")}}`}::text[]`;
  const figures = sql`count(*)::int as n, 0 as spam, count(*) filter (where status = 'won')::int as won,
      count(*) filter (where stages_reached && array['qualified', 'won']::text[])::int as qualified,
      count(*) filter (where responded)::int as responded, count(*) filter (where in_target)::int as in_target,
      count(*) filter (where not (status = any(${terminal})))::int as open`;
  const withResp = sql`${figures}, array_agg(response_s) filter (where responded) as resp`;
  const noResp = sql`${figures}, null::float8[] as resp`;
  const live = sql`(select * from ${rowsCte} where not spam)`;
  const day = sql`local_at::date`;
  return sql`
    select ${day} as day, 'all' as dim, '' as key, count(*) filter (where not spam)::int as n, count(*) filter (where spam)::int as spam,
      count(*) filter (where not spam and status = 'won')::int as won,
      count(*) filter (where not spam and stages_reached && array['qualified', 'won']::text[])::int as qualified,
      count(*) filter (where not spam and responded)::int as responded, count(*) filter (where not spam and in_target)::int as in_target,
      count(*) filter (where not spam and not (status = any(${terminal})))::int as open,
      array_agg(response_s) filter (where not spam and responded) as resp
      from ${rowsCte} group by 1
    ${onlyTotals ? sql`` : sql`union all select ${day}, 'status', status, ${noResp} from ${live} l group by 1, 3
    union all select ${day}, 'channel', channel, ${noResp} from ${live} l group by 1, 3
    union all select ${day}, 'source', coalesce(utm_source, ''), ${noResp} from ${live} l group by 1, 3
    union all select ${day}, 'campaign', jsonb_build_array(utm_source, utm_medium, utm_campaign)::text, ${withResp} from ${live} l group by 1, 3
    union all select ${day}, 'site', coalesce(site_id::text, ''), ${withResp} from ${live} l group by 1, 3
    union all select ${day}, 'assignee', coalesce(assignee_id::text, ''), ${withResp} from ${live} l group by 1, 3
    union all select ${day}, 'category', coalesce(ai_category, ''), ${noResp} from ${live} l group by 1, 3
    union all select ${day}, 'how', extract(isodow from local_at)::int || ':' || extract(hour from local_at)::int, ${noResp} from ${live} l group by 1, 3
    union all select ${day}, 'stage', s, ${noResp} from ${live} l, unnest(stages_reached) s group by 1, 3`}`;
}

/**
 * Which days of the ranges have a stored rollup that can be read: built in the tenant's current zone,
 * and no lead of theirs changed since (no dirty UTC day touches them).
 */
async function settledDays(tx: Tx, ctx: StatsContext, ranges: DayRange[]): Promise<Set<string>> {
  const tz = ctx.timezone;
  const within = or(...ranges.map((r) => sql`d.day between ${r.from}::date and ${r.to}::date`));
  const rows = (await tx.execute(sql`select d.day::text as day from ${leadStatsDays} d
      where (${within}) and d.timezone = ${tz}
        and not exists (select 1 from ${leadStatsDirty} x
          where d.day between ((x.utc_day::timestamp at time zone 'UTC') at time zone ${tz})::date
                          and (((x.utc_day + 1)::timestamp at time zone 'UTC' - interval '1 microsecond') at time zone ${tz})::date)`)) as unknown as { day: string }[];
  return new Set(rows.map((r) => r.day));
}

function daysOf(r: DayRange): string[] {
  const out: string[] = [];
  for (let d = dayNumber(r.from); d <= dayNumber(r.to); d++) out.push(dayString(d));
  return out;
}

/**
 * The stats rows of a range as a CTE: stored ones for settled days plus live ones for the others — or,
 * for a filtered view or a salesperson's own numbers (which the rollup does not break down), all live.
 */
function statsCtes(name: string, ctx: StatsContext, range: DayRange, conds: SQL[], settled: Set<string>, onlyTotals = false): SQL {
  const rows = sql.identifier(`${name}_rows`);
  const out = sql.identifier(name);
  if (conds.length) {
    return sql`${rows} as materialized (${leadRows(ctx, [range], conds)}),
      ${out} as materialized (${statsRows(sql`${rows}`, ctx, onlyTotals)})`;
  }
  const days = daysOf(range);
  const stored = days.filter((d) => settled.has(d));
  const live = toRanges(days.filter((d) => !settled.has(d)));
  const storedRows = stored.length
    ? sql`select ${leadStats.day} as day, ${leadStats.dim} as dim, ${leadStats.key} as key, ${leadStats.n} as n, ${leadStats.spam} as spam, ${leadStats.won} as won,
        ${leadStats.qualified} as qualified, ${leadStats.responded} as responded, ${leadStats.inTarget} as in_target, ${leadStats.open} as open, ${leadStats.resp} as resp
        from ${leadStats} where ${leadStats.day} = any(${`{${stored.join(",")}}`}::date[])${onlyTotals ? sql` and ${leadStats.dim} = 'all'` : sql``}
      union all `
    : sql``;
  return sql`${rows} as materialized (${leadRows(ctx, live, [])}),
    ${out} as materialized (${storedRows}${statsRows(sql`${rows}`, ctx, onlyTotals)})`;
}

type Totals = { leads: number; spam: number; won: number; qualified: number; fr_count: number; fr_in: number; fr_pct: [number, number] | null };

/** The headline figures of a stats CTE (dim "all"); the median and p90 from one sort of the seconds. */
const totalsOf = (name: string) => {
  const st = sql.identifier(name);
  return sql`(select jsonb_build_object('leads', coalesce(sum(n), 0), 'spam', coalesce(sum(spam), 0), 'won', coalesce(sum(won), 0),
      'qualified', coalesce(sum(qualified), 0), 'fr_count', coalesce(sum(responded), 0), 'fr_in', coalesce(sum(in_target), 0),
      'fr_pct', (select percentile_cont(array[0.5, 0.9]) within group (order by v) from ${st} s2, unnest(s2.resp) v where s2.dim = 'all'))
    from ${st} where dim = 'all')`;
};

type SummaryParts = {
  totals: Totals;
  by_status: { status: string; n: number }[] | null;
  by_day: { date: string; leads: number }[];
  by_channel: { channel: Channel; leads: number; won: number }[] | null;
  by_source: { source: string | null; leads: number; won: number }[] | null;
  funnel: { status: string; reached: number }[];
};

/** The contract's breakdowns, from the stats CTE `st`. */
function summarySelect(p: Period): SQL {
  return sql`
    ${totalsOf("st")} as totals,
    (select jsonb_agg(jsonb_build_object('status', key, 'n', n)) from (select key, sum(n) as n from st where dim = 'status' group by key) s) as by_status,
    (select jsonb_agg(jsonb_build_object('date', to_char(d, 'YYYY-MM-DD'), 'leads', coalesce(c.n, 0)) order by d)
       from generate_series(${p.from}::date, ${p.to}::date, interval '1 day') d
       left join (select day, sum(n) as n from st where dim = 'all' group by day) c on c.day = d::date) as by_day,
    (select jsonb_agg(jsonb_build_object('channel', key, 'leads', n, 'won', w) order by n desc, key)
       from (select key, sum(n) as n, sum(won) as w from st where dim = 'channel' group by key) s) as by_channel,
    (select jsonb_agg(jsonb_build_object('source', nullif(key, ''), 'leads', n, 'won', w) order by n desc, nullif(key, '') nulls last)
       from (select key, sum(n) as n, sum(won) as w from st where dim = 'source' group by key) s) as by_source,
    (select jsonb_agg(jsonb_build_object('status', ps.key, 'reached', coalesce(r.n, 0)) order by ps.position, ps.key)
       from ${pipelineStages} ps left join (select key, sum(n) as n from st where dim = 'stage' group by key) r on r.key = ps.key) as funnel`;
}

function toSummary(p: Period, parts: SummaryParts): TAnalyticsSummary {
  const t = parts.totals;
  const byStatus = Object.fromEntries(parts.funnel.map((f) => [f.status, 0]));
  for (const r of parts.by_status ?? []) byStatus[r.status] = Number(r.n);
  const count = Number(t.fr_count);
  return {
    period: { from: p.from, to: p.to, timezone: p.timezone },
    leads: Number(t.leads),
    spam: Number(t.spam),
    won: Number(t.won),
    conversion: Number(t.leads) ? Number(t.won) / Number(t.leads) : 0,
    byStatus,
    firstResponse: {
      count,
      median: count && t.fr_pct ? Number(t.fr_pct[0]) : null,
      p90: count && t.fr_pct ? Number(t.fr_pct[1]) : null,
      withinTarget: count ? Number(t.fr_in) / count : null,
    },
    byDay: parts.by_day.map((d) => ({ date: d.date, leads: Number(d.leads) })),
    byChannel: (parts.by_channel ?? []).map((c) => ({ channel: c.channel, leads: Number(c.leads), won: Number(c.won) })),
    bySource: (parts.by_source ?? []).map((s) => ({ source: s.source, leads: Number(s.leads), won: Number(s.won) })),
    funnel: parts.funnel.map((f) => ({ status: f.status, reached: Number(f.reached) })),
  };
}

async function statsContext(tx: Tx, tenantId: string) {
  const settings = await getTenantSettings(tx, tenantId);
  const terminal = (await tx.select({ key: pipelineStages.key }).from(pipelineStages).where(eq(pipelineStages.terminal, true))).map((r) => r.key);
  return { settings, ctx: { timezone: settings.timezone, targetMinutes: settings.firstResponseTargetMinutes, terminal } satisfies StatsContext };
}

/** `GET /api/v1/analytics/summary` — the contract's figures for a period (and the dashboard's core). */
export async function getSummary(tx: Tx, tenantId: string, viewer: Viewer, input: TAnalyticsPeriod, filters: TAnalyticsFilters = {}): Promise<TAnalyticsSummary> {
  const { ctx } = await statsContext(tx, tenantId);
  const period = resolvePeriod(input, ctx.timezone);
  const conds = scope(viewer, filters);
  const settled = conds.length ? new Set<string>() : await settledDays(tx, ctx, [period]);
  const rows = (await tx.execute(sql`with ${statsCtes("st", ctx, period, conds, settled)}
    select ${summarySelect(period)}`)) as unknown as SummaryParts[];
  return toSummary(period, rows[0]!);
}

// ——— The dashboard: the summary plus what a manager reads beside it ———

export type Bucket = "day" | "week" | "month";

/** Buckets that keep a chart readable: days up to ~6 weeks, weeks up to ~6 months, then months. */
export function bucketFor(days: number): Bucket {
  return days <= 45 ? "day" : days <= 186 ? "week" : "month";
}

export type KpiSet = {
  leads: number;
  spamShare: number | null;
  qualifiedRate: number | null;
  wonRate: number | null;
  medianResponse: number | null;
  p90Response: number | null;
  withinTarget: number | null;
};

export type Dashboard = {
  summary: TAnalyticsSummary;
  previous: KpiSet & { from: string; to: string };
  kpis: KpiSet & { overdueNow: number };
  bucket: Bucket;
  series: { bucket: string; channel: Record<string, number>; source: Record<string, number> }[];
  topSources: string[];
  sources: { source: string | null; medium: string | null; campaign: string | null; leads: number; qualified: number; won: number; medianResponse: number | null }[];
  sites: { siteId: string | null; name: string | null; leads: number; qualified: number; won: number; medianResponse: number | null }[];
  people: { userId: string | null; name: string | null; email: string | null; assigned: number; contacted: number; medianResponse: number | null; withinTarget: number | null; won: number; open: number }[];
  categories: { category: string | null; leads: number }[];
  heatmap: { weekday: number; hour: number; leads: number }[];
};

function kpisOf(t: Totals): KpiSet {
  const n = Number(t.leads);
  const all = n + Number(t.spam);
  const fr = Number(t.fr_count);
  return {
    leads: n,
    spamShare: all ? Number(t.spam) / all : null,
    qualifiedRate: n ? Number(t.qualified) / n : null,
    wonRate: n ? Number(t.won) / n : null,
    medianResponse: fr && t.fr_pct ? Number(t.fr_pct[0]) : null,
    p90Response: fr && t.fr_pct ? Number(t.fr_pct[1]) : null,
    withinTarget: fr ? Number(t.fr_in) / fr : null,
  };
}

const TOP_SOURCES = 6;

/**
 * A breakdown of the stats CTE with its median response: per key, the sums, and percentile_cont over
 * that key's seconds — gathered per key by hashing (no sort of every value by a long text key), then
 * each key's own values sorted once.
 */
const breakdown = (dim: string) => sql`select s.key, s.n, s.qf, s.w, s.c, s.it, s.o,
    (select percentile_cont(0.5) within group (order by x) from unnest(m.vs) x) as m from
  (select key, sum(n) as n, sum(qualified) as qf, sum(won) as w, sum(responded) as c, sum(in_target) as it, sum(open) as o from st where dim = ${dim} group by key) s
  left join (select key, array_agg(v) as vs from st, unnest(st.resp) v where dim = ${dim} group by key) m on m.key = s.key`;

/** Everything /analytics shows, in one statement (the period's stats and the period before's). */
export async function getDashboard(tx: Tx, tenantId: string, viewer: Viewer, input: TAnalyticsPeriod, filters: TAnalyticsFilters = {}): Promise<Dashboard> {
  const { ctx } = await statsContext(tx, tenantId);
  const period = resolvePeriod(input, ctx.timezone);
  const prev = previousPeriod(period);
  const conds = scope(viewer, filters);
  const bucket = bucketFor(period.days);
  const bucketOf = sql`to_char(date_trunc(${bucket}, day::timestamp), 'YYYY-MM-DD')`;
  const settled = conds.length ? new Set<string>() : await settledDays(tx, ctx, [prev, period]);
  const [row] = (await tx.execute(sql`with ${statsCtes("st", ctx, period, conds, settled)},
    ${statsCtes("pst", ctx, prev, conds, settled, true)},
    top as (select key from st where dim = 'source' and key <> '' group by key order by sum(n) desc, key limit ${TOP_SOURCES})
    select ${summarySelect(period)},
      ${totalsOf("pst")} as prev_totals,
      (select count(*) from ${leads} where ${and(sql`${leads.firstResponseAt} is null and not ${leads.spam} and ${leads.firstResponseDueAt} < now()`, ...conds)}) as overdue_now,
      (select jsonb_agg(jsonb_build_object('bucket', b, 'channel', ch) order by b) from (
         select b, jsonb_object_agg(key, n) as ch from (select ${bucketOf} as b, key, sum(n) as n from st where dim = 'channel' group by 1, 2) s group by b) x) as series_channel,
      (select jsonb_agg(jsonb_build_object('bucket', b, 'source', src) order by b) from (
         select b, jsonb_object_agg(k, n) as src from (
           select ${bucketOf} as b, case when key = '' then '∅' when key in (select key from top) then key else '…' end as k, sum(n) as n
           from st where dim = 'source' group by 1, 2) s group by b) x) as series_source,
      (select coalesce(jsonb_agg(key), '[]'::jsonb) from top) as top_sources,
      (select jsonb_agg(jsonb_build_object('key', key, 'leads', n, 'qualified', qf, 'won', w, 'median', m) order by n desc) from (${breakdown("campaign")} order by 2 desc limit 100) s) as sources,
      (select jsonb_agg(jsonb_build_object('siteId', nullif(key, ''), 'leads', n, 'qualified', qf, 'won', w, 'median', m) order by n desc) from (${breakdown("site")}) s) as sites,
      (select jsonb_agg(jsonb_build_object('userId', nullif(key, ''), 'assigned', n, 'contacted', c, 'median', m, 'within', case when c > 0 then it::float8 / c end, 'won', w, 'open', o) order by n desc) from (${breakdown("assignee")}) s) as people,
      (select jsonb_agg(jsonb_build_object('category', nullif(key, ''), 'leads', n) order by n desc) from (select key, sum(n) as n from st where dim = 'category' group by key) s) as categories,
      (select jsonb_agg(jsonb_build_object('how', key, 'leads', n)) from (select key, sum(n) as n from st where dim = 'how' group by key) s) as heatmap`)) as unknown as (SummaryParts & {
    prev_totals: Totals;
    overdue_now: number;
    series_channel: { bucket: string; channel: Record<string, number> }[] | null;
    series_source: { bucket: string; source: Record<string, number> }[] | null;
    top_sources: string[];
    sources: { key: string; leads: number; qualified: number; won: number; median: number | null }[] | null;
    sites: { siteId: string | null; leads: number; qualified: number; won: number; median: number | null }[] | null;
    people: { userId: string | null; assigned: number; contacted: number; median: number | null; within: number | null; won: number; open: number }[] | null;
    categories: { category: string | null; leads: number }[] | null;
    heatmap: { how: string; leads: number }[] | null;
  })[];
  const r = row!;
  const summary = toSummary(period, r);

  // Names for the people and sites (few rows; RLS shows only this tenant's).
  const userIds = (r.people ?? []).map((x) => x.userId).filter((x): x is string => Boolean(x));
  const siteIds = (r.sites ?? []).map((x) => x.siteId).filter((x): x is string => Boolean(x));
  const ids = (list: string[]) => sql.join(list.map((u) => sql`${u}::uuid`), sql`, `);
  const [people, siteNames] = await Promise.all([
    userIds.length ? (tx.execute(sql`select id, name, email from users where id in (${ids(userIds)})`) as unknown as Promise<{ id: string; name: string; email: string }[]>) : Promise.resolve([]),
    siteIds.length ? (tx.execute(sql`select id, name from sites where id in (${ids(siteIds)})`) as unknown as Promise<{ id: string; name: string }[]>) : Promise.resolve([]),
  ]);
  const userById = new Map(people.map((u) => [u.id, u]));
  const siteById = new Map(siteNames.map((x) => [x.id, x.name]));

  // The two stackings share their buckets: every bucket of the period present, zero where empty.
  const bySourceBucket = new Map((r.series_source ?? []).map((x) => [x.bucket, x.source]));
  const byChannelBucket = new Map((r.series_channel ?? []).map((x) => [x.bucket, x.channel]));
  const series = bucketList(period, bucket).map((b) => ({ bucket: b, channel: byChannelBucket.get(b) ?? {}, source: bySourceBucket.get(b) ?? {} }));

  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    summary,
    previous: { ...kpisOf(r.prev_totals), from: prev.from, to: prev.to },
    kpis: { ...kpisOf(r.totals), overdueNow: Number(r.overdue_now) },
    bucket,
    series,
    topSources: r.top_sources,
    sources: (r.sources ?? []).map((x) => {
      const [source, medium, campaign] = JSON.parse(x.key) as (string | null)[];
      return { source: source ?? null, medium: medium ?? null, campaign: campaign ?? null, leads: Number(x.leads), qualified: Number(x.qualified), won: Number(x.won), medianResponse: num(x.median) };
    }),
    sites: (r.sites ?? []).map((x) => ({ siteId: x.siteId, name: x.siteId ? (siteById.get(x.siteId) ?? null) : null, leads: Number(x.leads), qualified: Number(x.qualified), won: Number(x.won), medianResponse: num(x.median) })),
    people: (r.people ?? []).map((x) => ({
      userId: x.userId,
      name: x.userId ? (userById.get(x.userId)?.name ?? null) : null,
      email: x.userId ? (userById.get(x.userId)?.email ?? null) : null,
      assigned: Number(x.assigned),
      contacted: Number(x.contacted),
      medianResponse: num(x.median),
      withinTarget: num(x.within),
      won: Number(x.won),
      open: Number(x.open),
    })),
    categories: (r.categories ?? []).map((c) => ({ category: c.category, leads: Number(c.leads) })),
    heatmap: (r.heatmap ?? []).map((h) => {
      const [weekday, hour] = h.how.split(":").map(Number);
      return { weekday: weekday!, hour: hour!, leads: Number(h.leads) };
    }),
  };
}

// ——— The rollup: built per day by the `analytics:refresh` job ———

/**
 * Rebuild the rollup of a tenant's changed days (at most `maxDays` UTC days per call): take the
 * dirty marks, and for each local day they touch, replace its stats rows with fresh ones from
 * `leads`. A lead changing meanwhile marks its day again (the dashboard then reads it live).
 * Returns how many UTC days were taken.
 */
export async function refreshStats(tx: Tx, tenantId: string, maxDays = 10): Promise<number> {
  // One rebuild per tenant at a time (two would write the same local day).
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`lead-stats:${tenantId}`}, 0))`);
  const { ctx } = await statsContext(tx, tenantId);
  const tz = ctx.timezone;
  // Today and yesterday (UTC) stay live: intake marks them all day, and taking their marks would make
  // every intake wait for this rebuild. Older days in small batches, so a status change of an old
  // lead waits for at most one short rebuild.
  const taken = (await tx.execute(sql`delete from ${leadStatsDirty} where (${leadStatsDirty.tenantId}, ${leadStatsDirty.utcDay}) in (
      select tenant_id, utc_day from ${leadStatsDirty}
      where utc_day < (now() at time zone 'UTC')::date - 1
      order by utc_day desc limit ${maxDays} for update skip locked)
    returning utc_day`)) as unknown as { utc_day: string }[];
  if (!taken.length) return 0;
  const days = (await tx.execute(sql`select distinct d::date::text as day from unnest(${`{${taken.map((t) => t.utc_day).join(",")}}`}::date[]) u,
      lateral (values (((u::timestamp at time zone 'UTC') at time zone ${tz})::date), ((((u + 1)::timestamp at time zone 'UTC' - interval '1 microsecond') at time zone ${tz})::date)) v(d)
      order by 1`)) as unknown as { day: string }[];
  const list = sql`${`{${days.map((d) => d.day).join(",")}}`}::date[]`;
  await tx.execute(sql`delete from ${leadStats} where ${leadStats.day} = any(${list})`);
  await tx.execute(sql`with r as materialized (${leadRows(ctx, toRanges(days.map((d) => d.day)), [])})
    insert into ${leadStats} (tenant_id, day, dim, key, n, spam, won, qualified, responded, in_target, open, resp)
    select ${tenantId}::uuid, day, dim, key, n, spam, won, qualified, responded, in_target, open, resp from (${statsRows(sql`r`, ctx)}) s`);
  await tx.execute(sql`insert into ${leadStatsDays} (tenant_id, day, timezone, built_at)
    select ${tenantId}::uuid, d, ${tz}, now() from unnest(${list}) d
    on conflict (tenant_id, day) do update set timezone = excluded.timezone, built_at = excluded.built_at`);
  return taken.length;
}

/** The tenant's zone changed: every day's rollup is of the old calendar — mark every day with leads to rebuild. */
export async function invalidateStats(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(sql`delete from ${leadStatsDays}`);
  await tx.execute(sql`delete from ${leadStats}`);
  await tx.execute(sql`insert into ${leadStatsDirty} (tenant_id, utc_day)
    select distinct ${tenantId}::uuid, (${leads.createdAt} at time zone 'UTC')::date from ${leads} on conflict do nothing`);
}

/** Every bucket's first day (YYYY-MM-DD) of the period, as `date_trunc` names them (weeks start on Monday). */
export function bucketList(p: Period, bucket: Bucket): string[] {
  const out: string[] = [];
  const start = dayNumber(p.from);
  const end = dayNumber(p.to);
  let seen = "";
  for (let d = start; d <= end; d++) {
    const date = new Date(d * DAY_MS);
    let key: string;
    if (bucket === "day") key = dayString(d);
    else if (bucket === "week") key = dayString(d - ((date.getUTCDay() + 6) % 7));
    else key = `${dayString(d).slice(0, 7)}-01`;
    if (key !== seen) out.push((seen = key));
  }
  return out;
}
