import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { api } from "@/lib/trpc/server";
import { Panel } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("settings"))("users") };
}

export default async function UsersSettingsPage() {
  const t = await getTranslations("settings");
  const tr = await getTranslations("role");
  const format = await getFormatter();
  const members = await (await api()).settings.members();
  const date = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium" }) : t("never"));
  return (
    <div className="space-y-6">
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
