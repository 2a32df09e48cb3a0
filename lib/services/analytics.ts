import "server-only";
import { and, eq, gte, sql } from "drizzle-orm";
import { DEFAULT_TIMEZONE, leads, tenants } from "@/db/schema";
import type { Tx } from "@/db/tenant";

export type Overview = {
  total: number;
  won: number;
  medianFirstResponseMinutes: number | null;
  byChannel: { key: string; value: number }[];
  bySource: { key: string | null; value: number }[];
  byStatus: { key: string; value: number }[];
  perDay: { date: string; value: number }[];
};

/** Manager overview for the last `days` days (spam excluded), in the tenant's timezone. */
export async function getOverview(tx: Tx, tenantId: string, days: number): Promise<Overview> {
  const [tenant] = await tx.select({ tz: tenants.timezone }).from(tenants).where(eq(tenants.id, tenantId));
  const timezone = tenant?.tz ?? DEFAULT_TIMEZONE;
  const since = new Date(Date.now() - days * 86400_000);
  const where = and(gte(leads.createdAt, since), eq(leads.spam, false));
  const count = sql<number>`count(*)::int`;
  const [totals, byChannel, bySource, byStatus, perDay] = await Promise.all([
    tx
      .select({
        total: count,
        won: sql<number>`count(*) filter (where ${leads.status} = 'won')::int`,
        median: sql<number | null>`percentile_cont(0.5) within group (order by ${leads.firstResponseSeconds})`,
      })
      .from(leads)
      .where(where),
    tx.select({ key: leads.channel, value: count }).from(leads).where(where).groupBy(leads.channel).orderBy(sql`2 desc`),
    tx.select({ key: leads.utmSource, value: count }).from(leads).where(where).groupBy(leads.utmSource).orderBy(sql`2 desc`).limit(10),
    tx.select({ key: leads.status, value: count }).from(leads).where(where).groupBy(leads.status),
    tx
      .select({ date: sql<string>`to_char(date_trunc('day', ${leads.createdAt} at time zone ${timezone}), 'YYYY-MM-DD')`, value: count })
      .from(leads)
      .where(where)
      .groupBy(sql`1`)
      .orderBy(sql`1`),
  ]);
  const t = totals[0];
  return {
    total: t?.total ?? 0,
    won: t?.won ?? 0,
    medianFirstResponseMinutes: t?.median == null ? null : Math.round(Number(t.median) / 60),
    byChannel,
    bySource,
    byStatus,
    perDay,
  };
}
