import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { TRPCError } from "@trpc/server";
import { SitesManager } from "@/components/settings/sites-manager";
import { publicOrigin } from "@/lib/http/request";
import { getFormatter, getTranslations } from "next-intl/server";
import { api } from "@/lib/trpc/server";
import { EmptyState, Panel } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("settings"))("title") };
}

export default async function SettingsPage() {
  const t = await getTranslations("settings");
  const tr = await getTranslations("role");
  const format = await getFormatter();
  const caller = await api();
  const data = await Promise.all([caller.settings.sites(), caller.settings.members()]).catch((e: unknown) => {
    if (e instanceof TRPCError && e.code === "FORBIDDEN") return null;
    throw e;
  });
  if (!data) {
    return (
      <div data-testid="settings-forbidden">
        <EmptyState title={t("forbidden")} hint={t("forbiddenHint")} />
      </div>
    );
  }
  const [sites, members] = data;
  const ts = await getTranslations("sites");
  const h = await headers();
  const appUrl = publicOrigin(h);
  const date = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium" }) : t("never"));
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">{t("title")}</h1>
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
      <Panel title={t("users")}>
        <div className="-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
        <table className="min-w-full text-sm" data-testid="users-table">
          <thead className="text-left text-xs uppercase text-gray-500">
            <tr>
              <th className="py-2">{t("email")}</th>
              <th className="hidden py-2 sm:table-cell">{t("name")}</th>
              <th className="py-2">{t("role")}</th>
              <th className="hidden py-2 sm:table-cell">{t("since")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {members.map((m) => (
              <tr key={m.userId}>
                <td className="py-2 pr-3">
                  <span className="break-all">{m.email}</span>
                  <span className="block text-xs text-gray-500 sm:hidden">{m.name}</span>
                </td>
                <td className="hidden py-2 sm:table-cell">{m.name}</td>
                <td className="py-2">{tr(m.role)}</td>
                <td className="hidden py-2 text-gray-500 sm:table-cell">{date(m.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      </Panel>
    </div>
  );
}
