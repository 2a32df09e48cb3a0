"use client";
import { useRouter, useSearchParams } from "next/navigation";
import { useFormatter, useTimeZone, useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import type { TLeadDetail } from "@/lib/validators/leads";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Panel } from "@/components/ui/card";
import { useNow } from "@/components/ui/use-now";
import { useErrorText, type AppErrorLike } from "@/components/ui/use-error-text";
import { formatPhone } from "./format-phone";
import { isWorkingTime, workingMsBetween, type WorkingHours } from "@/lib/working-hours";

export type StageOption = { key: string; label: string; terminal: boolean };
export type MemberOption = { userId: string; name: string; email: string; role: "owner" | "manager" | "sales" };
export type Me = { userId: string; email: string; role: "owner" | "manager" | "sales" };

/** "12 min", "2 h 5 min", "3 days": a span for the timer. */
function useSpan() {
  const t = useTranslations("lead");
  return (ms: number) => {
    const minutes = Math.max(0, Math.floor(ms / 60_000));
    const hours = Math.floor(minutes / 60);
    if (hours >= 24) return t("daysShort", { days: Math.floor(hours / 24) });
    if (hours >= 1) return t("hoursShort", { hours, minutes: minutes % 60 });
    return t("minutesShort", { minutes });
  };
}

/**
 * The first-response timer while a lead waits: how long it has waited (working time only when the
 * tenant keeps working hours) and the deadline — time left, or how far past it. Ticks every 15 s;
 * rendered only after mount so server and client HTML agree.
 */
function WaitingTimer({ since, dueAt, workingHours }: { since: string; dueAt: string | null; workingHours: WorkingHours }) {
  const t = useTranslations("lead");
  const format = useFormatter();
  const timeZone = useTimeZone() ?? "Europe/Moscow";
  const span = useSpan();
  const now = useNow(15_000);
  if (now === null) return null;
  const waited = workingMsBetween(new Date(since), new Date(now), workingHours, timeZone);
  const due = dueAt ? new Date(dueAt) : null;
  const overdue = due !== null && due.getTime() <= now;
  const paused = !isWorkingTime(new Date(now), workingHours, timeZone);
  const sameDay = due && format.dateTime(due, { dateStyle: "short" }) === format.dateTime(new Date(now), { dateStyle: "short" });
  const dueText = due ? format.dateTime(due, sameDay ? { timeStyle: "short" } : { dateStyle: "short", timeStyle: "short" }) : null;
  return (
    <span
      className={`inline-flex flex-wrap items-center gap-x-1.5 rounded-full px-2.5 py-1 text-xs font-medium ring-1 ${overdue ? "bg-red-50 text-red-800 ring-red-200" : "bg-amber-50 text-amber-800 ring-amber-200"}`}
      data-testid="waiting-timer"
      title={paused ? t("paused") : undefined}
    >
      <span className={`h-1.5 w-1.5 rounded-full ${paused ? "bg-gray-400" : overdue ? "animate-pulse bg-red-500" : "animate-pulse bg-amber-500"}`} aria-hidden />
      <span>
        {waited >= 86_400_000
          ? t("waitingDays", { days: Math.floor(waited / 86_400_000) })
          : waited >= 3_600_000
            ? t("waitingHours", { hours: Math.floor(waited / 3_600_000), minutes: Math.floor(waited / 60_000) % 60 })
            : t("waitingMinutes", { minutes: Math.floor(waited / 60_000) })}
      </span>
      {due ? (
        <span data-testid="response-due">
          · {overdue ? t("overdueBy", { left: span(now - due.getTime()) }) : `${t("dueIn", { time: dueText ?? "" })}, ${t("dueLeft", { left: span(due.getTime() - now) })}`}
        </span>
      ) : null}
      {paused ? <span className="sr-only">{t("paused")}</span> : null}
    </span>
  );
}

/** Status, assignee, "contacted" and spam: the actions a salesperson takes on a lead all day. */
export function LeadActions({
  lead,
  stages,
  members,
  me,
  workingHours,
}: {
  lead: TLeadDetail;
  stages: StageOption[];
  members: MemberOption[];
  me: Me;
  workingHours: WorkingHours;
}) {
  const t = useTranslations("lead");
  const trpc = useTRPC();
  const router = useRouter();
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [pendingStatus, setPendingStatus] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const statusRef = useRef<HTMLSelectElement>(null);
  const assignRef = useRef<HTMLSelectElement>(null);
  const done = { onSuccess: () => (setError(null), router.refresh()), onError: (e: unknown) => setError(errorText(e)) };
  const setStatus = useMutation(trpc.leads.setStatus.mutationOptions(done));
  const assign = useMutation(trpc.leads.assign.mutationOptions(done));
  const contacted = useMutation(trpc.leads.contacted.mutationOptions(done));
  const spam = useMutation(trpc.leads.setSpam.mutationOptions(done));
  const busy = setStatus.isPending || assign.isPending || contacted.isPending || spam.isPending;

  const chooseStatus = (key: string) => {
    if (key === lead.status) return;
    if (key === "lost" || key === "junk") {
      setPendingStatus(key);
      setReason("");
      return;
    }
    setStatus.mutate({ id: lead.id, status: key });
  };

  const markContacted = useCallback(() => contacted.mutate({ id: lead.id }), [contacted, lead.id]);
  useShortcuts({ c: markContacted, s: () => statusRef.current?.focus(), a: () => assignRef.current?.focus() });

  // A salesperson may take the lead or give it back; managers and owners assign anyone.
  const assignable = me.role === "sales" ? members.filter((m) => m.userId === me.userId || m.email === lead.assignee?.email) : members;
  // `members` are the active ones: a deactivated assignee keeps their name here, but cannot be chosen again.
  const current = members.find((m) => m.email === lead.assignee?.email);

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        {!lead.firstResponseAt ? (
          <>
            <WaitingTimer since={lead.createdAt} dueAt={lead.firstResponseDueAt} workingHours={workingHours} />
            <Button onClick={markContacted} disabled={busy} title={t("shortcut", { key: "C" })} data-testid="contacted">
              {t("contacted")}
            </Button>
          </>
        ) : (
          <Button variant="secondary" onClick={markContacted} disabled={busy} title={t("shortcut", { key: "C" })} data-testid="contacted">
            {t("contactedAgain")}
          </Button>
        )}
        <label className="flex items-center gap-1.5 text-sm text-gray-600">
          <span className="sr-only sm:not-sr-only">{t("status")}</span>
          <Select ref={statusRef} value={pendingStatus ?? lead.status} onChange={(e) => chooseStatus(e.target.value)} disabled={busy} aria-label={t("status")} title={t("shortcut", { key: "S" })} data-testid="status-select">
            {stages.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </Select>
        </label>
        <label className="flex items-center gap-1.5 text-sm text-gray-600">
          <span className="sr-only sm:not-sr-only">{t("assignee")}</span>
          <Select
            ref={assignRef}
            value={current?.userId ?? (lead.assignee ? "inactive" : "")}
            onChange={(e) => assign.mutate({ id: lead.id, assigneeId: e.target.value || null })}
            disabled={busy}
            aria-label={t("assignee")}
            title={t("shortcut", { key: "A" })}
            data-testid="assignee-select"
          >
            <option value="">{t("unassigned")}</option>
            {lead.assignee && !current ? (
              <option value="inactive" disabled>
                {t("assigneeDeactivated", { name: lead.assignee.name || lead.assignee.email })}
              </option>
            ) : null}
            {assignable.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.userId === me.userId ? t("me", { name: m.name || m.email }) : m.name || m.email}
              </option>
            ))}
          </Select>
        </label>
        <Button variant="ghost" onClick={() => spam.mutate({ id: lead.id, spam: !lead.spam })} disabled={busy} data-testid="spam-toggle">
          {lead.spam ? t("notSpam") : t("markSpam")}
        </Button>
      </div>
      {pendingStatus ? (
        <form
          className="flex flex-wrap items-end gap-2 rounded-md border border-gray-200 bg-gray-50 p-3"
          onSubmit={(e) => {
            e.preventDefault();
            setStatus.mutate({ id: lead.id, status: pendingStatus, reason: reason.trim() || undefined }, { onSettled: () => setPendingStatus(null) });
          }}
        >
          <label className="min-w-56 flex-1 space-y-1 text-sm">
            <span className="text-gray-700">{t("reason", { status: stages.find((s) => s.key === pendingStatus)?.label ?? pendingStatus })}</span>
            <Input autoFocus value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder={t("reasonPlaceholder")} data-testid="status-reason" />
          </label>
          <Button type="submit" disabled={busy}>
            {t("save")}
          </Button>
          <Button type="button" variant="secondary" onClick={() => setPendingStatus(null)}>
            {t("cancel")}
          </Button>
        </form>
      ) : null}
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Single-key shortcuts (Latin or the same key on a Russian layout), ignored while typing. */
function useShortcuts(map: Record<string, () => void>) {
  const ref = useRef(map);
  useEffect(() => {
    ref.current = map;
  });
  useEffect(() => {
    const ru: Record<string, string> = { с: "c", ы: "s", ф: "a", т: "n", у: "e" };
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const el = e.target as HTMLElement | null;
      if (el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName))) return;
      const key = ru[e.key.toLowerCase()] ?? e.key.toLowerCase();
      const fn = ref.current[key];
      if (fn) {
        e.preventDefault();
        fn();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}

type TimelineEvent = TLeadDetail["timeline"][number];

/** The timeline, newest first, with a note composer on top; your own notes can be edited and deleted. */
export function LeadTimeline({ lead, stages, me }: { lead: TLeadDetail; stages: StageOption[]; me: Me }) {
  const t = useTranslations("lead");
  const format = useFormatter();
  const trpc = useTRPC();
  const router = useRouter();
  const errorText = useErrorText();
  const [text, setText] = useState("");
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const composer = useRef<HTMLTextAreaElement>(null);
  const done = { onSuccess: () => (setError(null), router.refresh()), onError: (e: unknown) => setError(errorText(e)) };
  const add = useMutation(trpc.leads.addNote.mutationOptions({ ...done, onSuccess: () => (setText(""), done.onSuccess()) }));
  const edit = useMutation(trpc.leads.editNote.mutationOptions({ ...done, onSuccess: () => (setEditing(null), done.onSuccess()) }));
  const remove = useMutation(trpc.leads.deleteNote.mutationOptions(done));
  useShortcuts({ n: () => composer.current?.focus() });

  const label = (key: string) => stages.find((s) => s.key === key)?.label ?? key;
  const notes = new Map(lead.notes.map((n) => [n.id, n]));
  const dt = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  const describe = (e: TimelineEvent): string => {
    const p = e.payload as Record<string, unknown>;
    switch (e.type) {
      case "status_changed":
        return p.via === "bitrix24"
          ? t("event.status_changed_b24", { from: label(String(p.from)), to: label(String(p.to)) })
          : t("event.status_changed", { from: label(String(p.from)), to: label(String(p.to)) });
      case "sync":
        return p.status === "ok"
          ? t("event.sync_ok", { id: String(p.externalId ?? "") })
          : p.direction === "pull"
            ? t("event.sync_unlinked", { id: String(p.externalId ?? "") })
            : t("event.sync_failed", { error: String(p.error ?? "") });
      case "spam_changed":
        return p.spam ? t("event.spam_on") : t("event.spam_off");
      case "updated":
        return t("event.updated");
      default:
        return t.has(`event.${e.type}`) ? t(`event.${e.type}` as "event.created") : e.type;
    }
  };
  const submit = () => {
    const body = text.trim();
    if (body) add.mutate({ leadId: lead.id, text: body });
  };

  return (
    <Panel title={t("timeline")}>
      <form
        className="mb-4 space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label className="sr-only" htmlFor="note-composer">
          {t("addNote")}
        </label>
        <textarea
          id="note-composer"
          ref={composer}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              submit();
            }
          }}
          rows={2}
          maxLength={10_000}
          placeholder={t("notePlaceholder")}
          className="block w-full rounded-md border border-gray-300 px-3 py-2 text-sm shadow-sm focus:border-blue-500 focus:outline-none focus:ring-2 focus:ring-blue-200"
          data-testid="note-composer"
        />
        <div className="flex items-center justify-between gap-2">
          <span className="text-xs text-gray-400">{t("noteHint")}</span>
          <Button type="submit" disabled={add.isPending || !text.trim()} data-testid="add-note">
            {add.isPending ? t("saving") : t("addNote")}
          </Button>
        </div>
        {error ? (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </form>
      <ol className="space-y-3" data-testid="timeline">
        {lead.timeline.map((e) => {
          const note = e.type === "note" ? notes.get(String((e.payload as { noteId?: string }).noteId)) : undefined;
          const mine = note?.author?.email === me.email;
          const reason =
            e.type === "status_changed"
              ? (e.payload as { reason?: string }).reason
              : e.type === "next_step_set" || e.type === "next_step_done"
                ? (e.payload as { text?: string | null }).text ?? undefined
                : undefined;
          return (
            <li key={e.id} className="flex gap-3 text-sm">
              <span className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${note ? "bg-amber-400" : "bg-blue-400"}`} aria-hidden />
              <div className="min-w-0 flex-1">
                {note ? (
                  editing?.id === note.id ? (
                    <form
                      className="space-y-2"
                      onSubmit={(ev) => {
                        ev.preventDefault();
                        if (editing.text.trim()) edit.mutate({ noteId: note.id, text: editing.text.trim() });
                      }}
                    >
                      <textarea
                        autoFocus
                        value={editing.text}
                        onChange={(ev) => setEditing({ id: note.id, text: ev.target.value })}
                        rows={3}
                        maxLength={10_000}
                        aria-label={t("editNote")}
                        className="block w-full rounded-md border border-gray-300 px-3 py-2 text-sm"
                      />
                      <div className="flex gap-2">
                        <Button type="submit" disabled={edit.isPending}>
                          {t("save")}
                        </Button>
                        <Button type="button" variant="secondary" onClick={() => setEditing(null)}>
                          {t("cancel")}
                        </Button>
                      </div>
                    </form>
                  ) : (
                    <p className="whitespace-pre-wrap rounded-md bg-amber-50/60 px-3 py-2 text-gray-800">{note.body}</p>
                  )
                ) : (
                  <p className="text-gray-800">
                    {describe(e)}
                    {reason ? <span className="text-gray-500"> — {reason}</span> : null}
                  </p>
                )}
                <p className="mt-0.5 flex flex-wrap items-center gap-x-2 text-xs text-gray-500">
                  <span>
                    {dt(e.createdAt)}
                    {e.actor ? ` · ${e.actor.name || e.actor.email}` : ""}
                  </span>
                  {note && mine && editing?.id !== note.id ? (
                    <>
                      <button type="button" className="text-blue-700 hover:underline" onClick={() => setEditing({ id: note.id, text: note.body })}>
                        {t("edit")}
                      </button>
                      <button
                        type="button"
                        className="text-red-700 hover:underline"
                        onClick={() => {
                          if (window.confirm(t("deleteNoteConfirm"))) remove.mutate({ noteId: note.id });
                        }}
                      >
                        {t("delete")}
                      </button>
                    </>
                  ) : null}
                </p>
              </div>
            </li>
          );
        })}
      </ol>
    </Panel>
  );
}

/** The contact fields, editable with intake's validation (field errors in place). */
export function LeadContact({ lead }: { lead: TLeadDetail }) {
  const t = useTranslations("lead");
  const trpc = useTRPC();
  const router = useRouter();
  const errorText = useErrorText();
  const [editing, setEditing] = useState(false);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(
    trpc.leads.updateContact.mutationOptions({
      onSuccess: () => (setEditing(false), setIssues({}), setError(null), router.refresh()),
      onError: (e: unknown) => {
        const list = (e as AppErrorLike).data?.issues ?? [];
        setIssues(Object.fromEntries(list.map((i) => [i.path.split(".")[0]!, i.message])));
        setError(list.length ? null : errorText(e));
      },
    }),
  );
  useShortcuts({ e: () => setEditing(true) });
  const fields = [
    ["name", t("fieldName"), lead.name, "text"],
    ["email", t("fieldEmail"), lead.email, "email"],
    ["phone", t("fieldPhone"), lead.phone, "tel"],
    ["company", t("fieldCompany"), lead.company, "text"],
  ] as const;

  if (editing) {
    return (
      <Panel title={t("contact")}>
        <form
          className="space-y-3"
          data-testid="contact-form"
          onSubmit={(e) => {
            e.preventDefault();
            const fd = new FormData(e.currentTarget);
            const v = (k: string) => String(fd.get(k) ?? "");
            save.mutate({ id: lead.id, name: v("name"), email: v("email"), phone: v("phone"), company: v("company") });
          }}
        >
          {fields.map(([key, label, value, type]) => (
            <div key={key} className="space-y-1 text-sm">
              <label className="block space-y-1">
                <span className="text-gray-700">{label}</span>
                <Input
                  name={key}
                  type={type}
                  defaultValue={value ?? ""}
                  autoFocus={key === "name"}
                  aria-invalid={Boolean(issues[key])}
                  aria-describedby={issues[key] ? `contact-${key}-error` : undefined}
                />
              </label>
              {issues[key] ? (
                <p id={`contact-${key}-error`} className="text-xs text-red-600" role="alert">
                  {t(`invalid.${key}`)}
                </p>
              ) : null}
            </div>
          ))}
          {error ? (
            <p role="alert" className="text-sm text-red-700">
              {error}
            </p>
          ) : null}
          <div className="flex gap-2">
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? t("saving") : t("save")}
            </Button>
            <Button type="button" variant="secondary" onClick={() => (setEditing(false), setIssues({}))}>
              {t("cancel")}
            </Button>
          </div>
        </form>
      </Panel>
    );
  }
  return (
    <Panel
      title={t("contact")}
      actions={
        <button type="button" className="text-sm text-blue-700 hover:underline" onClick={() => setEditing(true)} title={t("shortcut", { key: "E" })} data-testid="edit-contact">
          {t("edit")}
        </button>
      }
    >
      <dl>
        {fields.map(([key, label, value]) =>
          value ? (
            <div key={key} className="grid grid-cols-3 gap-2 py-1.5 text-sm">
              <dt className="text-gray-500">{label}</dt>
              <dd className="col-span-2 break-words text-gray-900">
                {key === "email" ? (
                  <a className="text-blue-700 hover:underline" href={`mailto:${value}`}>
                    {value}
                  </a>
                ) : key === "phone" ? (
                  <a className="text-blue-700 hover:underline" href={`tel:${value}`}>
                    {formatPhone(value)}
                  </a>
                ) : (
                  value
                )}
              </dd>
            </div>
          ) : null,
        )}
      </dl>
    </Panel>
  );
}


/** "YYYY-MM-DDTHH:MM" of a moment in a time zone (what a datetime-local input shows). */
function localInputValue(d: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The lead's one next step: see it, mark it done (then set the next), or change it. */
export function LeadNextStep({ leadId, nextStep }: { leadId: string; nextStep: TLeadDetail["nextStep"] }) {
  const t = useTranslations("nextStep");
  const format = useFormatter();
  const timeZone = useTimeZone() ?? "Europe/Moscow";
  const trpc = useTRPC();
  const router = useRouter();
  const errorText = useErrorText();
  // Coming from "Выполнено" on the Today list: ask for the next step at once.
  const askNext = useSearchParams().get("next") === "1";
  const [editing, setEditing] = useState(askNext && !nextStep);
  const [error, setError] = useState<string | null>(null);
  const set = useMutation(trpc.leads.setNextStep.mutationOptions({ onSuccess: () => (setEditing(false), setError(null), router.refresh()), onError: (e) => setError(errorText(e)) }));
  const complete = useMutation(trpc.leads.completeNextStep.mutationOptions({ onSuccess: () => (setEditing(true), router.refresh()), onError: (e) => setError(errorText(e)) }));
  const now = useNow();
  const overdue = nextStep && now !== null && new Date(nextStep.dueAt).getTime() < now;
  // Tomorrow at 10:00 by default (after a completed step: the natural next one).
  const defaultDue = () => (now === null ? "" : `${localInputValue(new Date(now + 24 * 3600_000), timeZone).slice(0, 10)}T10:00`);

  return (
    <Panel
      title={t("title")}
      actions={
        nextStep && !editing ? (
          <button type="button" className="text-sm text-blue-700 hover:underline" onClick={() => setEditing(true)}>
            {t("change")}
          </button>
        ) : null
      }
    >
      {editing || !nextStep ? (
        editing ? (
          <form
            className="space-y-3"
            data-testid="next-step-form"
            onSubmit={(e) => {
              e.preventDefault();
              const fd = new FormData(e.currentTarget);
              set.mutate({ id: leadId, kind: String(fd.get("kind")) as "call", due: String(fd.get("due")), text: String(fd.get("text") ?? "").trim() || undefined });
            }}
          >
            <div className="flex flex-wrap gap-2">
              <label className="space-y-1 text-sm">
                <span className="block text-gray-700">{t("kind")}</span>
                <Select name="kind" defaultValue={nextStep?.kind ?? "call"}>
                  {(["call", "email", "meeting", "other"] as const).map((k) => (
                    <option key={k} value={k}>
                      {t(`kinds.${k}`)}
                    </option>
                  ))}
                </Select>
              </label>
              <label className="space-y-1 text-sm">
                <span className="block text-gray-700">{t("due")}</span>
                <Input key={now === null ? "server" : "client"} name="due" type="datetime-local" required defaultValue={nextStep ? localInputValue(new Date(nextStep.dueAt), timeZone) : defaultDue()} className="w-auto" />
              </label>
            </div>
            <label className="block space-y-1 text-sm">
              <span className="text-gray-700">{t("text")}</span>
              <Input name="text" maxLength={300} defaultValue={nextStep?.text ?? ""} placeholder={t("textPlaceholder")} />
            </label>
            <div className="flex gap-2">
              <Button type="submit" disabled={set.isPending}>
                {t("save")}
              </Button>
              <Button type="button" variant="secondary" onClick={() => setEditing(false)}>
                {t("cancel")}
              </Button>
            </div>
          </form>
        ) : (
          <div className="space-y-2 text-sm">
            <p className="text-gray-500">{t("none")}</p>
            <Button variant="secondary" onClick={() => setEditing(true)} data-testid="next-step-add">
              {t("add")}
            </Button>
          </div>
        )
      ) : (
        <div className="space-y-2 text-sm" data-testid="next-step">
          <p className="font-medium text-gray-900">
            {t(`kinds.${nextStep.kind}`)}
            {nextStep.text ? <span className="font-normal text-gray-700"> — {nextStep.text}</span> : null}
          </p>
          <p className={overdue ? "font-medium text-red-700" : "text-gray-600"}>
            {format.dateTime(new Date(nextStep.dueAt), { dateStyle: "medium", timeStyle: "short" })}
            {overdue ? ` · ${t("overdue")}` : ""}
          </p>
          <Button onClick={() => complete.mutate({ id: leadId })} disabled={complete.isPending} data-testid="next-step-done">
            {t("done")}
          </Button>
        </div>
      )}
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </Panel>
  );
}
