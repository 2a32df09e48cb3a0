import type { Metadata } from "next";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { getTranslations } from "next-intl/server";
import { UUID_RE } from "@/db/schema/enums";
import { getQueryClient, trpc } from "@/lib/trpc/server";
import { Bitrix24Log } from "@/components/settings/bitrix24-log";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("bitrix24.log"))("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const PAGE_SIZE = 50;

// Settings → Integrations → the Bitrix24 sync log. Filters live in the URL (?failed=1, ?lead=<uuid>);
// the first page is fetched with the very input the client then uses.
export default async function Bitrix24LogPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const failed = sp.failed === "1";
  const leadId = typeof sp.lead === "string" && UUID_RE.test(sp.lead) ? sp.lead.toLowerCase() : undefined;
  const input = { failed: failed || undefined, leadId, limit: PAGE_SIZE };
  const qc = getQueryClient();
  await Promise.all([
    qc.prefetchInfiniteQuery(trpc.bitrix24.log.infiniteQueryOptions(input, { getNextPageParam: (last) => last.nextCursor ?? undefined })),
    qc.prefetchQuery(trpc.bitrix24.overview.queryOptions()),
  ]);
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <Bitrix24Log failed={failed} leadId={leadId} pageSize={PAGE_SIZE} />
    </HydrationBoundary>
  );
}
