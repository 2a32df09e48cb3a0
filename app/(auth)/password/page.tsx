import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { passwordChangeRequired } from "@/lib/auth";
import { getTenantSession } from "@/lib/auth/session";
import { LocaleSwitcher } from "@/components/nav/locale-switcher";
import { logout } from "@/app/(app)/actions";
import { AuthCard } from "@/components/ui/auth-card";
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
    <AuthCard
      title={t("title")}
      subtitle={t("subtitle")}
      extra={<p className="break-all text-xs text-gray-500">{t("account", { email: member.email })}</p>}
      footer={
        <div className="mt-6 flex items-center justify-between">
          <form action={logout}>
            <button type="submit" className="rounded-md px-2 py-1 text-sm text-gray-600 hover:bg-gray-100">
              {t("logout")}
            </button>
          </form>
          <LocaleSwitcher />
        </div>
      }
    >
      <PasswordForm email={member.email} />
    </AuthCard>
  );
}
