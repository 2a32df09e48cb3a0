import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/tenant";
import type { Bitrix24OpKind } from "@/db/schema/bitrix24";
import { enqueue } from "@/lib/jobs/enqueue";
import { bitrix24SyncKey, bitrix24SyncRef } from "@/lib/jobs/refs";

// Work for Bitrix24 is queued in the transaction of the change that causes it (a status change, a
// lead marked not spam, a backfill page): an op row in `bitrix24_ops` plus the tenant's drain job,
// so it exists exactly when the change does. The intake statement queues its own ops in SQL (see
// lib/services/intake/write.ts) with the same conditions.

/**
 * Queue one op for a lead when the tenant's connection takes that kind of work (also while it is
 * paused: the drain waits, and nothing is missing when it is switched on again). Returns whether
 * an op was queued. `status` ops only for leads Bitrix24 has (or is about to get), and at most one
 * unstarted per lead: it reads the lead's status when it is sent, so it carries the latest.
 */
export async function queueBitrix24(tx: Tx, tenantId: string, leadId: string, kind: Bitrix24OpKind, payload: Record<string, unknown> = {}): Promise<boolean> {
  const toggle = kind === "status" ? sql`c.sync_status_out` : sql`c.sync_leads`;
  const known = sql`(exists (select 1 from bitrix24_links k where k.tenant_id = c.tenant_id and k.lead_id = ${leadId}::uuid)
    or exists (select 1 from bitrix24_ops o where o.tenant_id = c.tenant_id and o.lead_id = ${leadId}::uuid and o.kind = 'add' and o.state = 'pending'))`;
  const guard =
    kind === "status"
      ? sql`and ${known} and not exists (select 1 from bitrix24_ops o where o.tenant_id = c.tenant_id and o.lead_id = ${leadId}::uuid and o.kind = 'status' and o.state = 'pending' and o.attempts = 0)`
      : kind === "add"
        ? sql`and not ${known}`
        : sql`and ${known}`;
  const rows = (await tx.execute(sql`
    insert into bitrix24_ops (tenant_id, lead_id, kind, payload)
    select c.tenant_id, ${leadId}::uuid, ${kind}, ${JSON.stringify(payload)}::jsonb
    from bitrix24_connections c
    where c.tenant_id = ${tenantId}::uuid and ${toggle} ${guard}
    returning id`)) as unknown as { id: number }[];
  if (rows.length) await kickSync(tx, tenantId);
  return rows.length > 0;
}

/** Queue the tenant's drain job (one at a time per tenant; a later one replaces a scheduled retry). */
export async function kickSync(tx: Tx, tenantId: string): Promise<void> {
  await enqueue(tx, bitrix24SyncRef, { tenantId }, { jobKey: bitrix24SyncKey(tenantId) });
}
