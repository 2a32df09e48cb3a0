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
  // Start the first page on the server; the client table picks it up without a second round trip.
  void qc.prefetchInfiniteQuery(trpc.leads.find.infiniteQueryOptions({ limit: 25 }, { getNextPageParam: (last) => last.nextCursor ?? undefined }));
  void qc.prefetchQuery(trpc.leads.stages.queryOptions());
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <LeadsTable />
    </HydrationBoundary>
  );
}
