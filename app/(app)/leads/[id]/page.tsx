import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { getFormatter, getTranslations } from "next-intl/server";
import { getTenantSession } from "@/lib/auth/session";
import { api } from "@/lib/trpc/server";
import { Panel } from "@/components/ui/card";
import { StatusBadge } from "@/components/leads/status-badge";
import { LeadActions, LeadContact, LeadNextStep, LeadTimeline } from "@/components/leads/lead-workspace";
import { LeadPager } from "@/components/leads/lead-pager";
import { AiPanel } from "@/components/leads/ai-panel";
import { Bitrix24Line } from "@/components/leads/bitrix24-line";
import { leadFiltersFromSearchParams, leadFiltersToUrl } from "@/lib/validators/leads";

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-2 py-1.5 text-sm">
      <dt className="text-gray-500">{label}</dt>
      <dd className="col-span-2 break-words text-gray-900">{children}</dd>
    </div>
  );
}

async function loadLead(id: string) {
  const caller = await api();
  return caller.leads.get({ id }).catch((e: unknown) => {
    if (e instanceof TRPCError && (e.code === "NOT_FOUND" || e.code === "BAD_REQUEST")) notFound();
    throw e;
  });
}

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const lead = await loadLead((await params).id);
  return { title: lead.name || lead.email || lead.phone || (await getTranslations("lead"))("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function LeadPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: SearchParams }) {
  const { id } = await params;
  // The list view this lead was opened from (filters and order), for back and previous / next.
  const view = leadFiltersFromSearchParams(await searchParams);
  const viewQuery = leadFiltersToUrl(view).toString();
  const [lead, member, caller] = await Promise.all([loadLead(id), getTenantSession(), api()]);
  if (!member) notFound();
  const [stages, members, neighbours, rules, options] = await Promise.all([
    caller.leads.stages(),
    caller.leads.assignees(),
    caller.leads.neighbours({ ...view, id }).catch(() => ({ prev: null, next: null })),
    caller.leads.responseRules(),
    caller.leads.filterOptions(),
  ]);
  const stage = stages.find((s) => s.key === lead.status);
  const t = await getTranslations("lead");
  const tc = await getTranslations("channel");
  const format = await getFormatter();
  const dt = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  const utm = Object.entries(lead.utm).filter(([, v]) => v);
  const me = { userId: member.userId, email: member.email, role: member.role };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Link href={viewQuery ? `/leads?${viewQuery}` : "/leads"} className="text-sm text-blue-700 hover:underline" data-testid="lead-back">
          {t("back")}
        </Link>
        <LeadPager prev={neighbours.prev} next={neighbours.next} query={viewQuery} />
      </div>
      <div className="space-y-3">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold" data-testid="lead-title">
            {lead.name || lead.email || lead.phone}
          </h1>
          <StatusBadge label={stage?.label ?? lead.status} color={stage?.color} />
          {lead.spam ? <span className="rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 ring-1 ring-red-200">{t("spam")}</span> : null}
          <span className="text-sm text-gray-500">
            {tc(lead.channel)} · {dt(lead.createdAt)}
            {lead.submissions > 1 ? ` · ${t("submissions", { count: lead.submissions })}` : ""}
          </span>
        </div>
        <LeadActions lead={lead} stages={stages} members={members} me={me} workingHours={rules.workingHours} />
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <Panel title={t("message")}>
            <p className="whitespace-pre-wrap text-sm text-gray-800">{lead.message || <span className="text-gray-400">{t("noMessage")}</span>}</p>
          </Panel>
          <LeadTimeline lead={lead} stages={stages} me={me} />
        </div>
        <div className="space-y-4">
          <AiPanel lead={lead} categories={options.categories} />
          <LeadNextStep leadId={lead.id} nextStep={lead.nextStep} />
          <LeadContact lead={lead} />
          <Bitrix24Line leadId={lead.id} />
          <Panel title={t("details")}>
            <dl>
              <Field label={t("firstResponse")}>
                {lead.firstResponseAt ? `${dt(lead.firstResponseAt)} (${t("responseMinutes", { minutes: Math.round((lead.firstResponseSeconds ?? 0) / 60) })})` : t("waiting")}
              </Field>
              <Field label={t("assignee")}>{lead.assignee ? lead.assignee.name || lead.assignee.email : t("unassigned")}</Field>
              {lead.form ? <Field label={t("form")}>{lead.form}</Field> : null}
              {lead.pageUrl ? <Field label={t("page")}>{lead.pageUrl}</Field> : null}
              {lead.referrer ? <Field label={t("referrer")}>{lead.referrer}</Field> : null}
              {utm.length ? <Field label={t("utm")}>{utm.map(([k, v]) => `${k}=${v}`).join(", ")}</Field> : null}
              <Field label={t("consent")}>{lead.consent ? t("yes") : t("no")}</Field>
            </dl>
          </Panel>
          {Object.keys(lead.customFields).length ? (
            <Panel title={t("customFields")}>
              <dl>
                {Object.entries(lead.customFields).map(([k, v]) => (
                  <Field key={k} label={k}>
                    {v}
                  </Field>
                ))}
              </dl>
            </Panel>
          ) : null}
          <p className="text-xs text-gray-400">{t("shortcutsHelp")}</p>
        </div>
      </div>
    </div>
  );
}
