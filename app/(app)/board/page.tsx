import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { api } from "@/lib/trpc/server";
import { StatusBadge } from "@/components/leads/status-badge";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("board"))("title") };
}

export default async function BoardPage() {
  const t = await getTranslations("board");
  const tl = await getTranslations("leads");
  const caller = await api();
  const [stages, columns] = await Promise.all([caller.leads.stages(), caller.leads.board()]);
  const byKey = new Map(columns.map((c) => [c.key, c]));
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">{t("title")}</h1>
      <div className="flex gap-3 overflow-x-auto pb-4">
        {stages.map((s) => {
          const col = byKey.get(s.key);
          return (
            <section key={s.key} className="flex w-72 shrink-0 flex-col rounded-lg bg-gray-100 p-2" aria-label={s.label} data-testid={`column-${s.key}`}>
              <header className="mb-2 flex items-center justify-between px-1">
                <StatusBadge label={s.label} color={s.color} />
                <span className="text-xs font-medium text-gray-500">{col?.count ?? 0}</span>
              </header>
              <ul className="space-y-2">
                {(col?.items ?? []).map((l) => (
                  <li key={l.id}>
                    <Link href={`/leads/${l.id}`} className="block rounded-md border border-gray-200 bg-white p-2.5 text-sm shadow-sm hover:border-blue-300">
                      <p className="font-medium text-gray-900">{l.name || l.email || l.phone || tl("noName")}</p>
                      {l.company ? <p className="text-xs text-gray-500">{l.company}</p> : null}
                      <p className="mt-1 text-xs text-gray-400">{l.assignee?.name ?? tl("unassigned")}</p>
                    </Link>
                  </li>
                ))}
                {!col?.count ? <li className="px-1 py-6 text-center text-xs text-gray-400">{t("empty")}</li> : null}
                {col && col.count > col.items.length ? <li className="px-1 text-center text-xs text-gray-500">{t("more", { count: col.count - col.items.length })}</li> : null}
              </ul>
            </section>
          );
        })}
      </div>
    </div>
  );
}
