import { z } from "zod";
import { zText } from "./common";

const HHMM = zText().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time HH:MM");

/** Working hours of the first-response timer (see lib/working-hours.ts). */
export const ZWorkingHours = z
  .object({
    enabled: z.boolean(),
    days: z.array(z.number().int().min(1).max(7)).max(7).transform((d) => [...new Set(d)].sort()),
    start: HHMM,
    end: HHMM,
  })
  .superRefine((wh, ctx) => {
    if (wh.end <= wh.start) ctx.addIssue({ code: "custom", path: ["end"], message: "must be after the start" });
    if (wh.enabled && wh.days.length === 0) ctx.addIssue({ code: "custom", path: ["days"], message: "pick at least one working day" });
  });

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz.length <= 64;
  } catch {
    return false;
  }
}

export const ZTimeZone = zText().trim().refine(isTimeZone, "must be an IANA time zone, e.g. Europe/Moscow");

/** Settings → Lead rules: how leads are joined, timed and handed out. */
export const ZLeadRulesSchema = z.object({
  timezone: ZTimeZone,
  dedupeWindowDays: z.coerce.number().int("must be a whole number of days").min(1, "at least 1 day").max(365, "at most 365 days"),
  firstResponseTargetMinutes: z.coerce.number().int("must be a whole number of minutes").min(1, "at least 1 minute").max(10_080, "at most 7 days"),
  workingHours: ZWorkingHours,
  autoAssign: z.boolean(),
  reassignOverdue: z.boolean(),
});
export type TLeadRules = z.infer<typeof ZLeadRulesSchema>;

/** A site's own round-robin team (empty: the whole sales team). */
export const ZSiteTeamSchema = z.object({ siteId: z.uuid(), userIds: z.array(z.uuid()).max(200) });

/** Settings → AI: the categories a lead can be put in (keys). */
export const ZAiCategoriesSchema = z.object({
  categories: z.array(zText().regex(/^[a-z][a-z0-9_]{1,39}$/, "must be a key: latin letters, digits, _")).min(2, "at least two categories").max(30, "at most 30 categories"),
});
