import Link from "next/link";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { getFormatter, getTranslations } from "next-intl/server";
import { api } from "@/lib/trpc/server";
import { Panel } from "@/components/ui/card";
import { StatusBadge } from "@/components/leads/status-badge";

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-2 py-1.5 text-sm">
      <dt className="text-gray-500">{label}</dt>
      <dd className="col-span-2 break-words text-gray-900">{children}</dd>
    </div>
  );
}

export default async function LeadPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const caller = await api();
  const lead = await caller.leads.get({ id }).catch((e: unknown) => {
    if (e instanceof TRPCError && (e.code === "NOT_FOUND" || e.code === "BAD_REQUEST")) notFound();
    throw e;
  });
  const stages = await caller.leads.stages();
  const stageLabel = (key: string) => stages.find((s) => s.key === key)?.label ?? key;
  const stage = stages.find((s) => s.key === lead.status);
  const t = await getTranslations("lead");
  const tc = await getTranslations("channel");
  const format = await getFormatter();
  const dt = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  const utm = Object.entries(lead.utm).filter(([, v]) => v);

  return (
    <div className="space-y-4">
      <Link href="/leads" className="text-sm text-blue-700 hover:underline">
        {t("back")}
      </Link>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold" data-testid="lead-title">
          {lead.name || lead.email || lead.phone}
        </h1>
        <StatusBadge label={stage?.label ?? lead.status} color={stage?.color} />
        <span className="text-sm text-gray-500">
          {tc(lead.channel)} · {dt(lead.createdAt)}
        </span>
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <Panel title={t("message")}>
            <p className="whitespace-pre-wrap text-sm text-gray-800">{lead.message || <span className="text-gray-400">{t("noMessage")}</span>}</p>
          </Panel>
          <Panel title={t("timeline")}>
            <ol className="space-y-3">
              {lead.timeline.map((e) => (
                <li key={e.id} className="flex gap-3 text-sm">
                  <span className="mt-1.5 h-2 w-2 shrink-0 rounded-full bg-blue-400" aria-hidden />
                  <div>
                    <p className="text-gray-800">
                      {e.type === "status_changed"
                        ? t("event.status_changed", { from: stageLabel(String(e.payload.from)), to: stageLabel(String(e.payload.to)) })
                        : t(`event.${e.type}` as "event.created")}
                    </p>
                    <p className="text-xs text-gray-500">
                      {dt(e.createdAt)}
                      {e.actor ? ` · ${e.actor.name || e.actor.email}` : ""}
                    </p>
                  </div>
                </li>
              ))}
            </ol>
          </Panel>
          <Panel title={t("notes")}>
            {lead.notes.length === 0 ? (
              <p className="text-sm text-gray-400">{t("noNotes")}</p>
            ) : (
              <ul className="space-y-3">
                {lead.notes.map((n) => (
                  <li key={n.id} className="rounded-md bg-gray-50 p-3 text-sm">
                    <p className="whitespace-pre-wrap text-gray-800">{n.body}</p>
                    <p className="mt-1 text-xs text-gray-500">
                      {n.author?.name || n.author?.email} · {dt(n.createdAt)}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </Panel>
        </div>
        <div className="space-y-4">
          <Panel title={t("contact")}>
            <dl>
              {lead.name ? <Field label={t("fieldName")}>{lead.name}</Field> : null}
              {lead.email ? <Field label={t("fieldEmail")}><a className="text-blue-700 hover:underline" href={`mailto:${lead.email}`}>{lead.email}</a></Field> : null}
              {lead.phone ? <Field label={t("fieldPhone")}><a className="text-blue-700 hover:underline" href={`tel:${lead.phone}`}>{lead.phone}</a></Field> : null}
              {lead.company ? <Field label={t("fieldCompany")}>{lead.company}</Field> : null}
            </dl>
          </Panel>
          <Panel title={t("details")}>
            <dl>
              <Field label={t("firstResponse")}>
                {lead.firstResponseAt ? `${dt(lead.firstResponseAt)} (${t("responseMinutes", { minutes: Math.round((lead.firstResponseSeconds ?? 0) / 60) })})` : t("waiting")}
              </Field>
              {lead.form ? <Field label={t("form")}>{lead.form}</Field> : null}
              {lead.pageUrl ? <Field label={t("page")}>{lead.pageUrl}</Field> : null}
              {lead.referrer ? <Field label={t("referrer")}>{lead.referrer}</Field> : null}
              {utm.length ? <Field label={t("utm")}>{utm.map(([k, v]) => `${k}=${v}`).join(", ")}</Field> : null}
              <Field label={t("consent")}>{lead.consent ? t("yes") : t("no")}</Field>
              {Object.entries(lead.customFields).map(([k, v]) => (
                <Field key={k} label={k}>{v}</Field>
              ))}
            </dl>
          </Panel>
          {lead.ai?.status === "done" ? (
            <Panel title={t("ai")}>
              <dl>
                <Field label={t("category")}>{lead.ai.category}</Field>
                <Field label={t("score")}>{lead.ai.score}</Field>
              </dl>
              {lead.ai.summary ? <p className="mt-2 text-sm text-gray-700">{lead.ai.summary}</p> : null}
            </Panel>
          ) : null}
        </div>
      </div>
    </div>
  );
}
