import { getTenantSession } from "@/lib/auth/session";
import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { SitesManager } from "@/components/settings/sites-manager";
import { publicOrigin } from "@/lib/http/request";
import { getTranslations } from "next-intl/server";
import { api } from "@/lib/trpc/server";
import { Panel } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("settings"))("title") };
}

export default async function SettingsPage() {
  // Not the owner: the layout shows "owners only"; asking the owner's procedures would only log refusals.
  if ((await getTenantSession())?.role !== "owner") return null;
  const t = await getTranslations("settings");
  const caller = await api();
  const sites = await caller.settings.sites();
  const ts = await getTranslations("sites");
  const h = await headers();
  const appUrl = publicOrigin(h);
  return (
    <div className="space-y-6">
      <Panel title={t("sites")} actions={<Link href="/settings/api" className="text-sm text-blue-700 hover:underline">{ts("apiDocs")}</Link>}>
        <p className="mb-3 text-sm text-gray-500">{t("sitesHint")}</p>
        <SitesManager
          appUrl={appUrl}
          sites={sites.map((s) => ({
            ...s,
            keys: s.keys.map((k) => ({ ...k, createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null, lastUsedAt: k.lastUsedAt?.toISOString() ?? null })),
          }))}
        />
      </Panel>
    </div>
  );
}
