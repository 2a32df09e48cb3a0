import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { passwordChangeRequired } from "@/lib/auth";
import { getTenantSession } from "@/lib/auth/session";
import { LocaleSwitcher } from "@/components/nav/locale-switcher";
import { logout } from "@/app/(app)/actions";
import { PasswordForm } from "./password-form";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("passwordChange"))("title") };
}

// Outside the (app) group, whose layout sends a user with a one-time password here (no loop).
export default async function PasswordPage() {
  const member = await getTenantSession();
  if (!member) redirect("/login");
  if (!(await passwordChangeRequired(member.userId))) redirect("/leads");
  const t = await getTranslations("passwordChange");
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-blue-50 to-gray-100 p-4">
      <div className="w-full max-w-sm rounded-xl border border-gray-200 bg-white p-8 shadow-sm">
        <div className="mb-6 space-y-1">
          <p className="text-sm font-semibold tracking-wide text-blue-700">LeadFlow</p>
          <h1 className="text-xl font-semibold text-gray-900">{t("title")}</h1>
          <p className="text-sm text-gray-500">{t("subtitle")}</p>
          <p className="break-all text-xs text-gray-500">{t("account", { email: member.email })}</p>
        </div>
        <PasswordForm email={member.email} />
        <div className="mt-6 flex items-center justify-between">
          <form action={logout}>
            <button type="submit" className="rounded-md px-2 py-1 text-sm text-gray-600 hover:bg-gray-100">
              {t("logout")}
            </button>
          </form>
          <LocaleSwitcher />
        </div>
      </div>
    </main>
  );
}
