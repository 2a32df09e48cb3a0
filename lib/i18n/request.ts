import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { DEFAULT_TIMEZONE } from "@/db/schema/enums";
import { getTenantSession } from "@/lib/auth/session";
import { LOCALE_COOKIE, pickLocale } from "./locale";

// Locale comes from the NEXT_LOCALE cookie or Accept-Language; URLs carry no locale. Times are
// shown in the active tenant's time zone (the agency's business hours), the same on the server
// and in the browser wherever the salesperson is.
export default getRequestConfig(async () => {
  const [c, h, member] = await Promise.all([cookies(), headers(), getTenantSession().catch(() => null)]);
  const locale = pickLocale(c.get(LOCALE_COOKIE)?.value, h.get("accept-language"));
  const messages = (await import(`../../messages/${locale}.json`)).default;
  return { locale, messages, timeZone: member?.timezone ?? DEFAULT_TIMEZONE };
});
