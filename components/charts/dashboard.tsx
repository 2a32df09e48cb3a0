"use client";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { BarChart, DonutChart } from "@tremor/react";
import { useMemo, useState } from "react";
import type { Dashboard, KpiSet } from "@/lib/services/analytics";
import { RANGES, type Range } from "@/lib/analytics-period";
import { CHANNELS } from "@/db/schema/enums";
import { Select, Input } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { stageChartColor, stageSwatchClass } from "@/components/ui/stage-colors";
import { ChartCard, type Column } from "./chart-card";
import { ChannelFilter } from "@/components/leads/filter-selects";

export type StageInfo = { key: string; label: string; color: string; terminal: boolean };
type Option = { id: string; name: string };

/** A channel's colour on every chart (Tremor's names). */
const CHANNEL_COLORS: Record<string, string> = { web: "blue", email: "violet", telegram: "cyan", api: "amber", manual: "gray", import: "lime" };
const SOURCE_COLORS = ["indigo", "emerald", "orange", "fuchsia", "sky", "rose", "gray", "slate"];
const NO_SOURCE = "∅";
const OTHER = "…";

function useFormat() {
  const format = useFormatter();
  const t = useTranslations("analytics");
  const pct = (v: number | null) => (v === null ? "—" : format.number(v, { style: "percent", maximumFractionDigits: 1 }));
  const int = (v: number) => format.number(v);
  const duration = (s: number | null) => {
    if (s === null) return "—";
    if (s < 60) return t("duration.seconds", { value: Math.round(s) });
    const m = Math.round(s / 60);
    if (m < 60) return t("duration.minutes", { value: m });
    const h = Math.floor(m / 60);
    if (h < 24) return t("duration.hours", { hours: h, minutes: m % 60 });
    return t("duration.days", { days: Math.floor(h / 24), hours: h % 24 });
  };
  const day = (d: string, withYear = false) => format.dateTime(new Date(`${d}T12:00:00Z`), { day: "numeric", month: "short", ...(withYear ? { year: "numeric" } : {}), timeZone: "UTC" });
  return { pct, int, duration, day };
}

/** The URL is the state: period, filters and the chart's split. */
function useUrlState() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    const s = next.toString();
    router.push(s ? `${pathname}?${s}` : pathname, { scroll: false });
  };
  return { params, set };
}

export function AnalyticsControls({
  range,
  from,
  to,
  sites,
  people,
  sources,
  canFilterPeople,
}: {
  range: Range;
  from: string;
  to: string;
  sites: Option[];
  people: Option[];
  sources: string[];
  canFilterPeople: boolean;
}) {
  const t = useTranslations("analytics");
  const { params, set } = useUrlState();
  const [customFrom, setCustomFrom] = useState(from);
  const [customTo, setCustomTo] = useState(to);
  const filtered = ["site", "channel", "source", "assignee"].some((k) => params.get(k));
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <div className="inline-flex flex-wrap rounded-md border border-gray-300 bg-white p-0.5" role="group" aria-label={t("range.label")}>
          {RANGES.map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={range === r}
              onClick={() => set(r === "custom" ? { range: r, from: customFrom, to: customTo } : { range: r === "30d" ? undefined : r, from: undefined, to: undefined })}
              className={`rounded px-2.5 py-1 text-sm font-medium ${range === r ? "bg-blue-600 text-white" : "text-gray-700 hover:bg-gray-100"}`}
              data-testid={`range-${r}`}
            >
              {t(`range.${r}`)}
            </button>
          ))}
        </div>
        {range === "custom" ? (
          <form
            className="flex flex-wrap items-center gap-1.5"
            onSubmit={(e) => {
              e.preventDefault();
              set({ range: "custom", from: customFrom, to: customTo });
            }}
          >
            <Input type="date" className="!w-auto" value={customFrom} max={customTo} onChange={(e) => setCustomFrom(e.target.value)} aria-label={t("fromLabel")} />
            <span className="text-gray-500">—</span>
            <Input type="date" className="!w-auto" value={customTo} min={customFrom} onChange={(e) => setCustomTo(e.target.value)} aria-label={t("toLabel")} />
            <Button type="submit" variant="secondary">
              {t("apply")}
            </Button>
          </form>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-2" role="group" aria-label={t("filters")}>
        {sites.length ? (
          <Select aria-label={t("site")} value={params.get("site") ?? ""} onChange={(e) => set({ site: e.target.value || undefined })}>
            <option value="">{t("allSites")}</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        ) : null}
        <ChannelFilter value={params.get("channel") ?? undefined} onChange={(channel) => set({ channel })} />
        <Select aria-label={t("source")} value={params.get("source") ?? ""} onChange={(e) => set({ source: e.target.value || undefined })}>
          <option value="">{t("allSources")}</option>
          <option value="none">{t("noSource")}</option>
          {sources.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
        {canFilterPeople ? (
          <Select aria-label={t("people")} value={params.get("assignee") ?? ""} onChange={(e) => set({ assignee: e.target.value || undefined })}>
            <option value="">{t("allPeople")}</option>
            <option value="none">{t("nobody")}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </Select>
        ) : null}
        {filtered ? (
          <Button variant="ghost" onClick={() => set({ site: undefined, channel: undefined, source: undefined, assignee: undefined })}>
            {t("reset")}
          </Button>
        ) : null}
      </div>
    </div>
  );
}

type KpiKey = keyof KpiSet | "overdueNow";
const KPIS: { key: KpiKey; kind: "count" | "share" | "duration"; better: "up" | "down" }[] = [
  { key: "leads", kind: "count", better: "up" },
  { key: "spamShare", kind: "share", better: "down" },
  { key: "qualifiedRate", kind: "share", better: "up" },
  { key: "wonRate", kind: "share", better: "up" },
  { key: "medianResponse", kind: "duration", better: "down" },
  { key: "p90Response", kind: "duration", better: "down" },
  { key: "withinTarget", kind: "share", better: "up" },
  { key: "overdueNow", kind: "count", better: "down" },
];

export function KpiGrid({ kpis, previous }: { kpis: Dashboard["kpis"]; previous: Dashboard["previous"] }) {
  const t = useTranslations("analytics");
  const f = useFormat();
  const fmt = (kind: string, v: number | null) => (kind === "count" ? (v === null ? "—" : f.int(v)) : kind === "share" ? f.pct(v) : f.duration(v));
  return (
    <div className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="kpis">
      {KPIS.map(({ key, kind, better }) => {
        const now = kpis[key];
        const before = key === "overdueNow" ? undefined : previous[key];
        let delta: { text: string; good: boolean | null } | null = null;
        if (before !== undefined && now !== null && before !== null) {
          const diff = now - before;
          const good = diff === 0 ? null : (diff > 0) === (better === "up");
          if (kind === "share") delta = { text: `${diff >= 0 ? "+" : "−"}${t("pp", { value: f.int(Math.round(Math.abs(diff) * 1000) / 10) })}`, good };
          else if (kind === "duration") delta = { text: `${diff >= 0 ? "+" : "−"}${f.duration(Math.abs(diff))}`, good };
          else delta = before ? { text: `${diff >= 0 ? "+" : "−"}${f.pct(Math.abs(diff) / before)}`, good } : { text: `+${f.int(diff)}`, good };
        }
        return (
          <div key={key} className="rounded-lg border border-gray-200 bg-white p-4 shadow-sm" data-testid={`kpi-${key}`}>
            <p className="text-xs font-medium text-gray-500">{t(`kpi.${key}`)}</p>
            <p className="mt-1 text-2xl font-semibold tabular-nums text-gray-900">{fmt(kind, now)}</p>
            <p className="mt-1 text-xs text-gray-500">
              {key === "overdueNow" ? (
                t("overdueHint")
              ) : delta ? (
                <>
                  <span className={`font-medium ${delta.good === null ? "text-gray-600" : delta.good ? "text-emerald-700" : "text-red-700"}`}>{delta.text}</span>{" "}
                  {t("vsPrevious", { from: f.day(previous.from), to: f.day(previous.to) })}
                </>
              ) : (
                t("noPrevious")
              )}
            </p>
          </div>
        );
      })}
    </div>
  );
}

export function LeadsOverTime({ data, stack }: { data: Dashboard; stack: "channel" | "source" }) {
  const t = useTranslations("analytics");
  const tc = useTranslations("channel");
  const f = useFormat();
  const { set } = useUrlState();
  const sourceName = (k: string) => (k === NO_SOURCE ? t("noSourceShort") : k === OTHER ? t("otherSources") : k);
  const keys = stack === "channel" ? CHANNELS.filter((c) => data.series.some((s) => s.channel[c])) : [...data.topSources, ...(data.series.some((s) => s.source[OTHER]) ? [OTHER] : []), ...(data.series.some((s) => s.source[NO_SOURCE]) ? [NO_SOURCE] : [])];
  const label = (k: string) => (stack === "channel" ? tc(k as never) : sourceName(k));
  const rows = data.series.map((s) => ({
    [t("period")]: data.bucket === "month" ? f.day(s.bucket).replace(/^\d+\s/, "") : f.day(s.bucket),
    bucket: s.bucket,
    ...Object.fromEntries(keys.map((k) => [label(k), (stack === "channel" ? s.channel[k] : s.source[k]) ?? 0])),
  }));
  const colors = keys.map((k, i) => (stack === "channel" ? (CHANNEL_COLORS[k] ?? "gray") : k === NO_SOURCE ? "gray" : k === OTHER ? "slate" : SOURCE_COLORS[i % SOURCE_COLORS.length]!));
  const columns: Column<(typeof rows)[number]>[] = [{ key: "bucket", label: t("period"), value: (r) => r.bucket }, ...keys.map((k) => ({ key: k, label: label(k), value: (r: (typeof rows)[number]) => Number(r[label(k)] ?? 0), align: "right" as const }))];
  return (
    <ChartCard
      title={`${t("overTime")} · ${t(`bucket.${data.bucket}`)}`}
      csvName={`leads-over-time-${data.summary.period.from}-${data.summary.period.to}.csv`}
      columns={columns}
      rows={rows}
      testId="chart-over-time"
      className="lg:col-span-2"
      actions={
        <div className="inline-flex rounded-md border border-gray-300 p-0.5 text-xs" role="group" aria-label={t("stackBy")}>
          {(["channel", "source"] as const).map((s) => (
            <button key={s} type="button" aria-pressed={stack === s} onClick={() => set({ stack: s === "channel" ? undefined : s })} className={`rounded px-2 py-0.5 font-medium ${stack === s ? "bg-gray-900 text-white" : "text-gray-700 hover:bg-gray-100"}`}>
              {s === "channel" ? t("stackChannel") : t("stackSource")}
            </button>
          ))}
        </div>
      }
    >
      <BarChart className="h-72" data={rows} index={t("period")} categories={keys.map(label)} colors={colors} stack valueFormatter={(v: number) => f.int(v)} yAxisWidth={40} allowDecimals={false} />
    </ChartCard>
  );
}

export function Funnel({ data, stages }: { data: Dashboard; stages: StageInfo[] }) {
  const t = useTranslations("analytics");
  const f = useFormat();
  const stage = new Map(stages.map((s) => [s.key, s]));
  // The drop is read along the open stages and on to "won"; a closing stage (lost, junk) shows its share of all.
  const total = data.summary.funnel[0]?.reached ?? 0;
  const rows = data.summary.funnel.map((r, i, all) => {
    const info = stage.get(r.status);
    const inChain = !info?.terminal || r.status === "won";
    // The open stage just before this one (the chain new → … → won).
    const prev = all.slice(0, i).filter((x) => !stage.get(x.status)?.terminal).at(-1);
    const ofPrevious = i === 0 ? null : inChain ? (prev?.reached ? r.reached / prev.reached : null) : total ? r.reached / total : null;
    return { ...r, label: info?.label ?? r.status, color: info?.color ?? "gray", ofPrevious, inChain };
  });
  const max = Math.max(1, ...rows.map((r) => r.reached));
  const columns: Column<(typeof rows)[number]>[] = [
    { key: "status", label: t("status"), value: (r) => r.label },
    { key: "reached", label: t("reached"), value: (r) => r.reached, align: "right" },
    { key: "of", label: `${t("ofPrevious")} / ${t("ofAll")}`, value: (r) => (r.ofPrevious === null ? null : f.pct(r.ofPrevious)), align: "right" },
  ];
  return (
    <ChartCard title={t("funnel")} hint={t("funnelHint")} csvName={`funnel-${data.summary.period.from}-${data.summary.period.to}.csv`} columns={columns} rows={rows} testId="chart-funnel">
      <ol className="space-y-2">
        {rows.map((r) => (
          <li key={r.status} className="grid grid-cols-[8rem_1fr_auto] items-center gap-2 text-sm">
            <span className="truncate text-gray-700">{r.label}</span>
            <span className="h-5 rounded bg-gray-100">
              <span className={`block h-5 rounded ${stageSwatchClass(r.color)}`} style={{ width: `${(r.reached / max) * 100}%` }} />
            </span>
            <span className="w-24 text-right tabular-nums text-gray-900">
              {f.int(r.reached)}
              {r.ofPrevious !== null ? (
                <span className="ml-1 text-xs text-gray-500" title={r.inChain ? t("ofPrevious") : t("ofAll")}>
                  {f.pct(r.ofPrevious)}
                </span>
              ) : null}
            </span>
          </li>
        ))}
      </ol>
    </ChartCard>
  );
}

type SortKey = "leads" | "qualified" | "won" | "conversion" | "median";

function SortableHead({ label, active, onSort }: { label: string; active: boolean; onSort: () => void }) {
  const t = useTranslations("analytics");
  return (
    <th scope="col" className="px-2 py-2 text-right" aria-sort={active ? "descending" : "none"}>
      <button type="button" onClick={onSort} className={`uppercase hover:text-gray-900 ${active ? "text-gray-900" : ""}`} title={t("sortBy", { col: label })}>
        {label}
        {active ? " ↓" : ""}
      </button>
    </th>
  );
}

/** Leads, qualified, won, conversion and median response per source (or site); a row opens those leads. */
export function SourcesTable({ data, drill }: { data: Dashboard; drill: Record<string, string> }) {
  const t = useTranslations("analytics");
  const f = useFormat();
  const router = useRouter();
  const [sort, setSort] = useState<SortKey>("leads");
  const [by, setBy] = useState<"source" | "site">("source");
  const rows = useMemo(() => {
    const base =
      by === "source"
        ? data.sources.map((s) => ({ key: `${s.source}|${s.medium}|${s.campaign}`, name: s.source, medium: s.medium, campaign: s.campaign, leads: s.leads, qualified: s.qualified, won: s.won, median: s.medianResponse, filter: { source: s.source ?? "none" } }))
        : data.sites.map((s) => ({ key: s.siteId ?? "none", name: s.name, medium: null, campaign: null, leads: s.leads, qualified: s.qualified, won: s.won, median: s.medianResponse, filter: s.siteId ? { site: s.siteId } : null }));
    const value = (r: (typeof base)[number]) => (sort === "conversion" ? (r.leads ? r.won / r.leads : 0) : sort === "median" ? -(r.median ?? Infinity) : r[sort]);
    return [...base].sort((a, b) => value(b) - value(a));
  }, [data, sort, by]);
  const href = (filter: Record<string, string> | null) => (filter ? `/leads?${new URLSearchParams({ ...drill, ...filter }).toString()}` : null);
  const columns: Column<(typeof rows)[number]>[] = [
    { key: "name", label: by === "source" ? t("source") : t("site"), value: (r) => r.name ?? (by === "source" ? t("noSource") : t("noSite")) },
    ...(by === "source" ? [{ key: "medium", label: t("medium"), value: (r: (typeof rows)[number]) => r.medium }, { key: "campaign", label: t("campaign"), value: (r: (typeof rows)[number]) => r.campaign }] : []),
    { key: "leads", label: t("col.leads"), value: (r) => r.leads, align: "right" },
    { key: "qualified", label: t("col.qualified"), value: (r) => r.qualified, align: "right" },
    { key: "won", label: t("col.won"), value: (r) => r.won, align: "right" },
    { key: "conversion", label: t("col.conversion"), value: (r) => f.pct(r.leads ? r.won / r.leads : 0), align: "right" },
    { key: "median", label: t("col.median"), value: (r) => f.duration(r.median), align: "right" },
  ];
  return (
    <ChartCard
      title={by === "source" ? t("sources") : t("sites")}
      hint={t("sourcesHint")}
      csvName={`${by === "source" ? "sources" : "sites"}-${data.summary.period.from}-${data.summary.period.to}.csv`}
      columns={columns}
      rows={rows}
      testId="sources-table"
      className="lg:col-span-2"
      actions={
        <div className="inline-flex rounded-md border border-gray-300 p-0.5 text-xs" role="group">
          {(["source", "site"] as const).map((b) => (
            <button key={b} type="button" aria-pressed={by === b} onClick={() => setBy(b)} className={`rounded px-2 py-0.5 font-medium ${by === b ? "bg-gray-900 text-white" : "text-gray-700 hover:bg-gray-100"}`}>
              {b === "source" ? t("sources") : t("sites")}
            </button>
          ))}
        </div>
      }
    >
      <div className="-mx-4 overflow-x-auto px-4">
        <table className="min-w-full text-sm">
          <thead className="text-left text-xs uppercase text-gray-500">
            <tr>
              <th scope="col" className="px-2 py-2">
                {by === "source" ? t("source") : t("site")}
              </th>
              {by === "source" ? (
                <>
                  <th scope="col" className="hidden px-2 py-2 md:table-cell">
                    {t("medium")}
                  </th>
                  <th scope="col" className="hidden px-2 py-2 md:table-cell">
                    {t("campaign")}
                  </th>
                </>
              ) : null}
              {(["leads", "qualified", "won", "conversion", "median"] as const).map((k) => (
                <SortableHead key={k} label={t(`col.${k}`)} active={sort === k} onSort={() => setSort(k)} />
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {rows.slice(0, 50).map((r) => {
              const link = href(r.filter);
              return (
                <tr key={r.key} className={link ? "cursor-pointer hover:bg-blue-50/50" : ""} onClick={() => link && router.push(link)}>
                  <td className="px-2 py-2 font-medium text-gray-900">
                    {link ? (
                      <Link href={link} className="hover:text-blue-700 hover:underline" prefetch={false} onClick={(e) => e.stopPropagation()}>
                        {r.name ?? (by === "source" ? t("noSource") : t("noSite"))}
                      </Link>
                    ) : (
                      (r.name ?? t("noSite"))
                    )}
                  </td>
                  {by === "source" ? (
                    <>
                      <td className="hidden px-2 py-2 text-gray-600 md:table-cell">{r.medium ?? "—"}</td>
                      <td className="hidden px-2 py-2 text-gray-600 md:table-cell">{r.campaign ?? "—"}</td>
                    </>
                  ) : null}
                  <td className="px-2 py-2 text-right tabular-nums">{f.int(r.leads)}</td>
                  <td className="px-2 py-2 text-right tabular-nums">{f.int(r.qualified)}</td>
                  <td className="px-2 py-2 text-right tabular-nums">{f.int(r.won)}</td>
                  <td className="px-2 py-2 text-right tabular-nums">{f.pct(r.leads ? r.won / r.leads : 0)}</td>
                  <td className="px-2 py-2 text-right tabular-nums">{f.duration(r.median)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </ChartCard>
  );
}

export function PeopleTable({ data, drill }: { data: Dashboard; drill: Record<string, string> }) {
  const t = useTranslations("analytics");
  const f = useFormat();
  const rows = data.people.map((p) => ({ ...p, display: p.userId ? p.name || p.email || "—" : t("unassigned") }));
  const columns: Column<(typeof rows)[number]>[] = [
    { key: "name", label: t("people"), value: (r) => r.display },
    { key: "assigned", label: t("col.assigned"), value: (r) => r.assigned, align: "right" },
    { key: "contacted", label: t("col.contacted"), value: (r) => r.contacted, align: "right" },
    { key: "median", label: t("col.median"), value: (r) => f.duration(r.medianResponse), align: "right" },
    { key: "within", label: t("col.within"), value: (r) => f.pct(r.withinTarget), align: "right" },
    { key: "won", label: t("col.won"), value: (r) => r.won, align: "right" },
    { key: "conversion", label: t("col.conversion"), value: (r) => f.pct(r.assigned ? r.won / r.assigned : 0), align: "right" },
    { key: "open", label: t("col.open"), value: (r) => r.open, align: "right" },
  ];
  return (
    <ChartCard title={t("people")} hint={t("peopleHint")} csvName={`people-${data.summary.period.from}-${data.summary.period.to}.csv`} columns={columns} rows={rows} testId="people-table" className="lg:col-span-2">
      <div className="-mx-4 overflow-x-auto px-4">
        <table className="min-w-full text-sm">
          <thead className="text-left text-xs uppercase text-gray-500">
            <tr>
              {columns.map((c) => (
                <th key={c.key} scope="col" className={`px-2 py-2 ${c.align === "right" ? "text-right" : ""} ${["contacted", "within", "conversion"].includes(c.key) ? "hidden sm:table-cell" : ""}`}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {rows.map((r) => (
              <tr key={r.userId ?? "none"}>
                <td className="px-2 py-2 font-medium text-gray-900">
                  <Link href={`/leads?${new URLSearchParams({ ...drill, assignee: r.userId ?? "none" }).toString()}`} className="hover:text-blue-700 hover:underline" prefetch={false}>
                    {r.display}
                  </Link>
                </td>
                <td className="px-2 py-2 text-right tabular-nums">{f.int(r.assigned)}</td>
                <td className="hidden px-2 py-2 text-right tabular-nums sm:table-cell">{f.int(r.contacted)}</td>
                <td className="px-2 py-2 text-right tabular-nums">{f.duration(r.medianResponse)}</td>
                <td className="hidden px-2 py-2 text-right tabular-nums sm:table-cell">{f.pct(r.withinTarget)}</td>
                <td className="px-2 py-2 text-right tabular-nums">{f.int(r.won)}</td>
                <td className="hidden px-2 py-2 text-right tabular-nums sm:table-cell">{f.pct(r.assigned ? r.won / r.assigned : 0)}</td>
                <td className="px-2 py-2 text-right tabular-nums">{f.int(r.open)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ChartCard>
  );
}

const CATEGORY_COLORS = ["blue", "violet", "amber", "emerald", "cyan", "fuchsia", "rose", "lime", "orange", "gray"];

type Slice = { key: string; name: string; value: number; chart: string; dot: string };

/** A donut with its legend: each slice's colour, name, count and share (the two donuts of the page). */
function DonutWithLegend({ rows }: { rows: Slice[] }) {
  const f = useFormat();
  const total = rows.reduce((n, r) => n + r.value, 0);
  return (
    <div className="flex flex-col items-center gap-4 sm:flex-row">
      <DonutChart className="h-40 w-40" data={rows} category="value" index="name" colors={rows.map((r) => r.chart)} valueFormatter={(v: number) => f.int(v)} />
      <ul className="w-full space-y-1 text-sm">
        {rows.map((r) => (
          <li key={r.key} className="flex items-center gap-2">
            <span className={`h-2.5 w-2.5 rounded-full ${r.dot}`} aria-hidden />
            <span className="mr-auto text-gray-700">{r.name}</span>
            <span className="tabular-nums text-gray-900">{f.int(r.value)}</span>
            <span className="w-14 text-right text-xs tabular-nums text-gray-500">{f.pct(total ? r.value / total : 0)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function sliceColumns(t: (k: string) => string, first: string, total: number, pct: (v: number | null) => string): Column<Slice>[] {
  return [
    { key: "name", label: first, value: (r) => r.name },
    { key: "value", label: t("count"), value: (r) => r.value, align: "right" },
    { key: "share", label: "%", value: (r) => pct(total ? r.value / total : 0), align: "right" },
  ];
}

export function CategoriesChart({ data }: { data: Dashboard }) {
  const t = useTranslations("analytics");
  const tcat = useTranslations("category");
  const f = useFormat();
  const rows: Slice[] = data.categories.map((c, i) => {
    const color = c.category === null ? "gray" : CATEGORY_COLORS[i % CATEGORY_COLORS.length]!;
    return { key: c.category ?? "none", name: c.category ? (tcat.has(c.category) ? tcat(c.category) : c.category) : t("noCategory"), value: c.leads, chart: color, dot: c.category === null ? "bg-gray-400" : `bg-${color}-500` };
  });
  const total = rows.reduce((n, r) => n + r.value, 0);
  const onlyUnknown = rows.length === 1 && rows[0]!.key === "none";
  return (
    <ChartCard title={t("categories")} hint={onlyUnknown ? t("categoriesEmpty") : undefined} csvName={`categories-${data.summary.period.from}-${data.summary.period.to}.csv`} columns={sliceColumns(t, t("categories"), total, f.pct)} rows={rows} testId="chart-categories">
      <DonutWithLegend rows={rows} />
    </ChartCard>
  );
}

/** Statuses now, in the pipeline's colours with a legend (the donut of the summary's byStatus). */
export function StatusChart({ data, stages }: { data: Dashboard; stages: StageInfo[] }) {
  const t = useTranslations("analytics");
  const f = useFormat();
  const rows: Slice[] = stages.map((s) => ({ key: s.key, name: s.label, value: data.summary.byStatus[s.key] ?? 0, chart: stageChartColor(s.color), dot: stageSwatchClass(s.color) }));
  const total = rows.reduce((n, r) => n + r.value, 0);
  return (
    <ChartCard title={t("status")} csvName={`statuses-${data.summary.period.from}-${data.summary.period.to}.csv`} columns={sliceColumns(t, t("status"), total, f.pct)} rows={rows} testId="chart-statuses">
      <DonutWithLegend rows={rows} />
    </ChartCard>
  );
}

const HEAT = ["bg-gray-50", "bg-blue-100", "bg-blue-200", "bg-blue-300", "bg-blue-400", "bg-blue-500", "bg-blue-600", "bg-blue-700"];

export function Heatmap({ data }: { data: Dashboard }) {
  const t = useTranslations("analytics");
  const cells = new Map(data.heatmap.map((h) => [`${h.weekday}-${h.hour}`, h.leads]));
  const max = Math.max(1, ...data.heatmap.map((h) => h.leads));
  const rows = [1, 2, 3, 4, 5, 6, 7].flatMap((d) => Array.from({ length: 24 }, (_, h) => ({ weekday: t(`weekday.${d}`), hour: h, leads: cells.get(`${d}-${h}`) ?? 0 })));
  const columns: Column<(typeof rows)[number]>[] = [
    { key: "weekday", label: t("day"), value: (r) => r.weekday },
    { key: "hour", label: t("hour"), value: (r) => r.hour, align: "right" },
    { key: "leads", label: t("count"), value: (r) => r.leads, align: "right" },
  ];
  return (
    <ChartCard title={t("heatmap")} hint={t("heatmapHint")} csvName={`heatmap-${data.summary.period.from}-${data.summary.period.to}.csv`} columns={columns} rows={rows} testId="chart-heatmap" className="lg:col-span-2">
      <div className="-mx-4 overflow-x-auto px-4">
        <div className="grid min-w-[640px] grid-cols-[2.5rem_repeat(24,minmax(0,1fr))] gap-0.5 text-[10px] text-gray-500" role="img" aria-label={t("heatmap")}>
          <span />
          {Array.from({ length: 24 }, (_, h) => (
            <span key={h} className="text-center">
              {h % 3 === 0 ? h : ""}
            </span>
          ))}
          {[1, 2, 3, 4, 5, 6, 7].map((d) => (
            <div key={d} className="contents">
              <span className="self-center text-xs text-gray-600">{t(`weekday.${d}`)}</span>
              {Array.from({ length: 24 }, (_, h) => {
                const n = cells.get(`${d}-${h}`) ?? 0;
                const level = n === 0 ? 0 : Math.min(HEAT.length - 1, 1 + Math.floor((n / max) * (HEAT.length - 2)));
                return <span key={h} className={`h-5 rounded-sm ${HEAT[level]}`} title={t("cell", { day: t(`weekday.${d}`), hour: h, count: n })} />;
              })}
            </div>
          ))}
        </div>
      </div>
    </ChartCard>
  );
}
