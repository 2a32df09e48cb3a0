"use client";
import { useTranslations } from "next-intl";
import { useMutation, useQuery } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/client";
import type { TLeadBulkChange } from "@/lib/validators/leads";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";
import { useErrorText } from "@/components/ui/use-error-text";

type Me = { userId: string; role: "owner" | "manager" | "sales" };

/**
 * What to do with the selected leads: assign, change status, spam. One request, all or nothing;
 * a salesperson may only take leads or give them back (the service says so if they try more).
 */
export function BulkBar({ ids, me, onDone, onClear }: { ids: string[]; me: Me; onDone: () => void; onClear: () => void }) {
  const t = useTranslations("leads");
  const trpc = useTRPC();
  const errorText = useErrorText();
  const stages = useQuery(trpc.leads.stages.queryOptions());
  const members = useQuery(trpc.leads.assignees.queryOptions());
  const options = useQuery(trpc.leads.filterOptions.queryOptions());
  const tcat = useTranslations("category");
  const bulk = useMutation(
    trpc.leads.bulk.mutationOptions({
      onSuccess: (r) => {
        toast.success(t("bulkDone", { count: r.changed }));
        onDone();
      },
      onError: (e) => toast.error(errorText(e), { description: e.message }),
    }),
  );
  const run = (change: TLeadBulkChange["change"]) => bulk.mutate({ ids, change });
  const assignable = me.role === "sales" ? [] : (members.data ?? []);

  return (
    <div
      className="sticky top-2 z-20 flex flex-wrap items-center gap-2 rounded-lg border border-blue-200 bg-blue-50 px-3 py-2 shadow-sm"
      role="region"
      aria-label={t("bulkLabel")}
      data-testid="bulk-bar"
    >
      <span className="text-sm font-medium text-blue-900" aria-live="polite">
        {t("selected", { count: ids.length })}
      </span>
      <Select
        aria-label={t("bulkAssign")}
        value=""
        disabled={bulk.isPending}
        onChange={(e) => {
          const v = e.target.value;
          if (v) run({ kind: "assign", assigneeId: v === "none" ? null : v });
        }}
        data-testid="bulk-assign"
      >
        <option value="">{t("bulkAssign")}</option>
        <option value={me.userId}>{t("assignToMe")}</option>
        <option value="none">{t("assignNobody")}</option>
        {assignable
          .filter((m) => m.userId !== me.userId)
          .map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.name || m.email}
            </option>
          ))}
      </Select>
      <Select
        aria-label={t("bulkStatus")}
        value=""
        disabled={bulk.isPending}
        onChange={(e) => e.target.value && run({ kind: "status", status: e.target.value })}
        data-testid="bulk-status"
      >
        <option value="">{t("bulkStatus")}</option>
        {(stages.data ?? []).map((s) => (
          <option key={s.key} value={s.key}>
            {s.label}
          </option>
        ))}
      </Select>
      <Select aria-label={t("bulkCategory")} value="" disabled={bulk.isPending} onChange={(e) => e.target.value && run({ kind: "category", category: e.target.value })} data-testid="bulk-category">
        <option value="">{t("bulkCategory")}</option>
        {(options.data?.categories ?? []).map((c) => (
          <option key={c} value={c}>
            {tcat.has(c) ? tcat(c) : c}
          </option>
        ))}
      </Select>
      <Button variant="secondary" disabled={bulk.isPending} onClick={() => run({ kind: "spam", spam: true })} data-testid="bulk-spam">
        {t("bulkSpam")}
      </Button>
      <Button variant="secondary" disabled={bulk.isPending} onClick={() => run({ kind: "spam", spam: false })}>
        {t("bulkNotSpam")}
      </Button>
      <Button variant="ghost" className="ml-auto" onClick={onClear}>
        {t("bulkClear")}
      </Button>
    </div>
  );
}
