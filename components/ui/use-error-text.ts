"use client";
import { useTranslations } from "next-intl";

export type AppErrorLike = { message: string; data?: { appCode?: string; issues?: { path: string; message: string }[] } | null };

/** A tRPC or action error → a line in the UI's language (field issues are shown next to their fields). */
export function useErrorText() {
  const t = useTranslations("lead.errors");
  return (e: unknown) => {
    const code = (e as AppErrorLike)?.data?.appCode ?? (e as { code?: string })?.code;
    if (code === "forbidden" || code === "not_found" || code === "validation_error" || code === "unavailable") return t(code);
    return t("generic");
  };
}
