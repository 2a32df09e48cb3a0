"use client";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { EmptyState } from "@/components/ui/card";
import { StatusBadge } from "./status-badge";
import { useDebounced } from "./use-debounced";
import { CHANNELS, type Channel } from "@/db/schema/enums";


export function LeadsTable() {
  const t = useTranslations("leads");
  const tc = useTranslations("channel");
  const format = useFormatter();
  const trpc = useTRPC();
  const [q, setQ] = useState("");
  const [status, setStatus] = useState("");
  const [channel, setChannel] = useState("");
  const query = useDebounced(q, 250);

  const filters = {
    limit: 25,
    ...(query ? { q: query } : {}),
    ...(status ? { status } : {}),
    ...(channel ? { channel: channel as Channel } : {}),
  };
  const stages = useQuery(trpc.leads.stages.queryOptions());
  const total = useQuery(trpc.leads.count.queryOptions());
  const list = useInfiniteQuery(
    trpc.leads.find.infiniteQueryOptions(filters, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
  );
  const stageByKey = useMemo(() => new Map((stages.data ?? []).map((s) => [s.key, s])), [stages.data]);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(query || status || channel);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <div className="mr-auto flex items-baseline gap-3">
          <h1 className="text-xl font-semibold">{t("title")}</h1>
          {total.data !== undefined ? (
            <span className="text-sm text-gray-500" data-testid="leads-total">
              {t("total", { count: total.data })}
            </span>
          ) : null}
        </div>
        <label className="w-full sm:w-80">
          <span className="sr-only">{t("searchLabel")}</span>
          <Input type="search" placeholder={t("search")} value={q} onChange={(e) => setQ(e.target.value)} aria-label={t("searchLabel")} />
        </label>
        <Select aria-label={t("statusFilter")} value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">{t("allStatuses")}</option>
          {(stages.data ?? []).map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
        </Select>
        <Select aria-label={t("channelFilter")} value={channel} onChange={(e) => setChannel(e.target.value)}>
          <option value="">{t("allChannels")}</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {tc(c)}
            </option>
          ))}
        </Select>
      </div>

      {list.isError ? (
        <EmptyState title={t("loadError")}>
          <Button variant="secondary" onClick={() => list.refetch()}>
            {t("retry")}
          </Button>
        </EmptyState>
      ) : list.isPending ? (
        <div className="space-y-2" aria-busy="true" aria-label={t("loading")}>
          {Array.from({ length: 8 }, (_, i) => (
            <div key={i} className="h-12 animate-pulse rounded-md bg-gray-200/70" />
          ))}
        </div>
      ) : items.length === 0 ? (
        filtered ? (
          <EmptyState title={t("noResults")} hint={t("noResultsHint")}>
            <Button variant="secondary" onClick={() => (setQ(""), setStatus(""), setChannel(""))}>
              {t("reset")}
            </Button>
          </EmptyState>
        ) : (
          <EmptyState title={t("empty")} hint={t("emptyHint")} />
        )
      ) : (
        <div className="overflow-x-auto rounded-lg border border-gray-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-gray-200 text-sm" data-testid="leads-table">
            <thead className="bg-gray-50 text-left text-xs font-semibold uppercase tracking-wide text-gray-500">
              <tr>
                <th className="px-4 py-2.5">{t("col.created")}</th>
                <th className="px-4 py-2.5">{t("col.contact")}</th>
                <th className="px-4 py-2.5">{t("col.company")}</th>
                <th className="px-4 py-2.5">{t("col.channel")}</th>
                <th className="px-4 py-2.5">{t("col.source")}</th>
                <th className="px-4 py-2.5">{t("col.status")}</th>
                <th className="px-4 py-2.5">{t("col.assignee")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {items.map((lead) => {
                const stage = stageByKey.get(lead.status);
                return (
                  <tr key={lead.id} className="hover:bg-blue-50/40">
                    <td className="whitespace-nowrap px-4 py-2.5 text-gray-500">
                      {format.dateTime(new Date(lead.createdAt), { dateStyle: "short", timeStyle: "short" })}
                    </td>
                    <td className="px-4 py-2.5">
                      <Link href={`/leads/${lead.id}`} className="font-medium text-gray-900 hover:text-blue-700 hover:underline">
                        {lead.name || lead.email || lead.phone || t("noName")}
                      </Link>
                      <div className="text-xs text-gray-500">{[lead.email, lead.phone].filter(Boolean).join(" · ")}</div>
                      {lead.spam ? <span className="text-xs font-medium text-red-600">{t("spam")}</span> : null}
                      {lead.submissions > 1 ? <span className="ml-1 text-xs text-gray-500">({t("submissions", { count: lead.submissions })})</span> : null}
                    </td>
                    <td className="px-4 py-2.5 text-gray-700">{lead.company}</td>
                    <td className="px-4 py-2.5 text-gray-700">{tc(lead.channel)}</td>
                    <td className="px-4 py-2.5 text-gray-500">{lead.utm.source ?? ""}</td>
                    <td className="px-4 py-2.5">
                      <StatusBadge label={stage?.label ?? lead.status} color={stage?.color} />
                    </td>
                    <td className="px-4 py-2.5 text-gray-700">{lead.assignee?.name || lead.assignee?.email || <span className="text-gray-400">{t("unassigned")}</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {list.hasNextPage ? (
            <div className="border-t border-gray-100 p-3 text-center">
              <Button variant="secondary" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
                {list.isFetchingNextPage ? t("loading") : t("loadMore")}
              </Button>
            </div>
          ) : null}
        </div>
      )}
    </div>
  );
}
