import { DEFAULT_LOCALE, LOCALES, type Locale } from "@/db/schema/enums";

export { DEFAULT_LOCALE, LOCALES };
export type AppLocale = Locale;
export const LOCALE_COOKIE = "NEXT_LOCALE";

export function isLocale(v: unknown): v is AppLocale {
  return (LOCALES as readonly unknown[]).includes(v);
}

/** The request's locale from its headers (the NEXT_LOCALE cookie, else Accept-Language). */
export function localeFromHeaders(headers: Headers): AppLocale {
  const cookie = headers
    .get("cookie")
    ?.split(";")
    .map((c) => c.trim().split("="))
    .find(([k]) => k === LOCALE_COOKIE)?.[1];
  return pickLocale(cookie, headers.get("accept-language"));
}

/** Cookie wins; otherwise the browser's Accept-Language, where it prefers English over Russian. */
export function pickLocale(cookie: string | undefined, acceptLanguage: string | null | undefined): AppLocale {
  if (isLocale(cookie)) return cookie;
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { lang: tag.toLowerCase().split("-")[0] ?? "", q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => isLocale(x.lang))
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.lang as AppLocale | undefined) ?? DEFAULT_LOCALE;
}
