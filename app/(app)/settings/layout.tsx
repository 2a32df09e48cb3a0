import { getTranslations } from "next-intl/server";
import { getTenantSession } from "@/lib/auth/session";
import { EmptyState } from "@/components/ui/card";
import { SettingsTabs } from "@/components/settings/settings-tabs";

// Settings are the owner's: every section page sits under this gate (the services check the role again).
export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  const t = await getTranslations("settings");
  const member = await getTenantSession();
  if (member?.role !== "owner") {
    return (
      <div data-testid="settings-forbidden">
        <EmptyState title={t("forbidden")} hint={t("forbiddenHint")} />
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">{t("title")}</h1>
      <SettingsTabs />
      {children}
    </div>
  );
}
