import "server-only";
import { z } from "zod";
import { withTenant } from "@/db/tenant";
import { autoAssign } from "@/lib/services/assignment";
import { defineJob } from "./define";

/**
 * Enqueued with every new lead, in the intake transaction (so it exists exactly when the lead
 * does): the hand-off point for a new lead's follow-up work — today round-robin assignment (kept
 * out of the intake statement, so intake stays one round trip); the AI and Bitrix24 issues add theirs.
 */
export const leadReceived = defineJob({
  id: "lead:received",
  payload: z.object({ tenantId: z.uuid(), leadId: z.uuid() }),
  async handler({ tenantId, leadId }, helpers) {
    const assignee = await withTenant(tenantId, (tx) => autoAssign(tx, tenantId, leadId));
    if (assignee) helpers.logger.debug(`lead ${leadId} assigned to ${assignee}`);
  },
});
