import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getTenantSession } from "@/lib/auth/session";
import { LocaleSwitcher } from "@/components/nav/locale-switcher";
import { AuthCard } from "@/components/ui/auth-card";
import { LoginForm } from "./login-form";
import { safeCallbackPath } from "@/lib/auth/callback";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("login");
  return { title: t("title") };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  const target = safeCallbackPath(callbackUrl);
  // Only a session that still opens a tenant skips the form: a deactivated member's cookie would
  // otherwise bounce between here and the app's layout.
  if (await getTenantSession()) redirect(target);
  const t = await getTranslations("login");
  return (
    <AuthCard
      title={t("title")}
      subtitle={t("subtitle")}
      footer={
        <div className="mt-6 flex justify-end">
          <LocaleSwitcher />
        </div>
      }
    >
      <LoginForm callbackUrl={target} />
    </AuthCard>
  );
}
