import type { Metadata } from "next";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { getTranslations } from "next-intl/server";
import { getQueryClient, trpc } from "@/lib/trpc/server";
import { LeadsTable } from "@/components/leads/leads-table";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("leads"))("title") };
}

export default async function LeadsPage() {
  const qc = getQueryClient();
  // The first page and the stages are fetched before rendering (not streamed as pending queries):
  // the server's HTML and the client's first render then see the same data, so hydration never
  // depends on which of the two finished first.
  await Promise.all([
    qc.prefetchInfiniteQuery(trpc.leads.find.infiniteQueryOptions({ limit: 25 }, { getNextPageParam: (last) => last.nextCursor ?? undefined })),
    qc.prefetchQuery(trpc.leads.stages.queryOptions()),
  ]);
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <LeadsTable />
    </HydrationBoundary>
  );
}
