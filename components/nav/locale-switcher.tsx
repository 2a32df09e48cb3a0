"use client";
import { useLocale, useTranslations } from "next-intl";
import { useTransition } from "react";
import { setLocale } from "@/app/locale-actions";

export function LocaleSwitcher() {
  const locale = useLocale();
  const t = useTranslations("nav");
  const [pending, start] = useTransition();
  return (
    <label className="flex items-center gap-2 text-xs text-gray-500">
      <span className="sr-only">{t("language")}</span>
      <select
        aria-label={t("language")}
        className="rounded border border-gray-200 bg-white px-1.5 py-1 text-xs"
        value={locale}
        disabled={pending}
        onChange={(e) => start(() => setLocale(e.target.value))}
      >
        <option value="ru">Русский</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}
