import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { api } from "@/lib/trpc/server";
import { EmptyState, Panel } from "@/components/ui/card";
import { TodayDone } from "@/components/leads/today-done";
import type { TodayItem } from "@/lib/services/leads";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("today"))("title") };
}

// "Сегодня": the salesperson's morning — overdue next steps first, then today's, soonest first.
export default async function TodayPage() {
  const t = await getTranslations("today");
  const tn = await getTranslations("nextStep");
  const format = await getFormatter();
  const caller = await api();
  const today = await caller.leads.today();
  const section = (title: string, items: TodayItem[], testId: string, tone: string) =>
    items.length ? (
      <Panel title={`${title} · ${items.length}`}>
        <ul className="divide-y divide-gray-100" data-testid={testId}>
          {items.map(({ lead, nextStep }) => (
            <li key={lead.id} className="flex flex-col gap-1 py-2.5 text-sm sm:flex-row sm:items-center sm:gap-4">
              <span className="flex gap-3 sm:contents">
                <span className={`shrink-0 sm:w-36 ${tone}`}>{format.dateTime(new Date(nextStep.dueAt), { dateStyle: "short", timeStyle: "short" })}</span>
                <span className="shrink-0 text-gray-600 sm:w-24">{tn(`kinds.${nextStep.kind}`)}</span>
              </span>
              <span className="min-w-0 flex-1">
                <Link href={`/leads/${lead.id}`} prefetch={false} className="font-medium text-gray-900 hover:text-blue-700 hover:underline">
                  {lead.name || lead.email || lead.phone}
                </Link>
                {nextStep.text ? <span className="text-gray-600"> — {nextStep.text}</span> : null}
              </span>
              <TodayDone leadId={lead.id} />
            </li>
          ))}
        </ul>
      </Panel>
    ) : null;
  const overdue = today.items.filter((i) => i.overdue);
  const due = today.items.filter((i) => !i.overdue);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-xl font-semibold">{t("title")}</h1>
        <span className="text-sm text-gray-500">{t("summary", { overdue: today.overdue, due: today.dueToday })}</span>
      </div>
      {today.items.length === 0 ? (
        <EmptyState title={t("empty")} hint={t("emptyHint")}>
          <Link href="/leads?assignee=me" className="text-sm text-blue-700 hover:underline">
            {t("myLeads")}
          </Link>
        </EmptyState>
      ) : (
        <>
          {section(t("overdue"), overdue, "today-overdue", "font-medium text-red-700")}
          {section(t("dueToday"), due, "today-due", "text-gray-700")}
        </>
      )}
    </div>
  );
}
