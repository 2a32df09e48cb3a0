import "server-only";
import { z } from "zod";
import { withTenant } from "@/db/tenant";
import { reassignOverdue } from "@/lib/services/assignment";
import { defineJob } from "./define";

/**
 * Runs at a lead's first-response deadline (scheduled by `lead:received` when the tenant has
 * "reassign overdue leads" on): a lead still waiting goes to the next salesperson, once.
 */
export const leadResponseDue = defineJob({
  id: "lead:response-due",
  payload: z.object({ tenantId: z.uuid(), leadId: z.uuid() }),
  async handler({ tenantId, leadId }, helpers) {
    const to = await withTenant(tenantId, (tx) => reassignOverdue(tx, tenantId, leadId));
    if (to) helpers.logger.info(`lead ${leadId} waited past its deadline: reassigned to ${to}`);
  },
});
