import type { Metadata } from "next";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { getTranslations } from "next-intl/server";
import { api, getQueryClient, trpc } from "@/lib/trpc/server";
import { boardFilters, leadFiltersFromSearchParams } from "@/lib/validators/leads";
import { Kanban } from "@/components/board/kanban";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("board"))("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function BoardPage({ searchParams }: { searchParams: SearchParams }) {
  const filters = boardFilters(leadFiltersFromSearchParams(await searchParams));
  const qc = getQueryClient();
  const [stages] = await Promise.all([(await api()).leads.stages(), qc.prefetchQuery(trpc.leads.board.queryOptions(filters))]);
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <Kanban stages={stages} />
    </HydrationBoundary>
  );
}
