import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { leads } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { defineJob } from "./define";

/**
 * Enqueued with every new lead, in the intake transaction (so it exists exactly when the lead
 * does). The hand-off point for the follow-up work a lead gets (AI categorising, Bitrix24 push);
 * on its own it only confirms the lead is there. Nothing shows on the timeline: plumbing, not news.
 */
export const leadReceived = defineJob({
  id: "lead:received",
  payload: z.object({ tenantId: z.uuid(), leadId: z.uuid() }),
  async handler({ tenantId, leadId }, helpers) {
    const [lead] = await withTenant(tenantId, (tx) => tx.select({ id: leads.id }).from(leads).where(eq(leads.id, leadId)).limit(1));
    if (!lead) helpers.logger.warn(`lead ${leadId} of tenant ${tenantId} is gone; nothing to follow up`);
  },
});
