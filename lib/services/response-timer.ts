import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { leads } from "@/db/schema";
import type { Tx } from "@/db/tenant";
import { addWorkingMinutes } from "@/lib/working-hours";
import { getTenantSettings } from "./settings";

/**
 * Fix a new lead's first-response deadline: the tenant's target counted in its working hours from
 * the moment the lead arrived. Set once (a lead keeps the deadline it was given when the rules
 * change later); returns it, or null when the lead is gone, already answered or imported.
 */
export async function setResponseDeadline(tx: Tx, tenantId: string, leadId: string): Promise<Date | null> {
  const [lead] = await tx
    .select({ createdAt: leads.createdAt, dueAt: leads.firstResponseDueAt, respondedAt: leads.firstResponseAt, channel: leads.channel })
    .from(leads)
    .where(eq(leads.id, leadId))
    .limit(1);
  // Imported leads are history, not someone waiting for an answer: no timer.
  if (!lead || lead.respondedAt || lead.channel === "import") return null;
  if (lead.dueAt) return lead.dueAt;
  const s = await getTenantSettings(tx, tenantId);
  const dueAt = addWorkingMinutes(lead.createdAt, s.firstResponseTargetMinutes, s.workingHours, s.timezone);
  await tx.update(leads).set({ firstResponseDueAt: dueAt }).where(and(eq(leads.id, leadId), isNull(leads.firstResponseDueAt)));
  return dueAt;
}
