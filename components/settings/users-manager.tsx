"use client";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useId, useRef, useState, useSyncExternalStore, useTransition } from "react";
import { ROLES, type Role } from "@/db/schema/enums";
import { useTRPC } from "@/lib/trpc/client";
import { MEMBER_REFUSALS, type TMemberInviteResult, type TMemberView } from "@/lib/validators/members";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Panel } from "@/components/ui/card";
import { CopyBlock } from "./copy-block";

type TrpcErrorLike = { message?: string; data?: { appCode?: string; issues?: { path: string; message: string }[] } | null };
type ErrorKey = "email" | "alreadyMember" | "deactivatedMember" | "name" | "role" | "self" | "lastOwner" | "notMember" | "forbidden" | "generic";
type FieldErrors = Partial<Record<"email" | "name" | "role" | "_", ErrorKey>>;

const REFUSAL_KEYS: Record<string, ErrorKey> = {
  [MEMBER_REFUSALS.alreadyMember]: "alreadyMember",
  [MEMBER_REFUSALS.deactivatedMember]: "deactivatedMember",
  [MEMBER_REFUSALS.self]: "self",
  [MEMBER_REFUSALS.lastOwner]: "lastOwner",
  [MEMBER_REFUSALS.notMember]: "notMember",
};

/** A tRPC error → which field it is about and which sentence says it (in the UI's language). */
function errorsOf(e: unknown): FieldErrors {
  const data = (e as TrpcErrorLike)?.data;
  const out: FieldErrors = {};
  for (const issue of data?.issues ?? []) {
    const field = issue.path.split(".")[0];
    const known = REFUSAL_KEYS[issue.message];
    if (field === "email") out.email ??= known ?? "email";
    else if (field === "name") out.name ??= "name";
    else if (field === "role") out.role ??= "role";
    else out._ ??= known ?? "generic";
  }
  if (Object.keys(out).length === 0) out._ = data?.appCode === "forbidden" ? "forbidden" : data?.appCode === "not_found" ? "notMember" : "generic";
  return out;
}

const subscribeNothing = () => () => {};
/** False in the server's HTML, true once hydrated: controls stay disabled until they can act. */
function useHydrated(): boolean {
  return useSyncExternalStore(subscribeNothing, () => true, () => false);
}

function RoleBadge({ children, tone }: { children: React.ReactNode; tone: "gray" | "amber" | "blue" }) {
  const tones = { gray: "bg-gray-100 text-gray-600 ring-gray-200", amber: "bg-amber-50 text-amber-800 ring-amber-200", blue: "bg-blue-50 text-blue-700 ring-blue-200" };
  return <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${tones[tone]}`}>{children}</span>;
}

function MemberRow({ member, isMe }: { member: TMemberView; isMe: boolean }) {
  const t = useTranslations("members");
  const tr = useTranslations("role");
  const format = useFormatter();
  const trpc = useTRPC();
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const [error, setError] = useState<ErrorKey | null>(null);
  const done = {
    onSuccess: () => {
      setError(null);
      startRefresh(() => router.refresh());
    },
    onError: (e: unknown) => setError(errorsOf(e)._ ?? "generic"),
  };
  const setRole = useMutation(trpc.settings.setMemberRole.mutationOptions(done));
  const setActive = useMutation(trpc.settings.setMemberActive.mutationOptions(done));
  const hydrated = useHydrated();
  const busy = !hydrated || setRole.isPending || setActive.isPending || refreshing;
  const deactivated = member.deactivatedAt !== null;
  const label = member.name || member.email;
  // Until the refreshed list arrives, show the role just chosen (no flicker back to the old one).
  const shownRole = (setRole.isPending || (refreshing && setRole.isSuccess) ? setRole.variables?.role : undefined) ?? member.role;
  const errorId = useId();

  return (
    <tr className={deactivated ? "bg-gray-50 text-gray-400" : undefined} data-testid="member-row" data-email={member.email} aria-busy={setRole.isPending || setActive.isPending || refreshing || undefined}>
      <td className="py-2.5 pr-3 align-top">
        <span className={`block break-all ${deactivated ? "text-gray-500" : "font-medium text-gray-900"}`}>{member.email}</span>
        {member.name ? <span className={`block text-xs sm:hidden ${deactivated ? "text-gray-400" : "text-gray-500"}`}>{member.name}</span> : null}
        <span className="mt-1 flex flex-wrap gap-1">
          {isMe ? <RoleBadge tone="blue">{t("you")}</RoleBadge> : null}
          {deactivated ? <RoleBadge tone="gray">{t("deactivated")}</RoleBadge> : null}
          {!deactivated && member.pendingPassword ? <RoleBadge tone="amber">{t("pendingPassword")}</RoleBadge> : null}
        </span>
        {error ? (
          <p id={errorId} className="mt-1 text-xs text-red-600" role="alert">
            {t(`errors.${error}`)}
          </p>
        ) : null}
      </td>
      <td className={`hidden py-2.5 pr-3 align-top sm:table-cell ${deactivated ? "" : "text-gray-700"}`}>{member.name}</td>
      <td className="hidden py-2.5 pr-3 align-top text-gray-500 md:table-cell">{format.dateTime(new Date(member.createdAt), { dateStyle: "medium" })}</td>
      <td className="py-2.5 align-top">
        <div className="flex flex-col items-end gap-2 sm:flex-row sm:items-center sm:justify-end">
          {isMe ? (
            <span className="px-1 py-2 text-sm text-gray-700" title={t("selfHint")}>
              {tr(member.role)}
            </span>
          ) : (
            <Select
              aria-label={t("roleOf", { name: label })}
              aria-describedby={error ? errorId : undefined}
              value={shownRole}
              disabled={busy || deactivated}
              onChange={(e) => setRole.mutate({ userId: member.userId, role: e.target.value as Role })}
              className="w-full min-w-36 sm:w-auto"
              data-testid="member-role"
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {tr(r)}
                </option>
              ))}
            </Select>
          )}
          {isMe ? null : deactivated ? (
            <Button variant="secondary" disabled={busy} onClick={() => setActive.mutate({ userId: member.userId, active: true })} className="whitespace-nowrap">
              {setActive.isPending ? t("reactivating") : t("reactivate")}
            </Button>
          ) : (
            <Button
              variant="ghost"
              disabled={busy}
              className="whitespace-nowrap text-red-700 hover:bg-red-50"
              onClick={() => {
                if (!window.confirm(t("deactivateConfirm", { name: label }))) return;
                setActive.mutate({ userId: member.userId, active: false });
              }}
            >
              {setActive.isPending ? t("deactivating") : t("deactivate")}
            </Button>
          )}
          {setRole.isPending ? (
            <span className="text-xs text-gray-500" aria-live="polite">
              {t("saving")}
            </span>
          ) : null}
        </div>
      </td>
    </tr>
  );
}

function InviteResult({ result, onDone }: { result: TMemberInviteResult; onDone: () => void }) {
  const t = useTranslations("members");
  if (result.oneTimePassword) {
    return (
      <div className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="invite-created" role="status">
        <p className="text-sm font-medium text-amber-900">{t("created.title", { email: result.email })}</p>
        <p className="text-sm text-amber-900">{t("created.body")}</p>
        <CopyBlock label={t("created.password")} value={result.oneTimePassword} testId="one-time-password" />
        <p className="text-xs text-amber-800">{t("created.shownOnce")}</p>
        <Button variant="secondary" onClick={onDone}>
          {t("created.done")}
        </Button>
      </div>
    );
  }
  return (
    <div className="space-y-2 rounded-lg border border-blue-200 bg-blue-50 p-4" data-testid="invite-added" role="status">
      <p className="text-sm font-medium text-blue-900">{t("added.title", { email: result.email })}</p>
      <p className="text-sm text-blue-900">{t("added.body")}</p>
      <Button variant="secondary" onClick={onDone}>
        {t("added.done")}
      </Button>
    </div>
  );
}

function InviteForm({ onInvited }: { onInvited: (r: TMemberInviteResult) => void }) {
  const t = useTranslations("members");
  const tr = useTranslations("role");
  const trpc = useTRPC();
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refreshing, startRefresh] = useTransition();
  const invite = useMutation(trpc.settings.inviteMember.mutationOptions());
  const hydrated = useHydrated();
  const pending = invite.isPending || refreshing;
  const ids = { email: useId(), name: useId(), role: useId(), nameHint: useId() };
  const fieldError = (f: "email" | "name" | "role") =>
    errors[f] ? (
      <p id={`${ids[f]}-error`} className="text-xs text-red-600" role="alert">
        {t(`errors.${errors[f]}`)}
      </p>
    ) : null;
  const described = (f: "email" | "name" | "role", extra?: string) => [errors[f] ? `${ids[f]}-error` : null, extra].filter(Boolean).join(" ") || undefined;

  return (
    <form
      className="grid gap-3 sm:grid-cols-[minmax(0,2fr)_minmax(0,2fr)_minmax(0,1.4fr)_auto] sm:items-start"
      data-testid="invite-form"
      method="post"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const fd = new FormData(form);
        invite.mutate(
          { email: String(fd.get("email") ?? ""), name: String(fd.get("name") ?? ""), role: String(fd.get("role") ?? "sales") as Role },
          {
            onSuccess: (r) => {
              setErrors({});
              form.reset();
              onInvited(r);
              startRefresh(() => router.refresh());
            },
            onError: (err) => {
              const next = errorsOf(err);
              setErrors(next);
              // Straight to the first field named (keyboard users land where the fix is).
              const first = (["email", "name", "role"] as const).find((f) => next[f]);
              if (first) form.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
            },
          },
        );
      }}
    >
      <div className="space-y-1 text-sm">
        <label htmlFor={ids.email} className="font-medium text-gray-700">
          {t("invite.email")}
        </label>
        <Input id={ids.email} name="email" type="email" autoComplete="off" inputMode="email" required placeholder="anna@agency.ru" aria-invalid={errors.email ? true : undefined} aria-describedby={described("email")} />
        {fieldError("email")}
      </div>
      <div className="space-y-1 text-sm">
        <label htmlFor={ids.name} className="font-medium text-gray-700">
          {t("invite.name")}
        </label>
        <Input id={ids.name} name="name" autoComplete="off" maxLength={120} placeholder={t("invite.namePlaceholder")} aria-invalid={errors.name ? true : undefined} aria-describedby={described("name", ids.nameHint)} />
        <span id={ids.nameHint} className="block text-xs text-gray-500">
          {t("invite.nameHint")}
        </span>
        {fieldError("name")}
      </div>
      <div className="space-y-1 text-sm">
        <label htmlFor={ids.role} className="font-medium text-gray-700">
          {t("invite.role")}
        </label>
        <Select id={ids.role} name="role" defaultValue="sales" className="w-full" aria-invalid={errors.role ? true : undefined} aria-describedby={described("role")}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {tr(r)} — {t(`roleHint.${r}`)}
            </option>
          ))}
        </Select>
        {fieldError("role")}
      </div>
      <div className="sm:pt-6">
        <Button type="submit" disabled={pending || !hydrated} className="w-full sm:w-auto">
          {pending ? t("invite.submitting") : t("invite.submit")}
        </Button>
      </div>
      {errors._ ? (
        <p className="text-sm text-red-600 sm:col-span-4" role="alert">
          {t(`errors.${errors._}`)}
        </p>
      ) : null}
    </form>
  );
}

/** Settings → Users: the team, its roles and access, and the invite form. */
export function UsersManager({ members, meId }: { members: TMemberView[]; meId: string }) {
  const t = useTranslations("members");
  const [result, setResult] = useState<TMemberInviteResult | null>(null);
  const inviteRef = useRef<HTMLDivElement>(null);
  const deactivated = members.filter((m) => m.deactivatedAt !== null).length;
  const summary = `${t("count", { count: members.length - deactivated })}${deactivated ? ` · ${t("deactivatedCount", { count: deactivated })}` : ""}`;

  return (
    <div className="space-y-6">
      <Panel title={t("title")} actions={<span className="text-xs text-gray-500" data-testid="members-count">{summary}</span>}>
        <p className="mb-3 text-sm text-gray-500">{t("hint")}</p>
        <div className="-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
          <table className="min-w-full text-sm" data-testid="users-table">
            <thead className="text-left text-xs uppercase text-gray-500">
              <tr>
                <th scope="col" className="py-2 pr-3">{t("user")}</th>
                <th scope="col" className="hidden py-2 pr-3 sm:table-cell">{t("invite.name")}</th>
                <th scope="col" className="hidden py-2 pr-3 md:table-cell">{t("since")}</th>
                <th scope="col" className="py-2 text-right">
                  {t("role")}
                  <span className="sr-only"> · {t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {members.map((m) => (
                <MemberRow key={m.userId} member={m} isMe={m.userId === meId} />
              ))}
            </tbody>
          </table>
        </div>
        {members.length <= 1 ? <p className="mt-3 rounded-md bg-gray-50 p-3 text-sm text-gray-600" data-testid="members-empty">{t("empty")}</p> : null}
      </Panel>
      <Panel title={t("invite.title")}>
        <div className="space-y-4" ref={inviteRef}>
          {result ? (
            <InviteResult
              result={result}
              onDone={() => {
                setResult(null);
                inviteRef.current?.querySelector<HTMLInputElement>('input[name="email"]')?.focus();
              }}
            />
          ) : null}
          <InviteForm onInvited={setResult} />
        </div>
      </Panel>
    </div>
  );
}
