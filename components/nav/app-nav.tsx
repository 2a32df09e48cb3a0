"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";

const ITEMS = [
  { href: "/leads", key: "leads" },
  { href: "/board", key: "board" },
  { href: "/analytics", key: "analytics" },
  { href: "/settings", key: "settings" },
] as const;

export function AppNav({ canSeeAnalytics, canSeeSettings }: { canSeeAnalytics: boolean; canSeeSettings: boolean }) {
  const t = useTranslations("nav");
  const path = usePathname();
  const items = ITEMS.filter((i) => (i.key !== "analytics" || canSeeAnalytics) && (i.key !== "settings" || canSeeSettings));
  return (
    <nav aria-label={t("mainNavigation")} className="flex gap-1">
      {items.map((i) => {
        const active = path === i.href || path.startsWith(`${i.href}/`);
        return (
          <Link
            key={i.href}
            href={i.href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-blue-50 text-blue-700" : "text-gray-600 hover:bg-gray-100 hover:text-gray-900"}`}
          >
            {t(i.key)}
          </Link>
        );
      })}
    </nav>
  );
}
