import "server-only";
import { withTenant } from "@/db/tenant";
import { analyse, markFailed, readForAnalysis, writeAnalysis } from "@/lib/services/ai";
import { defineJob } from "./define";
import { kickRelay } from "./relay";
import { AI_MAX_ATTEMPTS, aiAnalyseRef } from "./refs";

export { AI_MAX_ATTEMPTS };

/**
 * Analyse a lead with the active model (categorise, extract, score, summarise). Queued by
 * `lead:received` right after intake, and by "re-run" on the lead page. Retried with the queue's
 * backoff; the last failed attempt leaves `ai.status` = failed.
 */
export const aiAnalyse = defineJob({
  ...aiAnalyseRef,
  async handler({ tenantId, leadId }, helpers) {
    const input = await withTenant(tenantId, (tx) => readForAnalysis(tx, tenantId, leadId));
    if (!input) return;
    try {
      const result = await analyse(input);
      await withTenant(tenantId, (tx) => writeAnalysis(tx, tenantId, leadId, result));
      kickRelay(); // the summary may have queued its Bitrix24 comment
    } catch (e) {
      const last = (helpers.job?.attempts ?? AI_MAX_ATTEMPTS) >= (helpers.job?.max_attempts ?? AI_MAX_ATTEMPTS);
      if (last) {
        await withTenant(tenantId, (tx) => markFailed(tx, leadId));
        helpers.logger.error(`AI analysis of lead ${leadId} failed for good: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      throw e;
    }
  },
});
