"use client";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";

export default function AppError({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations();
  return (
    <EmptyState title={t("errors.generic")}>
      <Button variant="secondary" onClick={reset}>
        {t("leads.retry")}
      </Button>
    </EmptyState>
  );
}
