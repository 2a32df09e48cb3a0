import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getTenantSession } from "@/lib/auth/session";
import { passwordChangeRequired } from "@/lib/auth";
import { api } from "@/lib/trpc/server";
import { TRPCReactProvider } from "@/lib/trpc/client";
import { AppNav } from "@/components/nav/app-nav";
import { TenantSwitcher } from "@/components/nav/tenant-switcher";
import { LocaleSwitcher } from "@/components/nav/locale-switcher";
import { AvailabilityToggle } from "@/components/nav/availability-toggle";
import { logout } from "./actions";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  // No session, or the membership was revoked since sign-in: the session is good for nothing.
  const member = await getTenantSession();
  if (!member) redirect("/login");
  // Invited with a one-time password: choose one's own first (the page is outside this group).
  if (await passwordChangeRequired(member.userId)) redirect("/password");
  const caller = await api();
  const todayCount = await caller.leads.todayCount().catch(() => 0);
  // The owner hears at once when Bitrix24 stopped taking leads or some could not be sent.
  const b24 = member.role === "owner" ? await caller.bitrix24.alert().catch(() => null) : null;
  const t = await getTranslations();
  return (
    <TRPCReactProvider>
      <div className="min-h-screen">
        <header className="border-b border-gray-200 bg-white">
          <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-4 px-4 py-2.5">
            <Link href="/leads" className="text-base font-bold text-blue-700">
              LeadFlow
            </Link>
            <AppNav canSeeAnalytics canSeeSettings={member.role === "owner"} todayCount={todayCount} />
            <div className="ml-auto flex flex-wrap items-center justify-end gap-x-3 gap-y-1">
              {member.role === "sales" ? <AvailabilityToggle available={member.available} /> : null}
              <TenantSwitcher current={member.tenantId} tenants={member.tenants} />
              <span className="hidden text-sm text-gray-500 sm:inline" data-testid="current-user">
                {member.name || member.email} · {t(`role.${member.role}`)}
              </span>
              <LocaleSwitcher />
              <form action={logout}>
                <button type="submit" className="rounded-md px-2 py-1 text-sm text-gray-600 hover:bg-gray-100">
                  {t("nav.logout")}
                </button>
              </form>
            </div>
          </div>
        </header>
        {b24 ? (
          <div role="alert" data-testid="bitrix24-alert" className={`border-b px-4 py-2 text-sm ${b24.broken ? "border-red-200 bg-red-50 text-red-800" : "border-amber-200 bg-amber-50 text-amber-900"}`}>
            <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-3 gap-y-1">
              <span>{b24.broken ? t("bitrix24Alert.broken", { reason: b24.broken }) : t("bitrix24Alert.failed", { count: b24.failed })}</span>
              <Link href={b24.broken ? "/settings/integrations" : "/settings/integrations/log?failed=1"} className="font-medium underline">
                {b24.broken ? t("bitrix24Alert.fix") : t("bitrix24Alert.log")}
              </Link>
            </div>
          </div>
        ) : null}
        <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
      </div>
    </TRPCReactProvider>
  );
}
