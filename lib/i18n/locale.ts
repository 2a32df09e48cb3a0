export const LOCALES = ["ru", "en"] as const;
export type AppLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = "ru";
export const LOCALE_COOKIE = "NEXT_LOCALE";

/** Cookie wins; otherwise the browser's Accept-Language, where it prefers English over Russian. */
export function pickLocale(cookie: string | undefined, acceptLanguage: string | null | undefined): AppLocale {
  if (cookie === "ru" || cookie === "en") return cookie;
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { lang: tag.toLowerCase().split("-")[0] ?? "", q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => x.lang === "ru" || x.lang === "en")
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.lang as AppLocale | undefined) ?? DEFAULT_LOCALE;
}
