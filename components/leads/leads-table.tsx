"use client";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { leadFiltersFromUrl, leadFiltersToUrl, type LeadUrlFilters } from "@/lib/validators/leads";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { EmptyState } from "@/components/ui/card";
import { StatusBadge } from "./status-badge";
import { useDebounced } from "./use-debounced";
import { formatPhone } from "./format-phone";
import { AssigneeFilter, ChannelFilter } from "./filter-selects";
import { SavedViews } from "./saved-views";
import { BulkBar } from "./bulk-bar";
import { LEAD_SORTS } from "@/lib/validators/leads";

export const LEADS_PAGE_SIZE = 25;

/** The leads list: filters live in the URL (shareable, the back button works), counted as filtered. */
export function LeadsTable({ me }: { me: { userId: string; role: "owner" | "manager" | "sales" } }) {
  const t = useTranslations("leads");
  const tcat = useTranslations("category");
  const tc = useTranslations("channel");
  const format = useFormatter();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filters = useMemo(() => leadFiltersFromUrl(params), [params]);
  const [q, setQ] = useState(filters.q ?? "");
  const query = useDebounced(q, 250);

  const setFilters = (next: LeadUrlFilters) => {
    const merged: LeadUrlFilters = { ...filters, ...next };
    const search = leadFiltersToUrl(merged).toString();
    router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
  };
  // The search box writes to the URL once typing pauses.
  useEffect(() => {
    if ((filters.q ?? "") !== query.trim()) setFilters({ q: query.trim() || undefined });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the debounced text changes
  }, [query]);

  const stages = useQuery(trpc.leads.stages.queryOptions());
  const options = useQuery(trpc.leads.filterOptions.queryOptions());
  const viewQuery = leadFiltersToUrl(filters).toString();
  // The selection belongs to one view: changing filters or order clears it.
  const [selection, setSelection] = useState<{ view: string; ids: Set<string> }>({ view: viewQuery, ids: new Set() });
  const selected = selection.view === viewQuery ? selection.ids : new Set<string>();
  const setSelected = (ids: Set<string>) => setSelection({ view: viewQuery, ids });
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const applyView = (query: string) => {
    setQ(new URLSearchParams(query).get("q") ?? "");
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };
  // The count takes the filters only (the order does not change it): the same query key as the page's prefetch.
  const { sort: _sort, ...countFilters } = filters;
  const total = useQuery(trpc.leads.count.queryOptions(countFilters));
  const list = useInfiniteQuery(
    trpc.leads.find.infiniteQueryOptions({ ...filters, limit: LEADS_PAGE_SIZE }, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
  );
  // New leads without a reload: every 15 s, how many arrived after the newest one on screen.
  // (The newest of those loaded, whatever the order.)
  const newest = list.data?.pages.flatMap((p) => p.items).reduce<string | undefined>((m, l) => (!m || l.createdAt > m ? l.createdAt : m), undefined);
  const fresh = useQuery({
    ...trpc.leads.count.queryOptions({ ...countFilters, createdAfter: newest ?? new Date(0).toISOString() }),
    enabled: Boolean(newest) && !filters.to,
    refetchInterval: 15_000,
    refetchIntervalInBackground: false,
  });
  const stageByKey = useMemo(() => new Map((stages.data ?? []).map((s) => [s.key, s])), [stages.data]);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(
    filters.q || filters.status || filters.channel || filters.assignee || filters.site || filters.source || filters.category || filters.due || filters.spam !== "hide" || filters.from || filters.to,
  );
  // On a phone the filters fold away behind one button (with how many are on).
  const [showFilters, setShowFilters] = useState(false);
  const activeFilters = [filters.status, filters.channel, filters.assignee, filters.site, filters.source, filters.category, filters.due, filters.from, filters.to, filters.spam !== "hide" ? "1" : undefined].filter(Boolean).length;
  const allShown = items.length > 0 && items.every((l) => selected.has(l.id));
  const leadHref = (id: string) => `/leads/${id}${viewQuery ? `?${viewQuery}` : ""}`;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <div className="mr-auto flex items-baseline gap-3">
          <h1 className="text-xl font-semibold">{t("title")}</h1>
          {total.data !== undefined ? (
            <span className="text-sm text-gray-500" data-testid="leads-total">
              {filtered ? t("found", { count: total.data }) : t("total", { count: total.data })}
            </span>
          ) : null}
        </div>
        <label className="w-full sm:w-80">
          <span className="sr-only">{t("searchLabel")}</span>
          <Input type="search" placeholder={t("search")} value={q} onChange={(e) => setQ(e.target.value)} aria-label={t("searchLabel")} />
        </label>
      </div>
      <SavedViews current={viewQuery} onApply={applyView} />
      <div className="flex items-center gap-2 sm:hidden">
        <Button variant="secondary" onClick={() => setShowFilters((v) => !v)} aria-expanded={showFilters} aria-controls="lead-filters">
          {t("filters")}
          {activeFilters > 0 ? <span className="rounded-full bg-blue-600 px-1.5 text-xs font-semibold leading-5 text-white">{activeFilters}</span> : null}
        </Button>
      </div>
      <div id="lead-filters" className={`${showFilters ? "flex" : "hidden"} flex-wrap items-center gap-2 sm:flex`} role="group" aria-label={t("filters")}>
        <Select aria-label={t("statusFilter")} value={filters.status ?? ""} onChange={(e) => setFilters({ status: e.target.value || undefined })}>
          <option value="">{t("allStatuses")}</option>
          {(stages.data ?? []).map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
        </Select>
        <ChannelFilter value={filters.channel} onChange={(channel) => setFilters({ channel })} />
        <AssigneeFilter value={filters.assignee} onChange={(assignee) => setFilters({ assignee })} />
        {(options.data?.sites.length ?? 0) > 0 ? (
          <Select aria-label={t("siteFilter")} value={filters.site ?? ""} onChange={(e) => setFilters({ site: e.target.value || undefined })} data-testid="site-filter">
            <option value="">{t("allSites")}</option>
            {(options.data?.sites ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.archived ? t("archivedSite", { name: s.name }) : s.name}
              </option>
            ))}
          </Select>
        ) : null}
        <Select aria-label={t("categoryFilter")} value={filters.category ?? ""} onChange={(e) => setFilters({ category: e.target.value || undefined })}>
          <option value="">{t("allCategories")}</option>
          {(options.data?.categories ?? []).map((c) => (
            <option key={c} value={c}>
              {tcat.has(c) ? tcat(c) : c}
            </option>
          ))}
        </Select>
        <Select aria-label={t("dueFilter")} value={filters.due ?? ""} onChange={(e) => setFilters({ due: e.target.value || undefined })} data-testid="due-filter">
          <option value="">{t("dueAny")}</option>
          <option value="response">{t("dueResponse")}</option>
          <option value="step">{t("dueStep")}</option>
        </Select>
        <Select aria-label={t("spamFilter")} value={filters.spam ?? "hide"} onChange={(e) => setFilters({ spam: e.target.value })}>
          <option value="hide">{t("spamHide")}</option>
          <option value="only">{t("spamOnly")}</option>
          <option value="all">{t("spamAll")}</option>
        </Select>
        <label className="flex items-center gap-1 text-sm text-gray-600">
          {t("from")}
          <Input type="date" className="w-auto" value={filters.from ?? ""} onChange={(e) => setFilters({ from: e.target.value || undefined })} aria-label={t("fromLabel")} />
        </label>
        <label className="flex items-center gap-1 text-sm text-gray-600">
          {t("to")}
          <Input type="date" className="w-auto" value={filters.to ?? ""} onChange={(e) => setFilters({ to: e.target.value || undefined })} aria-label={t("toLabel")} />
        </label>
        <label className="flex items-center gap-1 text-sm text-gray-600">
          <span className="sr-only">{t("sortLabel")}</span>
          <Select aria-label={t("sortLabel")} value={filters.sort ?? "created"} onChange={(e) => setFilters({ sort: e.target.value })} data-testid="sort-select">
            {LEAD_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`sort.${s}`)}
              </option>
            ))}
          </Select>
        </label>
        {filters.source ? (
          <button
            type="button"
            className="inline-flex items-center gap-1 rounded-full border border-blue-200 bg-blue-50 px-3 py-1 text-xs font-medium text-blue-800 hover:bg-blue-100"
            onClick={() => setFilters({ source: undefined })}
            title={t("removeFilter")}
            data-testid="source-chip"
          >
            {t("sourceChip", { source: filters.source === "none" ? t("noSource") : filters.source })} ×
          </button>
        ) : null}
        {filtered ? (
          <Button variant="ghost" onClick={() => (setQ(""), router.replace(pathname, { scroll: false }))}>
            {t("reset")}
          </Button>
        ) : null}
        <Link href="/leads/import" className="ml-auto text-sm text-blue-700 hover:underline" data-testid="import-link">
          {t("importCsv")}
        </Link>
        <a
          href={`/api/leads/export.csv${(() => {
            const s = leadFiltersToUrl({ ...filters, spam: filters.spam }).toString();
            return s ? `?${s}` : "";
          })()}`}
          className="inline-flex items-center rounded-md border border-gray-300 bg-white px-3 py-2 text-sm font-medium text-gray-800 hover:bg-gray-50"
          data-testid="export-csv"
          download
        >
          {t("exportCsv")}
        </a>
      </div>

      {selected.size > 0 ? (
        <BulkBar
          ids={[...selected]}
          me={me}
          onClear={() => setSelected(new Set())}
          onDone={() => {
            setSelected(new Set());
            void Promise.all([list.refetch(), total.refetch()]);
          }}
        />
      ) : null}
      {fresh.data ? (
        <div className="flex justify-center">
          <button
            type="button"
            onClick={() => void Promise.all([list.refetch(), total.refetch()])}
            className="rounded-full bg-blue-600 px-4 py-1.5 text-sm font-medium text-white shadow hover:bg-blue-700"
            data-testid="new-leads"
          >
            {t("newLeads", { count: fresh.data })}
          </button>
        </div>
      ) : null}
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
            <Button variant="secondary" onClick={() => (setQ(""), router.replace(pathname, { scroll: false }))}>
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
                <th className="w-10 py-2.5 pl-4 pr-1">
                  <input
                    type="checkbox"
                    className="h-4 w-4 rounded border-gray-300 align-middle"
                    checked={allShown}
                    onChange={() => setSelected(allShown ? new Set() : new Set(items.map((l) => l.id)))}
                    aria-label={t("selectAll")}
                    data-testid="select-all"
                  />
                </th>
                <th className="hidden px-4 py-2.5 sm:table-cell">{t("col.created")}</th>
                <th className="px-4 py-2.5">{t("col.contact")}</th>
                <th className="hidden px-4 py-2.5 md:table-cell">{t("col.company")}</th>
                <th className="hidden px-4 py-2.5 lg:table-cell">{t("col.channel")}</th>
                <th className="hidden px-4 py-2.5 lg:table-cell">{t("col.source")}</th>
                <th className="hidden px-4 py-2.5 xl:table-cell">{t("col.category")}</th>
                <th className="hidden px-4 py-2.5 text-right lg:table-cell">{t("col.score")}</th>
                <th className="px-4 py-2.5">{t("col.status")}</th>
                <th className="hidden px-4 py-2.5 md:table-cell">{t("col.assignee")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {items.map((lead) => {
                const stage = stageByKey.get(lead.status);
                return (
                  // The whole row opens the lead; the name stays a real link for keyboards and new tabs.
                  <tr
                    key={lead.id}
                    className={`cursor-pointer ${selected.has(lead.id) ? "bg-blue-50" : "hover:bg-blue-50/40"}`}
                    onClick={(e) => {
                      if ((e.target as HTMLElement).closest("a, input, label")) return;
                      if (e.metaKey || e.ctrlKey) window.open(leadHref(lead.id), "_blank");
                      else router.push(leadHref(lead.id));
                    }}
                  >
                    <td
                      className="w-10 py-2.5 pl-4 pr-1"
                      // The cell around the checkbox selects too (a bigger target); it never opens the lead.
                      onClick={(e) => {
                        e.stopPropagation();
                        if (e.target === e.currentTarget) toggle(lead.id);
                      }}
                    >
                      <input
                        type="checkbox"
                        className="h-4 w-4 rounded border-gray-300 align-middle"
                        checked={selected.has(lead.id)}
                        onChange={() => toggle(lead.id)}
                        aria-label={t("select", { name: lead.name || lead.email || lead.phone || lead.id })}
                      />
                    </td>
                    <td className="hidden whitespace-nowrap px-4 py-2.5 text-gray-500 sm:table-cell">
                      {format.dateTime(new Date(lead.createdAt), { dateStyle: "short", timeStyle: "short" })}
                    </td>
                    <td className="max-w-[14rem] break-words px-4 py-2.5 sm:max-w-none">
                      <Link href={leadHref(lead.id)} prefetch={false} className="font-medium text-gray-900 hover:text-blue-700 hover:underline">
                        {lead.name || lead.email || (lead.phone ? formatPhone(lead.phone) : t("noName"))}
                      </Link>
                      <div className="text-xs text-gray-500">{[lead.email, lead.phone ? formatPhone(lead.phone) : null].filter(Boolean).join(" · ")}</div>
                      <div className="text-xs text-gray-400 sm:hidden">{format.dateTime(new Date(lead.createdAt), { dateStyle: "short", timeStyle: "short" })}</div>
                      {lead.spam ? <span className="text-xs font-medium text-red-600">{t("spam")}</span> : null}
                      {lead.submissions > 1 ? <span className="ml-1 text-xs text-gray-500">({t("submissions", { count: lead.submissions })})</span> : null}
                    </td>
                    <td className="hidden px-4 py-2.5 text-gray-700 md:table-cell">{lead.company}</td>
                    <td className="hidden px-4 py-2.5 text-gray-700 lg:table-cell">{tc(lead.channel)}</td>
                    <td className="hidden px-4 py-2.5 text-gray-500 lg:table-cell">{lead.utm.source ?? ""}</td>
                    <td className="hidden px-4 py-2.5 text-gray-700 xl:table-cell">{lead.ai?.category ? (tcat.has(lead.ai.category) ? tcat(lead.ai.category) : lead.ai.category) : ""}</td>
                    <td className="hidden px-4 py-2.5 text-right tabular-nums lg:table-cell">
                      {lead.ai?.score != null ? (
                        <span className={`font-medium ${lead.ai.score >= 70 ? "text-emerald-700" : lead.ai.score >= 40 ? "text-amber-700" : "text-gray-500"}`}>{lead.ai.score}</span>
                      ) : (
                        <span className="text-gray-300">—</span>
                      )}
                    </td>
                    <td className="px-4 py-2.5">
                      <StatusBadge label={stage?.label ?? lead.status} color={stage?.color} />
                    </td>
                    <td className="hidden px-4 py-2.5 text-gray-700 md:table-cell">
                      {lead.assignee?.name || lead.assignee?.email || <span className="text-gray-400">{t("unassigned")}</span>}
                    </td>
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
