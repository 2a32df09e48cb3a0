"use client";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import type { TLeadDetail } from "@/lib/validators/leads";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";
import { Panel } from "@/components/ui/card";
import { useErrorText } from "@/components/ui/use-error-text";

/** Read a text stream from one of the lead's AI routes, chunk by chunk. */
async function streamInto(url: string, onText: (all: string) => void, signal: AbortSignal): Promise<string> {
  const res = await fetch(url, { method: "POST", signal });
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let all = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    all += decoder.decode(value, { stream: true });
    onText(all);
  }
  return all;
}

type Facts = {
  company?: string | null;
  website?: string | null;
  budget?: { amount: number; currency: string } | null;
  deadline?: string | null;
  urgency?: string | null;
  preferredChannel?: string | null;
  city?: string | null;
  confidence?: number | null;
  reasons?: string[];
};

const UNSURE = 0.55;

/**
 * The AI's reading of a lead: category (a person may correct it), score with its reasons, the
 * facts found, the summary (streams in when asked for), a first-reply draft on demand, re-run.
 * Everything the model says is shown as text.
 */
export function AiPanel({ lead, categories }: { lead: TLeadDetail; categories: string[] }) {
  const t = useTranslations("ai");
  const tcat = useTranslations("category");
  const format = useFormatter();
  const trpc = useTRPC();
  const router = useRouter();
  const errorText = useErrorText();
  const facts = (lead.aiDetails ?? {}) as Facts;
  const [summary, setSummary] = useState<string | null>(lead.ai?.summary ?? null);
  const [summaryBusy, setSummaryBusy] = useState(false);
  const [draft, setDraft] = useState<string | null>(null);
  const [draftBusy, setDraftBusy] = useState(false);
  // One stream per task: drafting a reply does not cut the summary off.
  const abort = useRef<Record<string, AbortController | undefined>>({});
  useEffect(() => () => Object.values(abort.current).forEach((c) => c?.abort()), []);

  const setCategory = useMutation(
    trpc.leads.setCategory.mutationOptions({ onSuccess: () => (toast.success(t("categorySaved")), router.refresh()), onError: (e) => toast.error(errorText(e)) }),
  );
  const rerun = useMutation(trpc.leads.reanalyse.mutationOptions({ onSuccess: () => (toast.success(t("queued")), router.refresh()), onError: (e) => toast.error(errorText(e)) }));

  const run = async (task: "summary" | "reply") => {
    abort.current[task]?.abort();
    const ctrl = new AbortController();
    abort.current[task] = ctrl;
    const set = task === "summary" ? setSummary : setDraft;
    const busy = task === "summary" ? setSummaryBusy : setDraftBusy;
    busy(true);
    set("");
    try {
      await streamInto(`/api/ai/leads/${lead.id}/${task}`, set, ctrl.signal);
    } catch (e) {
      if (!ctrl.signal.aborted) toast.error(t("streamFailed"), { description: e instanceof Error ? e.message : undefined });
    } finally {
      busy(false);
    }
  };

  // No summary yet: stream one as soon as the page opens.
  const started = useRef(false);
  useEffect(() => {
    if (!started.current && !lead.ai?.summary && !lead.spam) {
      started.current = true;
      void run("summary");
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per lead page
  }, [lead.id]);

  const status = lead.ai?.status ?? null;
  // (A person's correction sets the confidence to 1.)
  const unsure = typeof facts.confidence === "number" && facts.confidence < UNSURE;
  const catLabel = (c: string) => (tcat.has(c) ? tcat(c) : c);
  const reasons = (facts.reasons ?? []).map((r) => (r.startsWith("history_") ? t("reason.history", { up: r.startsWith("history_up") ? "up" : "down", what: r.split(":").slice(1).join(":") }) : t.has(`reason.${r}`) ? t(`reason.${r}`) : r));

  return (
    <Panel
      title={
        <span className="flex items-center gap-2">
          {t("title")}
          {status === "pending" ? <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200">{t("pending")}</span> : null}
          {status === "failed" ? <span className="rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 ring-1 ring-red-200">{t("failed")}</span> : null}
          {unsure ? (
            <span className="rounded-full bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-700 ring-1 ring-violet-200" data-testid="ai-unsure">
              {t("unsure")}
            </span>
          ) : null}
        </span>
      }
      actions={
        <Button variant="ghost" className="px-2 py-1 text-xs" onClick={() => rerun.mutate({ id: lead.id })} disabled={rerun.isPending} data-testid="ai-rerun">
          {t("rerun")}
        </Button>
      }
    >
      <div className="space-y-4 text-sm" data-testid="ai-panel">
        <div className="grid grid-cols-3 items-center gap-2">
          <span className="text-gray-500">{t("category")}</span>
          <div className="col-span-2">
            <Select
              aria-label={t("category")}
              value={lead.ai?.category ?? ""}
              onChange={(e) => e.target.value && setCategory.mutate({ id: lead.id, category: e.target.value })}
              disabled={setCategory.isPending}
              data-testid="ai-category"
              className="w-full"
            >
              {!lead.ai?.category ? <option value="">{t("notYet")}</option> : null}
              {categories.map((c) => (
                <option key={c} value={c}>
                  {catLabel(c)}
                </option>
              ))}
            </Select>
          </div>
        </div>
        <div className="grid grid-cols-3 gap-2">
          <span className="text-gray-500">{t("score")}</span>
          <div className="col-span-2">
            {lead.ai?.score != null ? (
              <>
                <div className="flex items-center gap-2">
                  <span className="h-2 w-24 rounded-full bg-gray-100">
                    <span className={`block h-2 rounded-full ${lead.ai.score >= 70 ? "bg-emerald-500" : lead.ai.score >= 40 ? "bg-amber-500" : "bg-gray-400"}`} style={{ width: `${lead.ai.score}%` }} />
                  </span>
                  <span className="font-semibold tabular-nums" data-testid="ai-score">
                    {lead.ai.score}
                  </span>
                </div>
                {reasons.length ? <p className="mt-1 text-xs text-gray-500">{reasons.join(" · ")}</p> : null}
              </>
            ) : (
              <span className="text-gray-400">{t("notYet")}</span>
            )}
          </div>
        </div>
        {[
          ["budget", facts.budget ? format.number(facts.budget.amount, { style: "currency", currency: facts.budget.currency, maximumFractionDigits: 0 }) : null],
          ["deadline", facts.deadline ?? null],
          ["urgency", facts.urgency === "high" ? t("urgent") : null],
          ["website", facts.website ?? null],
          ["city", facts.city ?? null],
          ["channel", facts.preferredChannel ? t(`channel.${facts.preferredChannel}` as never) : null],
        ]
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k} className="grid grid-cols-3 gap-2">
              <span className="text-gray-500">{t(`fact.${k}` as never)}</span>
              <span className="col-span-2 break-words text-gray-900">{v}</span>
            </div>
          ))}
        <div>
          <div className="mb-1 flex items-center justify-between">
            <span className="text-gray-500">{t("summary")}</span>
            <button type="button" className="text-xs text-blue-700 hover:underline disabled:text-gray-400" onClick={() => void run("summary")} disabled={summaryBusy}>
              {summaryBusy ? t("writing") : t("refresh")}
            </button>
          </div>
          <p className="whitespace-pre-wrap rounded-md bg-gray-50 p-2 text-gray-800" aria-live="polite" aria-busy={summaryBusy} data-testid="ai-summary">
            {summary || (summaryBusy ? "…" : <span className="text-gray-400">{t("noSummary")}</span>)}
          </p>
        </div>
        <div>
          {draft === null ? (
            <Button variant="secondary" onClick={() => void run("reply")} disabled={draftBusy} data-testid="ai-draft">
              {t("draft")}
            </Button>
          ) : (
            <div className="space-y-2">
              <label className="block text-gray-500" htmlFor={`draft-${lead.id}`}>
                {t("draftLabel")}
              </label>
              <textarea
                id={`draft-${lead.id}`}
                className="block h-48 w-full rounded-md border border-gray-300 p-2 text-sm"
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
                aria-busy={draftBusy}
                data-testid="ai-draft-text"
              />
              <div className="flex gap-2">
                <Button variant="secondary" onClick={() => void navigator.clipboard.writeText(draft).then(() => toast.success(t("copied")))} disabled={draftBusy}>
                  {t("copy")}
                </Button>
                <Button variant="ghost" onClick={() => void run("reply")} disabled={draftBusy}>
                  {draftBusy ? t("writing") : t("again")}
                </Button>
              </div>
            </div>
          )}
        </div>
      </div>
    </Panel>
  );
}
