import "server-only";
import { withTenant } from "@/db/tenant";
import { trainTenantScoring } from "@/lib/services/ai";
import { defineJob } from "./define";
import { aiTrainRef } from "./refs";

/** Retrain a tenant's scoring model from its closed leads: queued when a lead is won or lost (one per tenant at a time). */
export const aiTrain = defineJob({
  ...aiTrainRef,
  async handler({ tenantId }, helpers) {
    const n = await withTenant(tenantId, (tx) => trainTenantScoring(tx, tenantId));
    helpers.logger.debug(`scoring model of ${tenantId} retrained on ${n} closed leads`);
  },
});
