"use client";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "@/components/ui/button";
import { useNow } from "@/components/ui/use-now";
import { useErrorText } from "@/components/ui/use-error-text";

// What the integrations tab and the sync log share: the overview query, the health line, "retry now".

/** The connection and its health; polled while work is queued, so the counts move on their own. */
export function useBitrix24Overview() {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.bitrix24.overview.queryOptions(),
    refetchInterval: (q) => {
      const d = q.state.data;
      return d?.connected && (d.pending > 0 || d.bucketWaitMs > 0) ? 5_000 : 30_000;
    },
    refetchIntervalInBackground: false,
  });
}

export type B24Overview = NonNullable<ReturnType<typeof useBitrix24Overview>["data"]>;
export type B24Connected = Extract<B24Overview, { connected: true }>;

export const LOG_HREF = "/settings/integrations/log";

/** Every Bitrix24 query (overview, log, backfills) after a change. */
export function useInvalidateBitrix24() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: trpc.bitrix24.pathKey() });
}

type Tone = "green" | "red" | "gray" | "amber" | "blue";
const TONES: Record<Tone, string> = {
  green: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  red: "bg-red-50 text-red-800 ring-red-200",
  gray: "bg-gray-100 text-gray-700 ring-gray-200",
  amber: "bg-amber-50 text-amber-800 ring-amber-200",
  blue: "bg-blue-50 text-blue-800 ring-blue-200",
};

export function Pill({ tone, children, testId }: { tone: Tone; children: React.ReactNode; testId?: string }) {
  return (
    <span className={`inline-flex max-w-full items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`} data-testid={testId}>
      {children}
    </span>
  );
}

function Dot({ tone }: { tone: "green" | "red" | "gray" }) {
  const c = { green: "bg-emerald-500", red: "bg-red-500", gray: "bg-gray-400" }[tone];
  return <span aria-hidden className={`h-1.5 w-1.5 shrink-0 rounded-full ${c}`} />;
}

/** Works / stopped (with the portal's reason) / switched off / not connected. */
export function StatusBadge({ overview }: { overview: B24Overview }) {
  const t = useTranslations("bitrix24.health");
  if (!overview.connected)
    return (
      <Pill tone="gray" testId="b24-status">
        <Dot tone="gray" />
        {t("notConnected")}
      </Pill>
    );
  if (overview.brokenReason)
    return (
      <Pill tone="red" testId="b24-status">
        <Dot tone="red" />
        <span className="break-words">{t("broken", { reason: overview.brokenReason })}</span>
      </Pill>
    );
  if (!overview.enabled)
    return (
      <Pill tone="gray" testId="b24-status">
        <Dot tone="gray" />
        {t("off")}
      </Pill>
    );
  return (
    <Pill tone="green" testId="b24-status">
      <Dot tone="green" />
      {t("ok")}
    </Pill>
  );
}

/** One line of health: status, queue, failures (→ the log), last success, the portal's pause, links. */
export function HealthLine({ overview }: { overview: B24Overview }) {
  const t = useTranslations("bitrix24.health");
  const format = useFormatter();
  const now = useNow(15_000);
  if (!overview.connected) return <StatusBadge overview={overview} />;
  const when = (iso: string) => (now === null ? format.dateTime(new Date(iso), { dateStyle: "short", timeStyle: "short" }) : format.relativeTime(new Date(iso), now));
  const nextAt = overview.pending > 0 && overview.nextAt && now !== null && new Date(overview.nextAt).getTime() > now ? overview.nextAt : null;
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-gray-700" data-testid="b24-health">
      <StatusBadge overview={overview} />
      <span data-testid="b24-pending">
        {t("pending", { count: overview.pending })}
        {nextAt ? <span className="text-gray-500"> · {t("nextAt", { time: format.dateTime(new Date(nextAt), { timeStyle: "short" }) })}</span> : null}
      </span>
      {overview.failed > 0 ? (
        <Link href={`${LOG_HREF}?failed=1`} className="font-medium text-red-700 underline-offset-2 hover:underline" data-testid="b24-failed">
          {t("failed", { count: overview.failed })}
        </Link>
      ) : (
        <span className="text-gray-500" data-testid="b24-failed">
          {t("noFailed")}
        </span>
      )}
      <span className="text-gray-500">{overview.lastSuccessAt ? t("lastSuccess", { time: when(overview.lastSuccessAt) }) : t("noSuccess")}</span>
      {overview.bucketWaitMs > 0 ? <span className="text-amber-700">{t("bucketWait", { seconds: Math.max(1, Math.ceil(overview.bucketWaitMs / 1000)) })}</span> : null}
      <span className="text-gray-500">{t("linked", { count: overview.linked })}</span>
    </div>
  );
}

/** "Retry now": failed work (all, or one lead's) goes back to the queue, due at once; a stop is lifted. */
export function RetryButton({ leadId, variant = "secondary" }: { leadId?: string; variant?: "primary" | "secondary" }) {
  const t = useTranslations("bitrix24.health");
  const trpc = useTRPC();
  const invalidate = useInvalidateBitrix24();
  const errorText = useErrorText();
  const retry = useMutation(
    trpc.bitrix24.retry.mutationOptions({
      onSuccess: (r) => {
        toast.success(t("retried", { count: r.queued }));
        void invalidate();
      },
      onError: (e) => toast.error(errorText(e)),
    }),
  );
  return (
    <Button type="button" variant={variant} onClick={() => retry.mutate(leadId ? { leadId } : {})} disabled={retry.isPending} data-testid="b24-retry">
      {retry.isPending ? t("retrying") : leadId ? t("retryLead") : t("retry")}
    </Button>
  );
}
