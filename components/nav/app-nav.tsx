"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";

const ITEMS = [
  { href: "/today", key: "today" },
  { href: "/leads", key: "leads" },
  { href: "/board", key: "board" },
  { href: "/analytics", key: "analytics" },
  { href: "/settings", key: "settings" },
] as const;

export function AppNav({ canSeeAnalytics, canSeeSettings, todayCount }: { canSeeAnalytics: boolean; canSeeSettings: boolean; todayCount: number }) {
  const t = useTranslations("nav");
  const path = usePathname();
  const items = ITEMS.filter((i) => (i.key !== "analytics" || canSeeAnalytics) && (i.key !== "settings" || canSeeSettings));
  return (
    <nav aria-label={t("mainNavigation")} className="flex flex-wrap gap-1">
      {items.map((i) => {
        const active = path === i.href || path.startsWith(`${i.href}/`);
        return (
          <Link
            key={i.href}
            href={i.href}
            aria-current={active ? "page" : undefined}
            className={`inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-blue-50 text-blue-700" : "text-gray-600 hover:bg-gray-100 hover:text-gray-900"}`}
          >
            {t(i.key)}
            {i.key === "today" && todayCount > 0 ? (
              <span className="rounded-full bg-red-600 px-1.5 text-xs font-semibold leading-5 text-white" aria-label={t("todayBadge", { count: todayCount })} data-testid="today-count">
                {todayCount}
              </span>
            ) : null}
          </Link>
        );
      })}
    </nav>
  );
}
