import "server-only";
import { z } from "zod";
import { withTenant } from "@/db/tenant";
import { autoAssign } from "@/lib/services/assignment";
import { setResponseDeadline } from "@/lib/services/response-timer";
import { getTenantSettings } from "@/lib/services/settings";
import { leadResponseDue } from "./lead-response-due";
import { aiAnalyse, AI_MAX_ATTEMPTS } from "./ai-analyse";
import { defineJob } from "./define";

/**
 * Enqueued with every new lead, in the intake transaction (so it exists exactly when the lead
 * does): the hand-off point for a new lead's follow-up work — today round-robin assignment (kept
 * out of the intake statement, so intake stays one round trip): the first-response deadline in the
 * tenant's working hours, then round-robin assignment; the AI and Bitrix24 issues add theirs.
 */
export const leadReceived = defineJob({
  id: "lead:received",
  payload: z.object({ tenantId: z.uuid(), leadId: z.uuid() }),
  async handler({ tenantId, leadId }, helpers) {
    const { assignee, dueAt, reassign } = await withTenant(tenantId, async (tx) => {
      const dueAt = await setResponseDeadline(tx, tenantId, leadId);
      const assignee = await autoAssign(tx, tenantId, leadId);
      return { assignee, dueAt, reassign: (await getTenantSettings(tx, tenantId)).reassignOverdue === true };
    });
    if (assignee) helpers.logger.debug(`lead ${leadId} assigned to ${assignee}`);
    // The AI's reading of the lead, at once, as its own job (a slow model never holds this one up).
    await helpers.addJob(aiAnalyse.id, { tenantId, leadId }, { jobKey: `ai:${leadId}`, maxAttempts: AI_MAX_ATTEMPTS });
    // The deadline check, at the deadline (one per lead: a retry of this job does not add a second).
    if (dueAt && reassign) await helpers.addJob(leadResponseDue.id, { tenantId, leadId }, { runAt: dueAt, jobKey: `response-due:${leadId}`, jobKeyMode: "preserve_run_at" });
  },
});
