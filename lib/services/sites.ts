import "server-only";
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { auditLog, siteKeys, sites, type KeyKind, type SiteRateLimits } from "@/db/schema";
import { withTenant, type Tx } from "@/db/tenant";
import { generateKey, keyRow } from "@/lib/api-keys/keys";
import { SITE_CHANGED_CHANNEL } from "@/lib/api-keys/resolve";
import { AppError } from "@/lib/errors";
import type { TSiteCreate, TSiteUpdate } from "@/lib/validators/sites";

async function issueKeys(tx: Tx, tenantId: string, siteId: string) {
  const pub = generateKey("public");
  const sec = generateKey("secret");
  await tx.insert(siteKeys).values([
    { tenantId, siteId, ...keyRow("public", pub) },
    { tenantId, siteId, ...keyRow("secret", sec) },
  ]);
  return { publicKey: pub.key, secretKey: sec.key };
}

/** A new site and its first pair of keys, inside the caller's tenant transaction. */
export async function createSiteTx(
  tx: Tx,
  tenantId: string,
  input: TSiteCreate,
  actorUserId?: string,
): Promise<{ siteId: string; publicKey: string; secretKey: string }> {
  const [site] = await tx
    .insert(sites)
    .values({ tenantId, name: input.name, origins: [...new Set(input.origins)], thankYouUrl: input.thankYouUrl ?? null })
    .returning({ id: sites.id });
  if (!site) throw new Error("site insert returned nothing");
  const keys = await issueKeys(tx, tenantId, site.id);
  await tx.insert(auditLog).values({ tenantId, actorUserId: actorUserId ?? null, action: "site.create", entity: "site", entityId: site.id, data: { name: input.name } });
  await notifySiteChanged(tx, site.id); // its origins pass a keyless CORS preflight at once
  return { siteId: site.id, ...keys };
}

export function createSite(tenantId: string, input: TSiteCreate, actorUserId?: string) {
  return withTenant(tenantId, (tx) => createSiteTx(tx, tenantId, input, actorUserId));
}

/** Every app instance drops its cached copy of this tenant's sites when the transaction commits. */
export async function notifySiteChanged(tx: Tx, siteId: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${SITE_CHANGED_CHANNEL}, ${siteId})`);
}

async function requireSite(tx: Tx, siteId: string): Promise<void> {
  const [row] = await tx.select({ id: sites.id }).from(sites).where(and(eq(sites.id, siteId), isNull(sites.archivedAt))).limit(1);
  if (!row) throw new AppError("not_found", "Site not found");
}

export async function updateSite(tx: Tx, tenantId: string, input: TSiteUpdate, actorUserId?: string): Promise<void> {
  await requireSite(tx, input.siteId);
  const { siteId, origins, ...rest } = input;
  await tx
    .update(sites)
    .set({ ...rest, ...(origins ? { origins: [...new Set(origins)] } : {}), updatedAt: new Date() })
    .where(eq(sites.id, siteId));
  await tx.insert(auditLog).values({ tenantId, actorUserId: actorUserId ?? null, action: "site.update", entity: "site", entityId: siteId, data: { fields: Object.keys(input).filter((k) => k !== "siteId") } });
  await notifySiteChanged(tx, siteId);
}

/**
 * A new key of that kind; the old ones of the kind are revoked at once (a leaked secret must stop
 * working now). A new secret key is returned once and never stored; a public one stays visible.
 */
export async function rotateKey(tx: Tx, tenantId: string, siteId: string, kind: KeyKind, actorUserId?: string): Promise<{ key: string }> {
  await requireSite(tx, siteId);
  await tx.update(siteKeys).set({ revokedAt: new Date() }).where(and(eq(siteKeys.siteId, siteId), eq(siteKeys.kind, kind), isNull(siteKeys.revokedAt)));
  const k = generateKey(kind);
  await tx.insert(siteKeys).values({ tenantId, siteId, ...keyRow(kind, k) });
  await tx.insert(auditLog).values({ tenantId, actorUserId: actorUserId ?? null, action: "site.key_rotate", entity: "site", entityId: siteId, data: { kind, prefix: k.prefix } });
  await notifySiteChanged(tx, siteId);
  return { key: k.key };
}

export async function revokeKey(tx: Tx, tenantId: string, keyId: string, actorUserId?: string): Promise<void> {
  const [k] = await tx.update(siteKeys).set({ revokedAt: new Date() }).where(and(eq(siteKeys.id, keyId), isNull(siteKeys.revokedAt))).returning({ siteId: siteKeys.siteId, prefix: siteKeys.prefix });
  if (!k) throw new AppError("not_found", "Key not found or already revoked");
  await tx.insert(auditLog).values({ tenantId, actorUserId: actorUserId ?? null, action: "site.key_revoke", entity: "site", entityId: k.siteId, data: { prefix: k.prefix } });
  await notifySiteChanged(tx, k.siteId);
}

export async function archiveSite(tx: Tx, tenantId: string, siteId: string, actorUserId?: string): Promise<void> {
  await requireSite(tx, siteId);
  await tx.update(sites).set({ archivedAt: new Date() }).where(eq(sites.id, siteId));
  await tx.update(siteKeys).set({ revokedAt: new Date() }).where(and(eq(siteKeys.siteId, siteId), isNull(siteKeys.revokedAt)));
  await tx.insert(auditLog).values({ tenantId, actorUserId: actorUserId ?? null, action: "site.archive", entity: "site", entityId: siteId, data: {} });
  await notifySiteChanged(tx, siteId);
}

export type SiteRow = {
  id: string;
  name: string;
  origins: string[];
  thankYouUrl: string | null;
  rateLimits: SiteRateLimits;
  createdAt: Date;
  /** The site's own round-robin team (empty: the whole sales team). */
  assigneeIds: string[];
  /** `key`: the whole public key (null for secret keys, and for public keys issued before they were kept). */
  keys: { id: string; kind: KeyKind; prefix: string; key: string | null; createdAt: Date; revokedAt: Date | null; lastUsedAt: Date | null; usageCount: number }[];
};

export async function findSites(tx: Tx): Promise<SiteRow[]> {
  const [siteRows, keyRows] = await Promise.all([
    tx.select().from(sites).where(isNull(sites.archivedAt)).orderBy(desc(sites.createdAt)),
    tx
      .select({ id: siteKeys.id, siteId: siteKeys.siteId, kind: siteKeys.kind, prefix: siteKeys.prefix, key: siteKeys.key, createdAt: siteKeys.createdAt, revokedAt: siteKeys.revokedAt, lastUsedAt: siteKeys.lastUsedAt, usageCount: siteKeys.usageCount })
      .from(siteKeys)
      .orderBy(desc(siteKeys.createdAt)),
  ]);
  return siteRows.map((s) => ({
    id: s.id,
    name: s.name,
    origins: s.origins,
    thankYouUrl: s.thankYouUrl,
    rateLimits: s.rateLimits,
    createdAt: s.createdAt,
    assigneeIds: s.assigneeIds,
    keys: keyRows.filter((k) => k.siteId === s.id).map(({ siteId: _siteId, ...k }) => k),
  }));
}

/** Sites by name, for pickers (the leads list's site filter): every member may see these. */
export async function findSiteOptions(tx: Tx): Promise<{ id: string; name: string; archived: boolean }[]> {
  const rows = await tx.select({ id: sites.id, name: sites.name, archivedAt: sites.archivedAt }).from(sites).orderBy(asc(sites.name));
  return rows.map((r) => ({ id: r.id, name: r.name, archived: r.archivedAt !== null }));
}
