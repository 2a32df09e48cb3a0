import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getTenantSession } from "@/lib/auth/session";
import { LocaleSwitcher } from "@/components/nav/locale-switcher";
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
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-blue-50 to-gray-100 p-4">
      <div className="w-full max-w-sm rounded-xl border border-gray-200 bg-white p-8 shadow-sm">
        <div className="mb-6 space-y-1">
          <p className="text-sm font-semibold tracking-wide text-blue-700">LeadFlow</p>
          <h1 className="text-xl font-semibold text-gray-900">{t("title")}</h1>
          <p className="text-sm text-gray-500">{t("subtitle")}</p>
        </div>
        <LoginForm callbackUrl={target} />
        <div className="mt-6 flex justify-end">
          <LocaleSwitcher />
        </div>
      </div>
    </main>
  );
}
