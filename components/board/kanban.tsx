"use client";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useNow } from "@/components/ui/use-now";
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type DragEndEvent,
  type KeyboardCoordinateGetter,
} from "@dnd-kit/core";
import { useTRPC } from "@/lib/trpc/client";
import type { TLead } from "@/lib/validators/leads";
import { boardFilters, leadFiltersFromUrl, leadFiltersToUrl } from "@/lib/validators/leads";
import { Button } from "@/components/ui/button";
import { StatusBadge } from "@/components/leads/status-badge";
import { AssigneeFilter, ChannelFilter } from "@/components/leads/filter-selects";
import { formatPhone } from "@/components/leads/format-phone";

type Stage = { key: string; label: string; color: string; terminal: boolean };
type Column = { key: string; count: number; items: TLead[]; nextCursor: string | null };

/**
 * Keyboard moves between columns: with a card picked up (Space or Enter), ← and → jump to the
 * neighbouring column's top; Space or Enter drops it there, Escape cancels.
 */
const columnCoordinates: KeyboardCoordinateGetter = (event, { context: { droppableRects, collisionRect } }) => {
  if (event.code !== "ArrowRight" && event.code !== "ArrowLeft") return undefined;
  if (!collisionRect) return undefined;
  event.preventDefault();
  const rects = [...droppableRects.values()].sort((a, b) => a.left - b.left);
  const center = collisionRect.left + collisionRect.width / 2;
  let index = rects.findIndex((r) => center >= r.left && center <= r.left + r.width);
  if (index < 0) index = 0;
  const next = rects[Math.min(rects.length - 1, Math.max(0, index + (event.code === "ArrowRight" ? 1 : -1)))];
  if (!next) return undefined;
  return { x: next.left + next.width / 2 - collisionRect.width / 2, y: next.top + 48 };
};

function Card({ lead, dragging = false }: { lead: TLead; dragging?: boolean }) {
  const t = useTranslations("board");
  const tl = useTranslations("leads");
  const tc = useTranslations("channel");
  const format = useFormatter();
  const now = useNow();
  const age = now === null ? format.dateTime(new Date(lead.createdAt), { dateStyle: "short" }) : format.relativeTime(new Date(lead.createdAt), now);
  return (
    <div className={`rounded-md border bg-white p-2.5 text-sm shadow-sm ${dragging ? "border-blue-400 shadow-lg" : "border-gray-200 hover:border-blue-300"}`}>
      <Link href={`/leads/${lead.id}`} prefetch={false} className="block break-words font-medium text-gray-900 [overflow-wrap:anywhere] hover:text-blue-700" draggable={false}>
        {lead.name || lead.email || (lead.phone ? formatPhone(lead.phone) : tl("noName"))}
      </Link>
      {lead.company ? <p className="truncate text-xs text-gray-500">{lead.company}</p> : null}
      <p className="mt-1.5 flex flex-wrap items-center gap-x-2 text-xs text-gray-500">
        <span title={t("age")}>{age}</span>
        <span aria-hidden>·</span>
        <span>{tc(lead.channel)}</span>
      </p>
      <p className="mt-0.5 truncate text-xs text-gray-400">{lead.assignee ? lead.assignee.name || lead.assignee.email : tl("unassigned")}</p>
    </div>
  );
}

function DraggableCard({ lead, column }: { lead: TLead; column: string }) {
  const t = useTranslations("board");
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: lead.id, data: { column } });
  return (
    <li
      ref={setNodeRef}
      {...attributes}
      {...listeners}
      aria-roledescription={t("card")}
      aria-label={lead.name || lead.email || lead.phone || ""}
      data-testid={`card-${lead.id}`}
      className={`rounded-md outline-none focus-visible:ring-2 focus-visible:ring-blue-500 ${isDragging ? "opacity-40" : ""}`}
    >
      <Card lead={lead} />
    </li>
  );
}

function BoardColumn({ stage, column, onMore, loadingMore }: { stage: Stage; column: Column; onMore: () => void; loadingMore: boolean }) {
  const t = useTranslations("board");
  const { setNodeRef, isOver } = useDroppable({ id: stage.key });
  return (
    <section
      ref={setNodeRef}
      className={`flex min-h-40 w-64 shrink-0 snap-start flex-col rounded-lg p-2 xl:w-auto ${isOver ? "bg-blue-50 ring-2 ring-blue-300" : "bg-gray-100"}`}
      aria-label={`${stage.label}: ${column.count}`}
      data-testid={`column-${stage.key}`}
    >
      <header className="mb-2 flex items-center justify-between px-1">
        <StatusBadge label={stage.label} color={stage.color} />
        <span className="text-xs font-medium text-gray-500" data-testid={`count-${stage.key}`}>
          {column.count}
        </span>
      </header>
      <ul className="space-y-2">
        {column.items.map((l) => (
          <DraggableCard key={l.id} lead={l} column={stage.key} />
        ))}
        {column.count === 0 ? <li className="px-1 py-6 text-center text-xs text-gray-400">{t("empty")}</li> : null}
      </ul>
      {column.nextCursor ? (
        <Button variant="ghost" className="mt-2 w-full text-xs" onClick={onMore} disabled={loadingMore}>
          {loadingMore ? t("loading") : t("more", { count: column.count - column.items.length })}
        </Button>
      ) : null}
    </section>
  );
}

/** The pipeline as a board: drag a card (or pick it up with the keyboard) to change its status. */
export function Kanban({ stages }: { stages: Stage[] }) {
  const t = useTranslations("board");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const urlFilters = useMemo(() => leadFiltersFromUrl(params), [params]);
  const filters = useMemo(() => boardFilters(urlFilters), [urlFilters]);
  const board = useQuery(trpc.leads.board.queryOptions(filters));
  // Local changes (an optimistic move, loaded cards) sit on top of the server's board until it is
  // fetched again; a fresh board from the server replaces them.
  const [local, setLocal] = useState<{ base: unknown; columns: Map<string, Column> } | null>(null);
  const columns = useMemo(
    () => (local && local.base === board.data ? local.columns : new Map((board.data ?? []).map((c) => [c.key, c]))),
    [local, board.data],
  );
  const setColumns = (next: Map<string, Column>) => setLocal({ base: board.data, columns: next });
  const [activeId, setActiveId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState<string | null>(null);
  const setStatus = useMutation(trpc.leads.setStatus.mutationOptions());
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }), useSensor(KeyboardSensor, { coordinateGetter: columnCoordinates }));
  const column = (key: string): Column => columns.get(key) ?? { key, count: 0, items: [], nextCursor: null };
  const active = activeId ? [...columns.values()].flatMap((c) => c.items).find((l) => l.id === activeId) : undefined;

  const move = (leadId: string, from: string, to: string) => {
    const before = new Map(columns);
    const lead = column(from).items.find((l) => l.id === leadId);
    if (!lead) return;
    // Optimistic: the card is in its new column at once; the server's answer confirms or rolls back.
    const next = new Map(columns);
    next.set(from, { ...column(from), count: column(from).count - 1, items: column(from).items.filter((l) => l.id !== leadId) });
    next.set(to, { ...column(to), count: column(to).count + 1, items: [{ ...lead, status: to }, ...column(to).items] });
    setColumns(next);
    setError(null);
    setStatus.mutate(
      { id: leadId, status: to },
      {
        onError: () => {
          setColumns(before);
          setError(t("moveFailed", { name: lead.name || lead.email || "" }));
        },
        onSettled: () => void qc.invalidateQueries({ queryKey: trpc.leads.board.queryKey() }),
      },
    );
  };

  const onDragEnd = (e: DragEndEvent) => {
    setActiveId(null);
    const from = e.active.data.current?.column as string | undefined;
    const to = e.over?.id as string | undefined;
    if (from && to && from !== to) move(String(e.active.id), from, to);
  };

  const loadMore = async (key: string) => {
    const col = column(key);
    if (!col.nextCursor) return;
    setLoadingMore(key);
    try {
      const page = await qc.fetchQuery(trpc.leads.find.queryOptions({ ...filters, status: key, spam: "hide", cursor: col.nextCursor, limit: 20 }));
      const seen = new Set(col.items.map((l) => l.id));
      setColumns(new Map(columns).set(key, { ...col, items: [...col.items, ...page.items.filter((l) => !seen.has(l.id))], nextCursor: page.nextCursor }));
    } catch {
      setError(t("loadFailed"));
    } finally {
      setLoadingMore(null);
    }
  };

  const setFilter = (patch: { assignee?: string; channel?: string }) => {
    const search = leadFiltersToUrl({ ...filters, ...patch }).toString();
    router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="mr-auto text-xl font-semibold">{t("title")}</h1>
        <AssigneeFilter value={filters.assignee} onChange={(assignee) => setFilter({ assignee })} />
        <ChannelFilter value={filters.channel} onChange={(channel) => setFilter({ channel })} />
      </div>
      <p className="text-xs text-gray-500">{t("hint")}</p>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      {board.isPending ? (
        <div className="grid grid-cols-2 gap-2 md:grid-cols-3 xl:auto-cols-[minmax(10rem,1fr)] xl:grid-flow-col xl:grid-cols-none" aria-busy="true">
          {stages.map((s) => (
            <div key={s.key} className="h-64 animate-pulse rounded-lg bg-gray-200/70" />
          ))}
        </div>
      ) : (
        <DndContext
          sensors={sensors}
          onDragStart={(e) => setActiveId(String(e.active.id))}
          onDragCancel={() => setActiveId(null)}
          onDragEnd={onDragEnd}
          accessibility={{
            screenReaderInstructions: { draggable: t("instructions") },
            announcements: {
              onDragStart: ({ active: a }) => t("pickedUp", { name: String(a.id) }),
              onDragOver: ({ over }) => (over ? t("over", { column: stages.find((s) => s.key === over.id)?.label ?? String(over.id) }) : undefined),
              onDragEnd: ({ over }) => (over ? t("dropped", { column: stages.find((s) => s.key === over.id)?.label ?? String(over.id) }) : t("cancelled")),
              onDragCancel: () => t("cancelled"),
            },
          }}
        >
          {/* Wide screens: every stage a column (the default six fit at 1280 px); more stages scroll sideways. */}
          <div className={`flex snap-x gap-2 overflow-x-auto pb-4 xl:grid xl:auto-cols-[minmax(10rem,1fr)] xl:grid-flow-col ${stages.length <= 6 ? "xl:overflow-visible" : ""}`} data-testid="board">
            {stages.map((s) => (
              <BoardColumn key={s.key} stage={s} column={column(s.key)} onMore={() => void loadMore(s.key)} loadingMore={loadingMore === s.key} />
            ))}
          </div>
          <DragOverlay>{active ? <Card lead={active} dragging /> : null}</DragOverlay>
        </DndContext>
      )}
    </div>
  );
}
