"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/client";
import type { TLeadRules } from "@/lib/validators/settings";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Panel } from "@/components/ui/card";
import { useErrorText, type AppErrorLike } from "@/components/ui/use-error-text";

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
/** Russia's zones first: most of the agency's clients are there. */
const RUSSIA = ["Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk", "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok", "Asia/Magadan", "Asia/Kamchatka"];

function issuesOf(e: unknown): Record<string, string> {
  const issues = (e as AppErrorLike)?.data?.issues ?? [];
  return Object.fromEntries(issues.map((i) => [i.path, i.message]));
}

function Hint({ children }: { children: React.ReactNode }) {
  return <p className="text-xs text-gray-500">{children}</p>;
}

function FieldError({ message }: { message?: string }) {
  return message ? (
    <p className="text-xs text-red-600" role="alert">
      {message}
    </p>
  ) : null;
}

/** Settings → Lead rules: dedupe window, first-response target and working hours, assignment. */
export function LeadRulesForm({ rules, zones }: { rules: TLeadRules; zones: string[] }) {
  const t = useTranslations("leadRules");
  const trpc = useTRPC();
  const router = useRouter();
  const errorText = useErrorText();
  const [v, setV] = useState(rules);
  const [serverIssues, setIssues] = useState<Record<string, string>>({});
  // The server names the field; the message is said in the UI's language.
  const ti = useTranslations("leadRules.invalid");
  const issues: Record<string, string | undefined> = {
    firstResponseTargetMinutes: serverIssues.firstResponseTargetMinutes && ti("target"),
    dedupeWindowDays: serverIssues.dedupeWindowDays && ti("dedupe"),
    timezone: serverIssues.timezone && ti("timezone"),
    "workingHours.days": serverIssues["workingHours.days"] && ti("days"),
    "workingHours.end": serverIssues["workingHours.end"] && ti("end"),
    "workingHours.start": serverIssues["workingHours.start"] && ti("time"),
  };
  const save = useMutation(
    trpc.settings.updateLeadRules.mutationOptions({
      onSuccess: () => {
        setIssues({});
        toast.success(t("saved"));
        router.refresh();
      },
      onError: (e) => {
        setIssues(issuesOf(e));
        toast.error(errorText(e));
      },
    }),
  );
  const wh = v.workingHours;
  const setWh = (patch: Partial<TLeadRules["workingHours"]>) => setV({ ...v, workingHours: { ...wh, ...patch } });
  const others = zones.filter((z) => !RUSSIA.includes(z));
  const dirty = JSON.stringify(v) !== JSON.stringify(rules);

  return (
    <form
      className="space-y-6"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(v);
      }}
      data-testid="lead-rules-form"
    >
      <Panel title={t("timerTitle")}>
        <div className="grid gap-5 md:grid-cols-2">
          <label className="space-y-1 text-sm">
            <span className="font-medium text-gray-700">{t("target")}</span>
            <div className="flex items-center gap-2">
              <div className="w-28">
                <Input
                  type="number"
                  min={1}
                  max={10080}
                  value={v.firstResponseTargetMinutes}
                  onChange={(e) => setV({ ...v, firstResponseTargetMinutes: Number(e.target.value) })}
                  name="firstResponseTargetMinutes"
                />
              </div>
              <span className="text-gray-600">{t("minutes")}</span>
            </div>
            <Hint>{t("targetHint")}</Hint>
            <FieldError message={issues.firstResponseTargetMinutes} />
          </label>
          <label className="space-y-1 text-sm">
            <span className="font-medium text-gray-700">{t("timezone")}</span>
            <Select className="w-full" value={v.timezone} onChange={(e) => setV({ ...v, timezone: e.target.value })} name="timezone">
              <optgroup label={t("russia")}>
                {RUSSIA.filter((z) => zones.includes(z)).map((z) => (
                  <option key={z} value={z}>
                    {z.replace("_", " ")}
                  </option>
                ))}
              </optgroup>
              <optgroup label={t("otherZones")}>
                {others.map((z) => (
                  <option key={z} value={z}>
                    {z.replace("_", " ")}
                  </option>
                ))}
              </optgroup>
            </Select>
            <Hint>{t("timezoneHint")}</Hint>
            <FieldError message={issues.timezone} />
          </label>
        </div>
        <fieldset className="mt-5 space-y-3 rounded-md border border-gray-200 p-4">
          <legend className="px-1 text-sm font-medium text-gray-700">{t("workingHours")}</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="h-4 w-4 rounded border-gray-300" checked={wh.enabled} onChange={(e) => setWh({ enabled: e.target.checked })} data-testid="working-hours-enabled" />
            <span>{t("workingHoursOn")}</span>
          </label>
          <Hint>{wh.enabled ? t("workingHoursHint") : t("aroundTheClock")}</Hint>
          <div className={`space-y-3 ${wh.enabled ? "" : "pointer-events-none opacity-50"}`} aria-disabled={!wh.enabled}>
            <div className="flex flex-wrap gap-1.5" role="group" aria-label={t("days")}>
              {WEEKDAYS.map((d) => {
                const on = wh.days.includes(d);
                return (
                  <button
                    key={d}
                    type="button"
                    aria-pressed={on}
                    disabled={!wh.enabled}
                    onClick={() => setWh({ days: on ? wh.days.filter((x) => x !== d) : [...wh.days, d].sort() })}
                    className={`h-9 w-11 rounded-md border text-sm font-medium ${on ? "border-blue-600 bg-blue-600 text-white" : "border-gray-300 bg-white text-gray-700 hover:bg-gray-50"}`}
                  >
                    {t(`weekday.${d}`)}
                  </button>
                );
              })}
            </div>
            <FieldError message={issues["workingHours.days"]} />
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <label className="flex items-center gap-2">
                <span className="text-gray-600">{t("from")}</span>
                <span className="block w-32">
                  <Input type="time" value={wh.start} disabled={!wh.enabled} onChange={(e) => setWh({ start: e.target.value })} aria-label={t("startLabel")} />
                </span>
              </label>
              <label className="flex items-center gap-2">
                <span className="text-gray-600">{t("to")}</span>
                <span className="block w-32">
                  <Input type="time" value={wh.end} disabled={!wh.enabled} onChange={(e) => setWh({ end: e.target.value })} aria-label={t("endLabel")} />
                </span>
              </label>
            </div>
            <FieldError message={issues["workingHours.end"] ?? issues["workingHours.start"]} />
          </div>
        </fieldset>
      </Panel>

      <Panel title={t("intakeTitle")}>
        <label className="space-y-1 text-sm">
          <span className="font-medium text-gray-700">{t("dedupe")}</span>
          <div className="flex items-center gap-2">
            <div className="w-28">
              <Input type="number" min={1} max={365} value={v.dedupeWindowDays} onChange={(e) => setV({ ...v, dedupeWindowDays: Number(e.target.value) })} name="dedupeWindowDays" />
            </div>
            <span className="text-gray-600">{t("days_unit")}</span>
          </div>
          <Hint>{t("dedupeHint")}</Hint>
          <FieldError message={issues.dedupeWindowDays} />
        </label>
      </Panel>

      <Panel title={t("assignTitle")}>
        <div className="space-y-4">
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-0.5 h-4 w-4 rounded border-gray-300" checked={v.autoAssign} onChange={(e) => setV({ ...v, autoAssign: e.target.checked })} />
            <span>
              <span className="font-medium text-gray-800">{t("autoAssign")}</span>
              <Hint>{t("autoAssignHint")}</Hint>
            </span>
          </label>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-0.5 h-4 w-4 rounded border-gray-300" checked={v.reassignOverdue} onChange={(e) => setV({ ...v, reassignOverdue: e.target.checked })} />
            <span>
              <span className="font-medium text-gray-800">{t("reassign")}</span>
              <Hint>{t("reassignHint")}</Hint>
            </span>
          </label>
        </div>
      </Panel>

      <div className="flex items-center gap-3">
        <Button type="submit" disabled={save.isPending || !dirty} data-testid="lead-rules-save">
          {save.isPending ? t("saving") : t("save")}
        </Button>
        {dirty ? (
          <Button type="button" variant="ghost" onClick={() => (setV(rules), setIssues({}))}>
            {t("discard")}
          </Button>
        ) : null}
      </div>
    </form>
  );
}

/** Round-robin per site: a site's leads go only to its own team (none chosen: the whole sales team). */
export function SiteTeams({ sites, sales, autoAssign }: { sites: { id: string; name: string; assigneeIds: string[] }[]; sales: { userId: string; name: string }[]; autoAssign: boolean }) {
  const t = useTranslations("leadRules");
  const trpc = useTRPC();
  const router = useRouter();
  const errorText = useErrorText();
  const setTeam = useMutation(
    trpc.settings.setSiteTeam.mutationOptions({
      onSuccess: () => (toast.success(t("teamSaved")), router.refresh()),
      onError: (e) => toast.error(errorText(e)),
    }),
  );
  return (
    <Panel title={t("teamsTitle")}>
      <Hint>{autoAssign ? t("teamsHint") : t("teamsOff")}</Hint>
      {sites.length === 0 || sales.length === 0 ? (
        <p className="mt-3 text-sm text-gray-500">{sites.length === 0 ? t("noSites") : t("noSales")}</p>
      ) : (
        <ul className="mt-3 divide-y divide-gray-100">
          {sites.map((site) => (
            <li key={site.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center">
              <span className="w-48 shrink-0 text-sm font-medium text-gray-800">{site.name}</span>
              <div className="flex flex-wrap gap-1.5" role="group" aria-label={t("teamOf", { site: site.name })}>
                {sales.map((m) => {
                  const on = site.assigneeIds.includes(m.userId);
                  return (
                    <button
                      key={m.userId}
                      type="button"
                      aria-pressed={on}
                      disabled={setTeam.isPending}
                      onClick={() => setTeam.mutate({ siteId: site.id, userIds: on ? site.assigneeIds.filter((x) => x !== m.userId) : [...site.assigneeIds, m.userId] })}
                      className={`rounded-full border px-3 py-1 text-xs font-medium ${on ? "border-blue-600 bg-blue-50 text-blue-800" : "border-gray-300 bg-white text-gray-600 hover:border-blue-400"}`}
                    >
                      {m.name}
                    </button>
                  );
                })}
                <span className="self-center text-xs text-gray-500">{site.assigneeIds.length === 0 ? t("wholeTeam") : t("teamCount", { count: site.assigneeIds.length })}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
