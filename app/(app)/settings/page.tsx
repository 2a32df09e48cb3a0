import type { Metadata } from "next";
import { TRPCError } from "@trpc/server";
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
  const date = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium" }) : t("never"));
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">{t("title")}</h1>
      <Panel title={t("sites")}>
        <p className="mb-3 text-sm text-gray-500">{t("sitesHint")}</p>
        {sites.length === 0 ? (
          <p className="text-sm text-gray-400">{t("noSites")}</p>
        ) : (
          <ul className="divide-y divide-gray-100" data-testid="sites-list">
            {sites.map((s) => (
              <li key={s.id} className="py-3">
                <p className="font-medium">{s.name}</p>
                <p className="text-sm text-gray-600">
                  {t("origins")}: {s.origins.length ? s.origins.join(", ") : t("noOrigins")}
                </p>
                <ul className="mt-1 space-y-0.5 text-xs text-gray-500">
                  {s.keys.map((k) => (
                    <li key={k.id}>
                      {k.kind === "public" ? t("publicKey") : t("secretKey")}: <code>{k.prefix}…</code>
                      {k.revokedAt ? ` (${t("revoked")})` : ""} · {t("lastUsed")}: {date(k.lastUsedAt)}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel title={t("users")}>
        <table className="min-w-full text-sm" data-testid="users-table">
          <thead className="text-left text-xs uppercase text-gray-500">
            <tr>
              <th className="py-2">{t("email")}</th>
              <th className="py-2">{t("name")}</th>
              <th className="py-2">{t("role")}</th>
              <th className="py-2">{t("since")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {members.map((m) => (
              <tr key={m.userId}>
                <td className="py-2">{m.email}</td>
                <td className="py-2">{m.name}</td>
                <td className="py-2">{tr(m.role)}</td>
                <td className="py-2 text-gray-500">{date(m.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </div>
  );
}
