import "server-only";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { auditLog, bitrix24Connections, pipelineStages, type Bitrix24Stage } from "@/db/schema";
import { withTenant, type Tx } from "@/db/tenant";
import { AppError } from "@/lib/errors";
import { seal, tokenHash, unseal } from "@/lib/secrets";
import type { TBitrix24Connect, TBitrix24Settings } from "@/lib/validators/bitrix24";
import { Bitrix24Error, call, maskWebhookUrl, parseWebhookUrl, type WebhookUrl } from "./client";
import { reserve } from "./bucket";
import { DEFAULT_STATUS_OUT, parseStages } from "./mapping";
import { kickSync } from "@/lib/services/bitrix24-queue";

// A tenant's Bitrix24 connection: connect (verified by a real call), settings, disconnect. The
// webhook URL is sealed under APP_ENCRYPTION_KEY (lib/secrets.ts); the application token of the
// outgoing webhook is kept only as a hash.

export type Connection = typeof bitrix24Connections.$inferSelect;

export async function findConnection(tx: Tx, tenantId: string): Promise<Connection | null> {
  const [row] = await tx.select().from(bitrix24Connections).where(eq(bitrix24Connections.tenantId, tenantId)).limit(1);
  return row ?? null;
}

/** The connection's webhook, opened (only in memory, for the duration of a call). */
export function webhookOf(conn: Pick<Connection, "webhookEnc" | "tenantId">): WebhookUrl {
  const w = parseWebhookUrl(unseal(conn.webhookEnc, conn.tenantId));
  if ("error" in w) throw new Error("stored webhook URL no longer parses");
  return w;
}

const URL_MESSAGES = {
  url: "not a URL",
  https: "must be an https:// URL (http only for localhost)",
  path: "must look like https://<portal>/rest/<user id>/<code>/",
} as const;

export type Verified = { webhook: WebhookUrl; stages: Bitrix24Stage[]; userName: string | null };

const PRIVATE = [/^10\./, /^172\.(1[6-9]|2\d|3[01])\./, /^192\.168\./, /^169\.254\./, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./, /^0\./, /^(fc|fd)[0-9a-f]{2}:/i, /^fe[89ab][0-9a-f]:/i, /^::ffff:(10|192\.168|169\.254)\./i];

/**
 * A portal is on the internet: a webhook whose host resolves into a private network (an office
 * router, a cloud metadata address) is refused, so Settings cannot be used to reach inside ours.
 * Loopback stays allowed (the issue's stand-ins); a name that does not resolve is "did not answer".
 */
async function refusePrivateNetwork(w: WebhookUrl): Promise<void> {
  const hostname = new URL(w.base).hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = isIP(hostname) ? [hostname] : (await lookup(hostname, { all: true })).map((a) => a.address);
  } catch {
    throw new Bitrix24Error("transient", null, "DNS", `the portal's name ${hostname} does not resolve`);
  }
  if (addresses.some((a) => PRIVATE.some((re) => re.test(a)))) {
    throw new AppError("validation_error", "Invalid webhook URL", { issues: [{ path: "webhookUrl", message: "the portal's address is in a private network" }] });
  }
}

/** Wait for a slot in the portal's bucket (an interactive check waits at most a few seconds). */
export async function takeSlot(host: string, maxWaitMs: number): Promise<boolean> {
  const wait = await reserve(host, undefined, maxWaitMs);
  if (wait === null) return false;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  return true;
}

/**
 * Check a webhook with a real request — `crm.status.list` for the lead stages (the method the sync
 * needs most) — then, best effort, `user.current` for whom it acts as (a webhook without the `user`
 * scope still connects). Throws `validation_error` naming `webhookUrl` with the portal's own words,
 * or, when the portal could not be reached, a `Bitrix24Error` (transient).
 */
export async function verifyWebhook(input: string): Promise<Verified> {
  const webhook = parseWebhookUrl(input);
  if ("error" in webhook) throw new AppError("validation_error", "Invalid webhook URL", { issues: [{ path: "webhookUrl", message: URL_MESSAGES[webhook.error] }] });
  await refusePrivateNetwork(webhook);
  if (!(await takeSlot(webhook.host, 10_000))) throw new AppError("rate_limited", "The portal's request limit is in use; try again in a few seconds", { retryAfterSeconds: 10 });
  let stages: Bitrix24Stage[];
  try {
    stages = parseStages((await call(webhook, "crm.status.list", { filter: { ENTITY_ID: "STATUS" } })).envelope.result);
  } catch (e) {
    if (e instanceof Bitrix24Error && !e.retryable) {
      const why =
        e.kind === "auth"
          ? `the portal refused the webhook (${e.summary}); check the code and that it has the crm scope`
          : e.kind === "config"
            ? `not a webhook of this portal (${e.summary})`
            : `the portal refused the check (${e.summary})`;
      throw new AppError("validation_error", "Bitrix24 refused the webhook", { issues: [{ path: "webhookUrl", message: why }] });
    }
    throw e;
  }
  let userName: string | null = null;
  if (await takeSlot(webhook.host, 2_000)) {
    const user = await call<Record<string, unknown>>(webhook, "user.current", {}, { timeoutMs: 5_000 }).then((r) => r.envelope.result, () => null);
    if (user) userName = [user.NAME, user.LAST_NAME].filter((x) => typeof x === "string" && x).join(" ") || null;
  }
  return { webhook, stages, userName };
}

/**
 * Save a verified connection (a reconnect keeps the mappings and clears "broken"), and give the
 * contract's stage map its defaults where the pipeline has none. Queued work goes on at once.
 */
export async function saveConnection(tx: Tx, tenantId: string, actorUserId: string | null, v: Verified, applicationToken: string | null | undefined): Promise<Connection> {
  const values = {
    tenantId,
    webhookEnc: seal(v.webhook.base, tenantId),
    portalHost: v.webhook.host,
    portalUserId: v.webhook.userId,
    portalUserName: v.userName,
    enabled: true,
    brokenReason: null,
    brokenAt: null,
    updatedAt: new Date(),
    ...(v.stages.length ? { stages: v.stages } : {}),
    ...(applicationToken ? { appTokenHash: tokenHash(applicationToken) } : {}),
  };
  const prev = await findConnection(tx, tenantId);
  // A different portal: the member id learnt from the old one's events no longer applies.
  const portalChanged = prev && prev.portalHost !== v.webhook.host;
  const [row] = await tx
    .insert(bitrix24Connections)
    .values(values)
    .onConflictDoUpdate({ target: bitrix24Connections.tenantId, set: { ...values, ...(portalChanged ? { memberId: null, reconciledTo: null } : {}) } })
    .returning();
  if (portalChanged) {
    // Another portal: what was queued for the old one is dropped.
    await tx.execute(sql`update bitrix24_ops set state = 'skipped', last_error = 'connected to another portal', lease_until = null where tenant_id = ${tenantId}::uuid and state = 'pending'`);
  }
  // Links to another portal (this one replaced it, or it was disconnected and another connected):
  // those ids mean nothing here. Links to this same portal, kept over a disconnect, stay.
  await tx.execute(sql`
    with gone as (delete from bitrix24_links where tenant_id = ${tenantId}::uuid and portal_host <> ${v.webhook.host} returning lead_id)
    update leads set bitrix_id = null, bitrix_synced_at = null where tenant_id = ${tenantId}::uuid and id in (select lead_id from gone)`);
  for (const [key, statusId] of Object.entries(DEFAULT_STATUS_OUT)) {
    await tx.update(pipelineStages).set({ bitrixStatusId: statusId }).where(and(eq(pipelineStages.key, key), sql`${pipelineStages.bitrixStatusId} is null`));
  }
  await tx.insert(auditLog).values({ tenantId, actorUserId, action: "bitrix24.connect", entity: "integration", entityId: "bitrix24", data: { portal: v.webhook.host, user: v.webhook.userId, url: maskWebhookUrl(v.webhook) } });
  await kickSync(tx, tenantId);
  return row!;
}

/** Connect from Settings or the CLI: verify, then save. */
/** A portal that did not answer the check, as the field's error (Settings insists on a check). */
export function unreachable(e: Bitrix24Error): AppError {
  return new AppError("validation_error", "Bitrix24 did not answer", { issues: [{ path: "webhookUrl", message: `the portal did not answer (${e.summary})` }] });
}

export async function connectBitrix24(tenantId: string, actorUserId: string | null, input: TBitrix24Connect, opts: { tolerateUnreachable?: boolean } = {}): Promise<{ connection: Connection; verified: boolean }> {
  let verified: Verified;
  let checked = true;
  try {
    verified = await verifyWebhook(input.webhookUrl);
  } catch (e) {
    // The CLI may set a connection while the portal is briefly away; Settings insists on a check.
    if (!(e instanceof Bitrix24Error) || !opts.tolerateUnreachable) {
      if (e instanceof Bitrix24Error) throw unreachable(e);
      throw e;
    }
    const webhook = parseWebhookUrl(input.webhookUrl) as WebhookUrl;
    verified = { webhook, stages: [], userName: null };
    checked = false;
  }
  const connection = await withTenant(tenantId, (tx) => saveConnection(tx, tenantId, actorUserId, verified, input.applicationToken), { userId: actorUserId ?? undefined });
  return { connection, verified: checked };
}

export async function updateBitrix24Settings(tx: Tx, tenantId: string, actorUserId: string, input: TBitrix24Settings): Promise<void> {
  const conn = await findConnection(tx, tenantId);
  if (!conn) throw new AppError("not_found", "Bitrix24 is not connected");
  const set: Partial<typeof bitrix24Connections.$inferInsert> = { updatedAt: new Date() };
  if (input.syncLeads !== undefined) set.syncLeads = input.syncLeads;
  if (input.syncStatusOut !== undefined) set.syncStatusOut = input.syncStatusOut;
  if (input.syncStatusIn !== undefined) set.syncStatusIn = input.syncStatusIn;
  if (input.enabled !== undefined) set.enabled = input.enabled;
  if (input.statusMapIn) set.statusMapIn = input.statusMapIn;
  if (input.sourceMap) set.sourceMap = input.sourceMap;
  if (input.userMap) set.userMap = input.userMap;
  if (input.applicationToken) set.appTokenHash = tokenHash(input.applicationToken);
  await tx.update(bitrix24Connections).set(set).where(eq(bitrix24Connections.tenantId, tenantId));
  if (input.statusMapOut) {
    for (const [key, statusId] of Object.entries(input.statusMapOut)) {
      await tx.update(pipelineStages).set({ bitrixStatusId: statusId }).where(eq(pipelineStages.key, key));
    }
  }
  await tx.insert(auditLog).values({ tenantId, actorUserId, action: "bitrix24.settings", entity: "integration", entityId: "bitrix24", data: { ...input, applicationToken: input.applicationToken ? "(changed)" : undefined } });
  if (input.enabled !== false) await kickSync(tx, tenantId);
}

/** Disconnect: the sealed URL, the token and the queue go; links and the log stay (history). */
export async function disconnectBitrix24(tx: Tx, tenantId: string, actorUserId: string): Promise<void> {
  await tx.execute(sql`update bitrix24_ops set state = 'skipped', last_error = 'disconnected', lease_until = null where tenant_id = ${tenantId}::uuid and state = 'pending'`);
  await tx.delete(bitrix24Connections).where(eq(bitrix24Connections.tenantId, tenantId));
  await tx.insert(auditLog).values({ tenantId, actorUserId, action: "bitrix24.disconnect", entity: "integration", entityId: "bitrix24", data: {} });
}
