"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "@/components/ui/button";

/** "Выполнено" from the Today list: logs the step and opens the lead to set the next one. */
export function TodayDone({ leadId }: { leadId: string }) {
  const t = useTranslations("nextStep");
  const trpc = useTRPC();
  const router = useRouter();
  const complete = useMutation(trpc.leads.completeNextStep.mutationOptions({ onSuccess: () => router.push(`/leads/${leadId}?next=1`) }));
  return (
    <span className="flex items-center gap-2 self-start sm:self-auto">
      <Button variant="secondary" onClick={() => complete.mutate({ id: leadId })} disabled={complete.isPending}>
        {t("done")}
      </Button>
      <Link href={`/leads/${leadId}`} className="sr-only">
        {t("open")}
      </Link>
    </span>
  );
}
