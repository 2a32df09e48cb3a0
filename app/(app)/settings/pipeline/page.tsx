import type { Metadata } from "next";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { getTranslations } from "next-intl/server";
import { getQueryClient, trpc } from "@/lib/trpc/server";
import { Panel } from "@/components/ui/card";
import { PipelineManager } from "@/components/settings/pipeline-manager";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("pipeline"))("title") };
}

// Settings → Pipeline (the settings layout lets only the owner in; the procedures check again).
export default async function PipelineSettingsPage() {
  const t = await getTranslations("pipeline");
  const qc = getQueryClient();
  await qc.prefetchQuery(trpc.settings.stages.queryOptions());
  return (
    <div className="space-y-6">
      <Panel title={t("title")}>
        <p className="mb-4 max-w-3xl text-sm text-gray-500">{t("hint")}</p>
        <HydrationBoundary state={dehydrate(qc)}>
          <PipelineManager />
        </HydrationBoundary>
      </Panel>
    </div>
  );
}
