import type { Metadata } from "next";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { getTranslations } from "next-intl/server";
import { getQueryClient, trpc } from "@/lib/trpc/server";
import { getTenantSession } from "@/lib/auth/session";
import { leadFiltersFromSearchParams } from "@/lib/validators/leads";
import { LEADS_PAGE_SIZE, LeadsTable } from "@/components/leads/leads-table";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("leads"))("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function LeadsPage({ searchParams }: { searchParams: SearchParams }) {
  const view = leadFiltersFromSearchParams(await searchParams);
  const { sort: _sort, ...filters } = view;
  const member = await getTenantSession();
  const qc = getQueryClient();
  // The first page, its count and the stages are fetched before rendering, with the very filters the
  // client reads from the URL: the server's HTML and the client's first render then agree.
  await Promise.all([
    qc.prefetchInfiniteQuery(trpc.leads.find.infiniteQueryOptions({ ...view, limit: LEADS_PAGE_SIZE }, { getNextPageParam: (last) => last.nextCursor ?? undefined })),
    qc.prefetchQuery(trpc.leads.count.queryOptions(filters)),
    qc.prefetchQuery(trpc.leads.stages.queryOptions()),
    qc.prefetchQuery(trpc.leads.filterOptions.queryOptions()),
    qc.prefetchQuery(trpc.leads.views.queryOptions()),
  ]);
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <LeadsTable me={{ userId: member?.userId ?? "", role: member?.role ?? "sales" }} />
    </HydrationBoundary>
  );
}
