"use client";
import { useTranslations } from "next-intl";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useErrorText } from "@/components/ui/use-error-text";

/** Built-in views every salesperson starts with (the URL queries of the list). */
const PRESETS = [
  { key: "myOverdue", query: "assignee=me&due=response" },
  { key: "myToday", query: "assignee=me&due=step&sort=next_step" },
  { key: "unassignedNew", query: "status=new&assignee=none" },
] as const;

const sameQuery = (a: string, b: string) => {
  const norm = (q: string) => [...new URLSearchParams(q).entries()].map(([k, v]) => `${k}=${v}`).sort().join("&");
  return norm(a) === norm(b);
};

/**
 * The row of views above the list: the presets, the member's saved views (one click applies one),
 * and "save the current view" with a name.
 */
export function SavedViews({ current, onApply }: { current: string; onApply: (query: string) => void }) {
  const t = useTranslations("leads");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const views = useQuery(trpc.leads.views.queryOptions());
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState("");
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.leads.views.queryKey() });
  const save = useMutation(
    trpc.leads.saveView.mutationOptions({
      onSuccess: (v) => {
        toast.success(t("viewSaved", { name: v.name }));
        setNaming(false);
        setName("");
        void refresh();
      },
      onError: (e) => toast.error(errorText(e), { description: e.message }),
    }),
  );
  const remove = useMutation(
    trpc.leads.deleteView.mutationOptions({
      onSuccess: () => (toast.success(t("viewDeleted")), void refresh()),
      onError: (e) => toast.error(errorText(e)),
    }),
  );

  const chip = (active: boolean) =>
    `inline-flex items-center rounded-full border px-3 py-1 text-xs font-medium transition-colors ${active ? "border-blue-600 bg-blue-600 text-white" : "border-gray-300 bg-white text-gray-700 hover:border-blue-400 hover:text-blue-700"}`;

  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label={t("viewsLabel")} data-testid="saved-views">
      <span className="text-xs font-semibold uppercase tracking-wide text-gray-500">{t("views")}</span>
      {PRESETS.map((p) => (
        <button key={p.key} type="button" className={chip(sameQuery(current, p.query))} aria-pressed={sameQuery(current, p.query)} onClick={() => onApply(p.query)}>
          {t(`preset.${p.key}`)}
        </button>
      ))}
      {(views.data ?? []).map((v) => (
        <span key={v.id} className="inline-flex items-center">
          <button type="button" className={`${chip(sameQuery(current, v.query))} rounded-r-none`} aria-pressed={sameQuery(current, v.query)} onClick={() => onApply(v.query)}>
            {v.name}
          </button>
          <button
            type="button"
            className="inline-flex h-[26px] items-center rounded-r-full border border-l-0 border-gray-300 bg-white px-2 text-xs text-gray-500 hover:bg-red-50 hover:text-red-700"
            aria-label={t("deleteView", { name: v.name })}
            title={t("deleteView", { name: v.name })}
            onClick={() => remove.mutate({ id: v.id })}
            disabled={remove.isPending}
          >
            ×
          </button>
        </span>
      ))}
      {naming ? (
        <form
          className="flex items-center gap-1.5"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) save.mutate({ name: name.trim(), query: current });
          }}
        >
          <Input
            autoFocus
            className="h-8 w-52 py-1"
            value={name}
            maxLength={60}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => e.key === "Escape" && setNaming(false)}
            placeholder={t("viewNamePlaceholder")}
            aria-label={t("viewName")}
          />
          <Button type="submit" className="h-8 py-1" disabled={save.isPending || !name.trim()}>
            {t("saveView")}
          </Button>
        </form>
      ) : (
        <button type="button" className="text-xs font-medium text-blue-700 hover:underline" onClick={() => setNaming(true)} data-testid="save-view">
          + {t("saveView")}
        </button>
      )}
    </div>
  );
}
