import { z } from "zod";
import { CHANNELS } from "@/db/schema/enums";
import { zText } from "./common";
import { ZDay } from "./leads";

/** The longest period one request may ask for (two years and a day: a leap year's 366 + 365). */
export const MAX_PERIOD_DAYS = 731;

/** `from` / `to` as days of the tenant's calendar, both inclusive; either may be left out. */
export const ZAnalyticsPeriod = z.object({ from: ZDay.optional(), to: ZDay.optional() });
export type TAnalyticsPeriod = z.infer<typeof ZAnalyticsPeriod>;

/** The dashboard's filters (the page keeps them in the URL). `source`: a UTM source, or "none" for leads without one. */
export const ZAnalyticsFilters = z.object({
  site: z.uuid().optional(),
  channel: z.enum(CHANNELS).optional(),
  source: zText().trim().min(1).max(200).optional(),
  assignee: z.union([z.literal("none"), z.uuid()]).optional(),
});
export type TAnalyticsFilters = z.infer<typeof ZAnalyticsFilters>;

export const ZAnalyticsInput = ZAnalyticsPeriod.and(ZAnalyticsFilters);
export type TAnalyticsInput = z.infer<typeof ZAnalyticsInput>;

/** The contract's "Analytics summary" (GET /api/v1/analytics/summary). */
const ZCount = z.number().int().min(0);
export const ZAnalyticsSummary = z
  .object({
    period: z.object({ from: ZDay, to: ZDay, timezone: zText() }),
    leads: ZCount,
    spam: ZCount,
    won: ZCount,
    conversion: z.number().min(0).max(1).meta({ description: "won / leads, a fraction (0 when no leads)" }),
    byStatus: z.record(zText(), ZCount).meta({ description: "The current status of each lead, every stage of the pipeline present" }),
    firstResponse: z.object({
      count: ZCount,
      median: z.number().nullable().meta({ description: "Seconds from createdAt to firstResponseAt (percentile_cont 0.5); null when count is 0" }),
      p90: z.number().nullable(),
      withinTarget: z.number().min(0).max(1).nullable().meta({ description: "Share answered within the tenant's first-response target" }),
    }),
    byDay: z.array(z.object({ date: ZDay, leads: ZCount })),
    byChannel: z.array(z.object({ channel: z.enum(CHANNELS), leads: ZCount, won: ZCount })),
    bySource: z.array(z.object({ source: zText().nullable(), leads: ZCount, won: ZCount })),
    funnel: z.array(z.object({ status: zText(), reached: ZCount })),
  })
  .meta({ id: "AnalyticsSummary" });
export type TAnalyticsSummary = z.infer<typeof ZAnalyticsSummary>;

/** The REST query: the period only (the contract's endpoint has no filters). */
export const ZApiAnalyticsQuery = ZAnalyticsPeriod;
