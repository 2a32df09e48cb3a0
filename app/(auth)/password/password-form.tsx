"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId, useRef, useState, useSyncExternalStore, useTransition } from "react";
import { MEMBER_REFUSALS } from "@/lib/validators/members";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/actions/result";
import { changePasswordAction } from "./actions";

type ErrorKey = "tooShort" | "tooLong" | "mismatch" | "same" | "invalid" | "generic";
type Errors = Partial<Record<"password" | "confirm" | "_", ErrorKey>>;

/** The server's answer → a sentence per field, in the UI's language. */
function errorsOf(r: ActionResult<unknown>): Errors {
  if (r.ok) return {};
  const out: Errors = {};
  for (const i of r.error.issues ?? []) {
    const field = i.path.split(".")[0];
    if (field === "confirm") out.confirm ??= "mismatch";
    else if (field === "password") out.password ??= i.message === MEMBER_REFUSALS.samePassword ? "same" : /at least/.test(i.message) ? "tooShort" : /too big|at most|200/i.test(i.message) ? "tooLong" : "invalid";
  }
  if (!out.password && !out.confirm) out._ = "generic";
  return out;
}

const subscribeNothing = () => () => {};

export function PasswordForm({ email }: { email: string }) {
  const t = useTranslations("passwordChange");
  const router = useRouter();
  const [pending, start] = useTransition();
  // Disabled in the server's HTML: a click before hydration must not submit the form natively.
  const hydrated = useSyncExternalStore(subscribeNothing, () => true, () => false);
  const [errors, setErrors] = useState<Errors>({});
  const formRef = useRef<HTMLFormElement>(null);
  const ids = { password: useId(), confirm: useId(), hint: useId() };
  const described = (f: "password" | "confirm", extra?: string) => [errors[f] ? `${ids[f]}-error` : null, extra].filter(Boolean).join(" ") || undefined;
  const fieldError = (f: "password" | "confirm") =>
    errors[f] ? (
      <p id={`${ids[f]}-error`} className="text-xs text-red-600" role="alert">
        {t(`errors.${errors[f]}`)}
      </p>
    ) : null;

  return (
    <form
      ref={formRef}
      className="space-y-4"
      data-testid="password-form"
      method="post"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const fd = new FormData(e.currentTarget);
        const password = String(fd.get("password") ?? "");
        const confirm = String(fd.get("confirm") ?? "");
        // The same rules as the server's, said before the round trip.
        const local: Errors = password.length < 8 ? { password: "tooShort" } : password !== confirm ? { confirm: "mismatch" } : {};
        if (local.password || local.confirm) {
          setErrors(local);
          formRef.current?.querySelector<HTMLElement>(`[name="${local.password ? "password" : "confirm"}"]`)?.focus();
          return;
        }
        start(async () => {
          const r = await changePasswordAction({ password, confirm });
          if (r.ok) {
            router.replace(r.data.next);
            router.refresh();
            return;
          }
          setErrors(errorsOf(r));
        });
      }}
    >
      {/* For password managers: which account the new password belongs to. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <div className="space-y-1">
        <label htmlFor={ids.password} className="block text-sm font-medium text-gray-700">
          {t("password")}
        </label>
        <Input id={ids.password} name="password" type="password" autoComplete="new-password" required minLength={8} maxLength={200} autoFocus aria-invalid={errors.password ? true : undefined} aria-describedby={described("password", ids.hint)} />
        <span id={ids.hint} className="block text-xs text-gray-500">
          {t("hint")}
        </span>
        {fieldError("password")}
      </div>
      <div className="space-y-1">
        <label htmlFor={ids.confirm} className="block text-sm font-medium text-gray-700">
          {t("confirm")}
        </label>
        <Input id={ids.confirm} name="confirm" type="password" autoComplete="new-password" required maxLength={200} aria-invalid={errors.confirm ? true : undefined} aria-describedby={described("confirm")} />
        {fieldError("confirm")}
      </div>
      {errors._ ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {t(`errors.${errors._}`)}
        </p>
      ) : null}
      <Button type="submit" className="w-full" disabled={pending || !hydrated}>
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
