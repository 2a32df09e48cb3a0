"use server";
import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { LOCALE_COOKIE } from "@/lib/i18n/locale";
import { ZLocale } from "@/lib/validators/common";

// Public on purpose (the login page has a language switch): it only sets the visitor's own cookie.
export async function setLocale(locale: string): Promise<void> {
  const parsed = ZLocale.safeParse(locale);
  if (!parsed.success) return;
  (await cookies()).set(LOCALE_COOKIE, parsed.data, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "lax" });
  revalidatePath("/", "layout");
}
