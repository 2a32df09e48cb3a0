import "server-only";
import { getDb } from "@/db";
import { withTenant } from "@/db/tenant";
import { queueBackfillPage, unfinishedBackfills } from "@/lib/integrations/bitrix24/backfill";
import { pullLead, reconcileTenant } from "@/lib/integrations/bitrix24/inbound";
import { connectedTenants, drainTenant, nextDue } from "@/lib/integrations/bitrix24/sync";
import { defineJob } from "./define";
import { kickRelay } from "./relay";
import { bitrix24BackfillRef, bitrix24PullRef, bitrix24SyncKey, bitrix24SyncRef } from "./refs";

// The Bitrix24 jobs (lib/integrations/bitrix24 holds the work). Retries of sends are the drain's
// own (per op, in `bitrix24_ops`); graphile-worker's retries cover a job that crashed.

/** Send a tenant's queue; queue itself again for the next op that is due later. */
export const bitrix24Sync = defineJob({
  id: bitrix24SyncRef.id,
  payload: bitrix24SyncRef.payload,
  async handler({ tenantId }, helpers) {
    const r = await drainTenant(tenantId);
    if (r.stopped) helpers.logger.info(`bitrix24 sync for ${tenantId}: ${r.stopped}`);
    // Never at once after a drain that could send nothing: a second later at the earliest (no busy loop).
    const floor = Date.now() + (r.requests || r.sent ? 0 : 1000);
    if (r.nextAt) await helpers.addJob(bitrix24SyncRef.id, { tenantId }, { jobKey: bitrix24SyncKey(tenantId), runAt: new Date(Math.max(r.nextAt.getTime(), floor)) });
  },
});

/** An outbound event's lead, re-read and applied. */
export const bitrix24Pull = defineJob({
  id: bitrix24PullRef.id,
  payload: bitrix24PullRef.payload,
  async handler({ tenantId, bitrixId }) {
    await pullLead(tenantId, bitrixId);
  },
});

/** A backfill's pages, queued one transaction each (resumable: the cursor moves with them). */
export const bitrix24Backfill = defineJob({
  id: bitrix24BackfillRef.id,
  payload: bitrix24BackfillRef.payload,
  async handler({ tenantId, backfillId }) {
    let more = true;
    while (more) {
      more = await withTenant(tenantId, (tx) => queueBackfillPage(tx, tenantId, backfillId));
      kickRelay(); // the page's drain job, to the queue now
    }
  },
});

/**
 * Every minute, per connected tenant: make sure queued work has a drain job (a worker that died
 * holding one leaves its ops' leases to run out, and its job locked), and resume backfills whose
 * queuing stopped.
 */
export const bitrix24Tick = defineJob({
  id: "bitrix24:tick",
  payload: bitrix24SyncRef.payload.partial(),
  async handler(_p, helpers) {
    for (const tenantId of await connectedTenants(getDb())) {
      const { due, backfills } = await withTenant(tenantId, async (tx) => ({ due: await nextDue(tx, tenantId), backfills: await unfinishedBackfills(tx) }));
      if (due) await helpers.addJob(bitrix24SyncRef.id, { tenantId }, { jobKey: bitrix24SyncKey(tenantId), runAt: due });
      for (const backfillId of backfills) await helpers.addJob(bitrix24BackfillRef.id, { tenantId, backfillId }, { jobKey: `b24backfill:${backfillId}` });
    }
  },
});

/** Every five minutes: catch status changes whose events the portal never delivered. */
export const bitrix24Reconcile = defineJob({
  id: "bitrix24:reconcile",
  payload: bitrix24SyncRef.payload.partial(),
  async handler(_p, helpers) {
    for (const tenantId of await connectedTenants(getDb())) {
      try {
        const n = await reconcileTenant(tenantId);
        if (n) helpers.logger.info(`bitrix24 reconcile for ${tenantId}: ${n} lead(s) changed`);
      } catch (e) {
        // One portal being down must not hold up the others; the next run tries again.
        helpers.logger.warn(`bitrix24 reconcile for ${tenantId} failed: ${(e as Error).message}`);
      }
    }
  },
});
