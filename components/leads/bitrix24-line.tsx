"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { Panel } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc/client";

/** The lead's place in Bitrix24: its id with a link into the portal, or that it is on its way / why not. */
export function Bitrix24Line({ leadId }: { leadId: string }) {
  const t = useTranslations("lead.b24");
  const format = useFormatter();
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.bitrix24.lead.queryOptions({ leadId }), refetchInterval: (query) => (query.state.data?.connected && query.state.data.state === "pending" ? 3000 : false) });
  const d = q.data;
  if (!d?.connected) return null;
  return (
    <Panel title="Bitrix24">
      <div className="space-y-1 text-sm" data-testid="lead-bitrix24" data-state={d.state}>
        {d.bitrixId && d.url ? (
          <p>
            <a href={d.url} target="_blank" rel="noreferrer noopener" className="font-medium text-blue-700 hover:underline" data-testid="lead-bitrix24-link">
              {t("lead", { id: d.bitrixId })} ↗
            </a>
            {d.syncedAt ? <span className="text-gray-500"> · {t("synced", { when: format.relativeTime(new Date(d.syncedAt)) })}</span> : null}
          </p>
        ) : null}
        {d.state === "pending" ? (
          <p className="text-amber-700">
            {d.broken
              ? t("stopped", { reason: d.broken })
              : d.error && d.nextAt
                ? t("retrying", { when: format.dateTime(new Date(d.nextAt), { timeStyle: "short" }), error: d.error })
                : d.bitrixId
                  ? t("pendingUpdate")
                  : t("pending")}
          </p>
        ) : null}
        {d.state === "failed" ? <p className="text-red-700">{t("failed", { error: d.error ?? "" })}</p> : null}
        {d.state === "none" ? <p className="text-gray-500">{t("none")}</p> : null}
      </div>
    </Panel>
  );
}
