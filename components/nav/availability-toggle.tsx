"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";

/** A salesperson's "I take new leads" switch: off, round-robin passes them over (lunch, day off). */
export function AvailabilityToggle({ available }: { available: boolean }) {
  const t = useTranslations("nav");
  const trpc = useTRPC();
  const router = useRouter();
  const [on, setOn] = useState(available);
  const save = useMutation(trpc.me.setAvailable.mutationOptions({ onSuccess: () => router.refresh(), onError: () => setOn((v) => !v) }));
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      disabled={save.isPending}
      onClick={() => {
        setOn(!on);
        save.mutate({ available: !on });
      }}
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-medium ring-1 ${on ? "bg-emerald-50 text-emerald-800 ring-emerald-200" : "bg-gray-100 text-gray-600 ring-gray-200"}`}
      data-testid="availability"
      title={t("availabilityHint")}
    >
      <span className={`h-2 w-2 rounded-full ${on ? "bg-emerald-500" : "bg-gray-400"}`} aria-hidden />
      {on ? t("available") : t("unavailable")}
    </button>
  );
}
