import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { api } from "@/lib/trpc/server";
import { getTenantSession } from "@/lib/auth/session";
import { EmptyState } from "@/components/ui/card";
import { periodFor, RANGES, type Range } from "@/lib/analytics-period";
import { todayIn } from "@/lib/working-hours";
import { ZAnalyticsFilters } from "@/lib/validators/analytics";
import { AnalyticsControls, CategoriesChart, Funnel, Heatmap, KpiGrid, LeadsOverTime, PeopleTable, SourcesTable, StatusChart } from "@/components/charts/dashboard";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("analytics"))("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

export default async function AnalyticsPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const member = (await getTenantSession())!;
  const t = await getTranslations("analytics");
  const format = await getFormatter();
  // The period and filters from the URL; a bad value falls back to the default rather than failing the page.
  const range: Range = (RANGES as readonly string[]).includes(one(sp.range) ?? "") ? (one(sp.range) as Range) : "30d";
  const { from, to } = periodFor(range, todayIn(member.timezone), { from: one(sp.from), to: one(sp.to) });
  const parsed = ZAnalyticsFilters.safeParse({ site: one(sp.site), channel: one(sp.channel), source: one(sp.source), assignee: one(sp.assignee) });
  const filters = parsed.success ? parsed.data : {};
  const stack = one(sp.stack) === "source" ? "source" : "channel";
  const caller = await api();
  const [data, stages, options, people] = await Promise.all([
    caller.analytics.dashboard({ from, to, ...filters }),
    caller.leads.stages(),
    caller.leads.filterOptions(),
    member.role === "sales" ? Promise.resolve([]) : caller.leads.assignees(),
  ]);
  const drill: Record<string, string> = { from, to, ...(filters.site ? { site: filters.site } : {}), ...(filters.channel ? { channel: filters.channel } : {}), ...(filters.source ? { source: filters.source } : {}), ...(filters.assignee ? { assignee: filters.assignee } : {}) };
  const day = (d: string) => format.dateTime(new Date(`${d}T12:00:00Z`), { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h1 className="text-xl font-semibold">{t("title")}</h1>
        <span className="text-sm text-gray-500" data-testid="analytics-period">
          {t("subtitle", { from: day(from), to: day(to) })}
        </span>
        {member.role === "sales" ? <span className="text-sm text-amber-700">{t("own")}</span> : null}
      </div>
      <AnalyticsControls
        range={range}
        from={from}
        to={to}
        sites={options.sites.filter((s) => !s.archived).map((s) => ({ id: s.id, name: s.name }))}
        people={people.filter((p) => p.role === "sales").map((p) => ({ id: p.userId, name: p.name || p.email }))}
        sources={data.summary.bySource.map((s) => s.source).filter((s): s is string => Boolean(s)).slice(0, 50)}
        canFilterPeople={member.role !== "sales"}
      />
      <KpiGrid kpis={data.kpis} previous={data.previous} />
      {data.summary.leads === 0 ? (
        <EmptyState title={t("noData")} hint={t("noDataHint")} />
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          <LeadsOverTime data={data} stack={stack} />
          <Funnel data={data} stages={stages} />
          <StatusChart data={data} stages={stages} />
          <SourcesTable data={data} drill={drill} />
          {member.role !== "sales" ? <PeopleTable data={data} drill={drill} /> : null}
          <CategoriesChart data={data} />
          <Heatmap data={data} />
        </div>
      )}
    </div>
  );
}
