"use client";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Fragment, useState, useTransition } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "@/components/ui/button";
import { EmptyState, Panel } from "@/components/ui/card";
import { HealthLine, Pill, RetryButton, useBitrix24Overview } from "./bitrix24-health";

// Settings → Integrations → sync log: every call to the portal, newest first, with what was sent and
// what came back. Filters in the URL: ?failed=1 (failures and retries), ?lead=<uuid>.

type Outcome = "ok" | "adopted" | "retry" | "failed" | "skipped";
const OUTCOME_TONE = { ok: "green", adopted: "blue", retry: "amber", failed: "red", skipped: "gray" } as const;

/** jsonb as it was stored → indented text (a string holding JSON is opened too). */
function pretty(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") {
    try {
      return JSON.stringify(JSON.parse(v), null, 2);
    } catch {
      return v;
    }
  }
  return JSON.stringify(v, null, 2);
}

function JsonBlock({ label, value }: { label: string; value: unknown }) {
  const t = useTranslations("bitrix24.log");
  const text = pretty(value);
  return (
    <div className="min-w-0 space-y-1">
      <p className="text-xs font-medium text-gray-600">{label}</p>
      {text ? (
        <pre className="max-h-80 overflow-auto rounded-md bg-gray-900 px-3 py-2 font-mono text-xs leading-5 text-gray-100" tabIndex={0}>
          {text}
        </pre>
      ) : (
        <p className="rounded-md bg-gray-50 px-3 py-2 text-xs text-gray-500">{t("noBody")}</p>
      )}
    </div>
  );
}

// LeadFlow's own notes in the log (the portal's texts are shown as the portal sent them).
const OWN_NOTES: [RegExp, string][] = [
  [/^the lead was deleted$/, "leadDeleted"],
  [/^the lead is not in Bitrix24$/, "notInBitrix"],
  [/^already in Bitrix24$/, "alreadyThere"],
  [/^already (\S+) in Bitrix24$/, "alreadyStatus"],
  [/^disconnected$/, "disconnected"],
  [/^connected to another portal$/, "otherPortal"],
  [/^deleted in Bitrix24: unlinked$/, "unlinked"],
  [/^(.*) — sending stopped until Bitrix24 is reconnected$/, "stopped"],
  [/^(.*) \(gave up after 24 h\)$/, "gaveUp"],
  [/^(.*): the lead was deleted in Bitrix24$/, "deletedThere"],
  [/^(?:TIMEOUT: )?no answer in time$/, "timeout"],
  [/^(?:NETWORK: )?the connection closed before the answer ended$/, "cut"],
  [/^not run \(the batch stopped before it\)$/, "notRun"],
];

/** A log note in the reader's language, when it is one of LeadFlow's own. */
function useNote() {
  const t = useTranslations("bitrix24.log.notes");
  return (text: string): string => {
    for (const [re, key] of OWN_NOTES) {
      const m = re.exec(text);
      if (m) return t(key, { detail: m[1] ?? "" });
    }
    return text;
  };
}

export function Bitrix24Log({ failed, leadId, pageSize }: { failed: boolean; leadId?: string; pageSize: number }) {
  const t = useTranslations("bitrix24.log");
  const note = useNote();
  const format = useFormatter();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [filtering, startFiltering] = useTransition();
  const [open, setOpen] = useState<Set<number>>(new Set());
  const overview = useBitrix24Overview();
  // While work is queued, new attempts come in on their own.
  const busy = Boolean(overview.data?.connected && overview.data.pending > 0);
  const log = useInfiniteQuery({
    ...trpc.bitrix24.log.infiniteQueryOptions({ failed: failed || undefined, leadId, limit: pageSize }, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
    refetchInterval: busy ? 5_000 : false,
    refetchIntervalInBackground: false,
  });
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(params.toString());
    if (value === null) next.delete(name);
    else next.set(name, value);
    const q = next.toString();
    startFiltering(() => router.replace(q ? `${pathname}?${q}` : pathname, { scroll: false }));
  };
  const toggle = (id: number) => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };
  const leadName = leadId ? (items.find((i) => i.leadId === leadId)?.lead ?? null) : null;
  const outcomeText = (o: string) => (t.has(`outcome.${o}`) ? t(`outcome.${o}`) : o);
  const time = (iso: string) => format.dateTime(new Date(iso), { day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <Link href="/settings/integrations" className="text-sm text-blue-700 hover:underline">
          ← {t("back")}
        </Link>
        <h2 className="text-lg font-semibold">{t("title")}</h2>
      </div>
      {overview.data ? (
        <Panel>
          <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
            <div className="min-w-0 flex-1">
              {overview.data.connected ? <p className="mb-2 text-sm font-medium text-gray-900">{overview.data.portal}</p> : null}
              <HealthLine overview={overview.data} />
            </div>
            {overview.data.connected ? (
              <div className="shrink-0">
                <RetryButton leadId={leadId} />
              </div>
            ) : null}
          </div>
        </Panel>
      ) : null}
      <div className="flex flex-wrap items-center gap-3" aria-busy={filtering || undefined}>
        <label className="inline-flex items-center gap-2 text-sm text-gray-800">
          <input type="checkbox" className="h-4 w-4 rounded border-gray-300" checked={failed} onChange={(e) => setParam("failed", e.target.checked ? "1" : null)} data-testid="b24-log-failed" />
          {t("onlyFailed")}
        </label>
        {leadId ? (
          <span className="inline-flex items-center gap-1 rounded-full border border-blue-200 bg-blue-50 py-0.5 pl-3 pr-1 text-sm text-blue-900" data-testid="b24-log-lead-chip">
            {t("leadChip", { name: leadName ?? `${leadId.slice(0, 8)}…` })}
            <button type="button" className="rounded-full px-1.5 text-blue-700 hover:bg-blue-100" onClick={() => setParam("lead", null)} aria-label={t("removeFilter")}>
              ×
            </button>
          </span>
        ) : null}
        {filtering ? <span className="text-xs text-gray-500">{t("loading")}</span> : null}
      </div>
      {items.length === 0 ? (
        <EmptyState title={failed ? t("emptyFailed") : t("empty")} hint={leadId ? (failed ? t("emptyLeadFailedHint") : t("emptyLeadHint")) : failed ? t("emptyFailedHint") : t("emptyHint")} />
      ) : (
        <section className="rounded-lg border border-gray-200 bg-white shadow-sm">
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-gray-200 text-sm" data-testid="b24-log-table">
              <thead className="bg-gray-50 text-left text-xs font-semibold uppercase tracking-wide text-gray-500">
                <tr>
                  <th scope="col" className="whitespace-nowrap px-3 py-2">
                    {t("col.time")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("col.lead")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("col.method")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("col.outcome")}
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    {t("col.http")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("col.error")}
                  </th>
                  <th scope="col" className="whitespace-nowrap px-3 py-2 text-right">
                    {t("col.duration")}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-gray-100">
                {items.map((a) => {
                  const expanded = open.has(a.id);
                  const outcome = a.outcome as Outcome;
                  return (
                    <Fragment key={a.id}>
                      <tr className={expanded ? "bg-blue-50/40" : "hover:bg-gray-50"} data-testid="b24-log-row" data-outcome={a.outcome}>
                        <td className="whitespace-nowrap px-3 py-2 align-top">
                          <button
                            type="button"
                            className="inline-flex items-center gap-1.5 rounded text-left tabular-nums text-gray-800 hover:text-blue-700 focus-visible:outline-2 focus-visible:outline-blue-600"
                            aria-expanded={expanded}
                            aria-controls={`b24-attempt-${a.id}`}
                            onClick={() => toggle(a.id)}
                          >
                            <span aria-hidden className={`inline-block text-gray-400 transition-transform ${expanded ? "rotate-90" : ""}`}>
                              ›
                            </span>
                            <span>{time(a.createdAt)}</span>
                            <span className="sr-only">{expanded ? t("hide") : t("show")}</span>
                          </button>
                          {/* On a phone the outcome is in view without scrolling the table sideways. */}
                          <span aria-hidden className="mt-1 flex items-center gap-2 pl-4 sm:hidden">
                            <Pill tone={OUTCOME_TONE[outcome] ?? "gray"}>{outcomeText(a.outcome)}</Pill>
                          </span>
                        </td>
                        <td className="max-w-[14rem] px-3 py-2 align-top">
                          {a.leadId ? (
                            <Link href={`/leads/${a.leadId}`} prefetch={false} className="block truncate text-blue-700 hover:underline">
                              {a.lead ?? t("unnamed")}
                            </Link>
                          ) : (
                            <span className="text-gray-400">—</span>
                          )}
                        </td>
                        <td className="whitespace-nowrap px-3 py-2 align-top font-mono text-xs leading-5 text-gray-700">{a.method}</td>
                        <td className="whitespace-nowrap px-3 py-2 align-top">
                          <Pill tone={OUTCOME_TONE[outcome] ?? "gray"}>{outcomeText(a.outcome)}</Pill>
                          {outcome === "retry" && a.nextAt ? (
                            <span className="mt-0.5 block text-xs text-amber-800">{t("nextAt", { time: format.dateTime(new Date(a.nextAt), { hour: "2-digit", minute: "2-digit" }) })}</span>
                          ) : null}
                        </td>
                        <td className="whitespace-nowrap px-3 py-2 text-right align-top font-mono text-xs leading-5 tabular-nums text-gray-700">{a.httpStatus ?? "—"}</td>
                        <td className={`min-w-[12rem] max-w-md px-3 py-2 align-top text-xs leading-5 ${outcome === "failed" || outcome === "retry" ? "text-red-800" : "text-gray-600"}`}>
                          {a.error ? (
                            <span className="line-clamp-2 break-words" title={note(a.error)}>
                              {note(a.error)}
                            </span>
                          ) : (
                            <span className="text-gray-400">—</span>
                          )}
                        </td>
                        <td className="whitespace-nowrap px-3 py-2 text-right align-top tabular-nums text-gray-600">{a.durationMs === null ? "—" : a.durationMs < 1000 ? t("ms", { ms: a.durationMs }) : t("seconds", { s: format.number(a.durationMs / 1000, { maximumFractionDigits: 1 }) })}</td>
                      </tr>
                      {expanded ? (
                        <tr id={`b24-attempt-${a.id}`} className="bg-gray-50/60">
                          <td colSpan={7} className="px-3 pb-4 pt-2">
                            {/* On a phone the table scrolls sideways: the details stay in view at its left edge. */}
                            <div className="sticky left-3 w-[calc(100vw-3.5rem)] sm:static sm:w-auto">
                              <div className="mb-2 flex flex-wrap items-baseline gap-x-4 gap-y-1 text-xs text-gray-500">
                                {a.bitrixId ? <span>{t("bitrixId", { id: a.bitrixId })}</span> : null}
                                {a.opId ? <span>{t("op", { id: a.opId, state: a.opState ? (t.has(`opState.${a.opState}`) ? t(`opState.${a.opState}`) : a.opState) : "—" })}</span> : null}
                                {a.leadId && a.leadId !== leadId ? (
                                  <button type="button" className="text-blue-700 hover:underline" onClick={() => setParam("lead", a.leadId)}>
                                    {t("onlyThis")}
                                  </button>
                                ) : null}
                              </div>
                              {a.error ? <p className={`mb-2 whitespace-pre-wrap break-words text-xs ${outcome === "failed" || outcome === "retry" ? "text-red-800" : "text-gray-600"}`}>{note(a.error)}</p> : null}
                              <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
                                <JsonBlock label={t("request")} value={a.request} />
                                <JsonBlock label={t("response")} value={a.response} />
                              </div>
                            </div>
                          </td>
                        </tr>
                      ) : null}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
          {log.hasNextPage ? (
            <div className="border-t border-gray-100 p-3 text-center">
              <Button variant="secondary" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage} data-testid="b24-log-more">
                {log.isFetchingNextPage ? t("loading") : t("more")}
              </Button>
            </div>
          ) : null}
        </section>
      )}
    </div>
  );
}
