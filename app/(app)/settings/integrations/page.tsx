import type { Metadata } from "next";
import { headers } from "next/headers";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { getTranslations } from "next-intl/server";
import { DEFAULT_TIMEZONE } from "@/db/schema/enums";
import { getTenantSession } from "@/lib/auth/session";
import { publicOrigin } from "@/lib/http/request";
import { todayIn } from "@/lib/working-hours";
import { api, getQueryClient, trpc } from "@/lib/trpc/server";
import { Bitrix24Settings } from "@/components/settings/bitrix24-settings";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("settings.tabs"))("integrations") };
}

/** The backfill's default period: the last 30 days of the tenant's calendar. */
function lastThirtyDays(timeZone: string) {
  return { from: todayIn(timeZone, new Date(Date.now() - 30 * 86_400_000)), to: todayIn(timeZone) };
}

// Settings → Integrations: Bitrix24 (the settings layout lets only the owner in; the procedures check again).
export default async function IntegrationsPage() {
  const member = await getTenantSession();
  // Not the owner: the layout shows "owners only"; asking the owner's procedures would only log refusals.
  if (member?.role !== "owner") return null;
  const caller = await api();
  const qc = getQueryClient();
  const [members, sites] = await Promise.all([
    caller.settings.members(),
    caller.settings.sites(),
    qc.prefetchQuery(trpc.bitrix24.overview.queryOptions()),
    qc.prefetchQuery(trpc.bitrix24.backfills.queryOptions()),
  ]);
  // The address the portal's outgoing webhook posts to (the one this request came through).
  const handlerUrl = `${publicOrigin(await headers())}/api/integrations/bitrix24/events/${member?.tenantId ?? ""}`;
  const tz = member?.timezone ?? DEFAULT_TIMEZONE;
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <Bitrix24Settings
        handlerUrl={handlerUrl}
        members={members.map((m) => ({ userId: m.userId, name: m.name, email: m.email, active: !m.deactivatedAt }))}
        sites={sites.map((s) => ({ id: s.id, name: s.name }))}
        period={lastThirtyDays(tz)}
      />
    </HydrationBoundary>
  );
}
