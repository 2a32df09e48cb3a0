import type { Metadata } from "next";
import { TRPCError } from "@trpc/server";
import { getTranslations } from "next-intl/server";
import { api } from "@/lib/trpc/server";
import { EmptyState } from "@/components/ui/card";
import { Breakdown, KpiCard, PerDayChart, StatusDonut } from "@/components/charts/overview-charts";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("analytics"))("title") };
}

export default async function AnalyticsPage() {
  const t = await getTranslations("analytics");
  const tc = await getTranslations("channel");
  const ts = await getTranslations("settings");
  const caller = await api();
  const overview = await caller.analytics.overview({ days: 90 }).catch((e: unknown) => {
    if (e instanceof TRPCError && e.code === "FORBIDDEN") return null;
    throw e;
  });
  if (!overview) return <EmptyState title={ts("forbidden")} />;
  const stages = await caller.leads.stages();
  const label = (k: string) => stages.find((s) => s.key === k)?.label ?? k;
  const color = (k: string) => stages.find((s) => s.key === k)?.color;
  const conversion = overview.total ? Math.round((overview.won / overview.total) * 1000) / 10 : 0;
  return (
    <div className="space-y-4">
      <div className="flex items-baseline gap-3">
        <h1 className="text-xl font-semibold">{t("title")}</h1>
        <span className="text-sm text-gray-500">{t("period")}</span>
      </div>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <KpiCard label={t("leads")} value={String(overview.total)} testId="kpi-total" />
        <KpiCard label={t("won")} value={String(overview.won)} />
        <KpiCard label={t("conversion")} value={`${conversion}%`} />
        <KpiCard label={t("medianResponse")} value={overview.medianFirstResponseMinutes == null ? "—" : t("minutes", { value: overview.medianFirstResponseMinutes })} />
      </div>
      {overview.total === 0 ? (
        <EmptyState title={t("noData")} />
      ) : (
        <>
          <PerDayChart title={t("perDay")} data={overview.perDay} series={t("leads")} />
          <div className="grid gap-4 lg:grid-cols-3">
            <Breakdown title={t("byChannel")} data={overview.byChannel.map((r) => ({ name: tc(r.key as "web"), value: r.value }))} />
            <Breakdown title={t("bySource")} data={overview.bySource.map((r) => ({ name: r.key ?? t("direct"), value: r.value }))} />
            <StatusDonut title={t("byStatus")} data={overview.byStatus.map((r) => ({ name: label(r.key), value: r.value, color: color(r.key) }))} />
          </div>
        </>
      )}
    </div>
  );
}
