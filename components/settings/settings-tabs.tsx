"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";

const TABS = [
  { href: "/settings", key: "sites" },
  { href: "/settings/leads", key: "leadRules" },
  { href: "/settings/pipeline", key: "pipeline" },
  { href: "/settings/users", key: "users" },
  { href: "/settings/ai", key: "ai" },
  { href: "/settings/api", key: "api" },
  { href: "/settings/integrations", key: "integrations" },
] as const;

/** The sections of Settings, as links (each section is its own page: deep-linkable, back button works). */
export function SettingsTabs() {
  const t = useTranslations("settings.tabs");
  const path = usePathname();
  return (
    <nav aria-label={t("label")} className="-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
      <ul className="flex min-w-max gap-1 border-b border-gray-200">
        {TABS.map((tab) => {
          const active = tab.href === "/settings" ? path === "/settings" : path === tab.href || path.startsWith(`${tab.href}/`);
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={`-mb-px inline-block border-b-2 px-3 py-2 text-sm font-medium ${active ? "border-blue-600 text-blue-700" : "border-transparent text-gray-600 hover:border-gray-300 hover:text-gray-900"}`}
              >
                {t(tab.key)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
