"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect } from "react";

/**
 * Previous / next lead in the list view the salesperson came from (its filters and order ride
 * along in the URL). J and K move too, as in a mail client (О and Л on a Russian layout).
 */
export function LeadPager({ prev, next, query }: { prev: string | null; next: string | null; query: string }) {
  const t = useTranslations("lead");
  const router = useRouter();
  const href = (id: string) => `/leads/${id}${query ? `?${query}` : ""}`;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const el = e.target as HTMLElement | null;
      if (el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName))) return;
      const key = e.key.toLowerCase();
      if ((key === "j" || key === "о") && next) router.push(`/leads/${next}${query ? `?${query}` : ""}`);
      if ((key === "k" || key === "л") && prev) router.push(`/leads/${prev}${query ? `?${query}` : ""}`);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [next, prev, query, router]);
  const cls = "inline-flex items-center rounded-md border border-gray-300 bg-white px-2.5 py-1 text-sm font-medium text-gray-700 hover:bg-gray-50";
  const off = "inline-flex items-center rounded-md border border-gray-200 px-2.5 py-1 text-sm text-gray-300";
  return (
    <nav className="flex items-center gap-1.5" aria-label={t("position")} data-testid="lead-pager">
      {prev ? (
        <Link href={href(prev)} className={cls} title={t("prevTitle")} data-testid="lead-prev" prefetch={false}>
          {t("prev")}
        </Link>
      ) : (
        <span className={off} aria-disabled="true">
          {t("prev")}
        </span>
      )}
      {next ? (
        <Link href={href(next)} className={cls} title={t("nextTitle")} data-testid="lead-next" prefetch={false}>
          {t("next")}
        </Link>
      ) : (
        <span className={off} aria-disabled="true">
          {t("next")}
        </span>
      )}
    </nav>
  );
}
