import "server-only";
import { and, asc, desc, eq, gte, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { DEFAULT_TENANT_SETTINGS, leadEvents, leads, memberships, notes, pipelineStages, tenants, users } from "@/db/schema";
import type { Tx } from "@/db/tenant";
import { AppError } from "@/lib/errors";
import type { TLead, TLeadDetail, TLeadListInput, TLeadPatch, TNote } from "@/lib/validators/leads";
import { UUID_RE, type Role } from "@/db/schema";

/** Who is looking: a member (by role), or an integrator's secret key (`userId` null, sees all). */
export type Viewer = { userId: string | null; role: Role };

export const API_VIEWER: Viewer = { userId: null, role: "owner" };

type LeadRow = typeof leads.$inferSelect;
type AssigneeRow = { email: string | null; name: string | null } | null;

/** DB row → the contract's `Lead`. */
export function toLeadDto(row: LeadRow, assignee: AssigneeRow): TLead {
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    firstResponseAt: row.firstResponseAt?.toISOString() ?? null,
    status: row.status,
    channel: row.channel,
    siteId: row.siteId,
    name: row.name,
    email: row.email,
    phone: row.phone,
    company: row.company,
    message: row.message,
    form: row.form,
    pageUrl: row.pageUrl,
    referrer: row.referrer,
    utm: { source: row.utmSource, medium: row.utmMedium, campaign: row.utmCampaign, term: row.utmTerm, content: row.utmContent },
    consent: row.consent,
    customFields: row.customFields,
    spam: row.spam,
    submissions: row.submissions,
    assignee: assignee?.email ? { email: assignee.email, name: assignee.name ?? "" } : null,
    // A category a person chose before the model ran still shows (the model's run is then pending).
    ai: row.aiStatus || row.aiCategory ? { category: row.aiCategory, score: row.aiScore, summary: row.aiSummary, status: row.aiStatus ?? "pending" } : null,
    bitrix24: row.bitrixId ? { id: row.bitrixId, syncedAt: row.bitrixSyncedAt?.toISOString() ?? null } : null,
  };
}

/** Sales see leads assigned to them and unassigned ones; managers and owners see all. */
export function visibleTo(viewer: Viewer): SQL | undefined {
  if (viewer.role !== "sales" || !viewer.userId) return undefined;
  return or(eq(leads.assigneeId, viewer.userId), isNull(leads.assigneeId));
}

function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [ts, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(ts ?? "");
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new AppError("validation_error", "Invalid cursor", { issues: [{ path: "cursor", message: "invalid" }] });
  }
  return { createdAt, id };
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Phone digits as a salesperson types them: "8 997 324-52-98" and "+7 997…" both mean +7 997…. */
export function phoneSearchDigits(q: string): string | null {
  if (!/^[+\d\s().\-]+$/.test(q)) return null;
  let digits = q.replace(/\D/g, "");
  if (digits.length < 3) return null;
  if (digits.length === 11 && digits.startsWith("8")) digits = `7${digits.slice(1)}`;
  return digits;
}

/**
 * Free text → one condition, parameterised, never raw:
 * - words match by Russian and English stems and as typed, each as a prefix ("сайты" finds
 *   "сайт", "новик" finds "Новикова"), all words required;
 * - a single token also matches inside e-mails and names ("novikova69", "bk.ru", "икова"), by
 *   trigram indexes;
 * - digits typed like a phone match inside the phone's digits ("997 324", "89973245298").
 */
export function searchCondition(q: string): SQL | undefined {
  const text = q.trim();
  if (!text) return undefined;
  const phone = phoneSearchDigits(text);
  if (phone) return sql`${leads.phoneDigits} like ${`%${phone}%`}`;
  const conds: SQL[] = [];
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8);
  if (words.length) {
    const perWord = words.map((w) => {
      const prefix = `${w}:*`;
      return sql`(to_tsquery('russian', ${prefix}) || to_tsquery('english', ${prefix}) || to_tsquery('simple', ${prefix}))`;
    });
    conds.push(sql`${leads.search} @@ (${sql.join(perWord, sql` && `)})`);
  }
  const token = text.toLowerCase();
  if (!/\s/.test(token) && token.length >= 3) {
    const pattern = `%${likeEscape(token)}%`;
    conds.push(sql`${leads.emailNorm} like ${pattern}`, sql`lower(${leads.name}) like ${pattern}`);
  }
  return conds.length ? or(...conds) : sql`false`;
}

export async function findLeads(
  tx: Tx,
  viewer: Viewer,
  input: TLeadListInput,
): Promise<{ items: TLead[]; nextCursor: string | null }> {
  const conds: (SQL | undefined)[] = [visibleTo(viewer)];
  if (input.status) conds.push(eq(leads.status, input.status));
  if (input.channel) conds.push(eq(leads.channel, input.channel));
  if (input.assignee === "me") conds.push(viewer.userId ? eq(leads.assigneeId, viewer.userId) : sql`false`);
  else if (input.assignee === "none") conds.push(isNull(leads.assigneeId));
  else if (input.assignee) conds.push(eq(leads.assigneeId, input.assignee));
  if (input.q) conds.push(searchCondition(input.q));
  if (input.updatedSince) conds.push(gte(leads.updatedAt, input.updatedSince));
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    conds.push(or(lt(leads.createdAt, c.createdAt), and(eq(leads.createdAt, c.createdAt), lt(leads.id, c.id))));
  }
  const rows = await tx
    .select({ lead: leads, assigneeEmail: users.email, assigneeName: users.name })
    .from(leads)
    .leftJoin(users, eq(users.id, leads.assigneeId))
    .where(and(...conds))
    .orderBy(desc(leads.createdAt), desc(leads.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toLeadDto(r.lead, { email: r.assigneeEmail, name: r.assigneeName })),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.lead) : null,
  };
}

export async function countLeads(tx: Tx, viewer: Viewer): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(leads).where(visibleTo(viewer));
  return row?.n ?? 0;
}

async function getLeadRow(tx: Tx, viewer: Viewer, id: string) {
  if (!UUID_RE.test(id)) throw new AppError("not_found", "Lead not found");
  const [row] = await tx
    .select({ lead: leads, assigneeEmail: users.email, assigneeName: users.name })
    .from(leads)
    .leftJoin(users, eq(users.id, leads.assigneeId))
    .where(and(eq(leads.id, id), visibleTo(viewer)))
    .limit(1);
  if (!row) throw new AppError("not_found", "Lead not found");
  return row;
}

/** One lead in the contract's shape. */
export async function getLeadDto(tx: Tx, viewer: Viewer, id: string): Promise<TLead> {
  const row = await getLeadRow(tx, viewer, id);
  return toLeadDto(row.lead, { email: row.assigneeEmail, name: row.assigneeName });
}

/** The first thing a person does with a lead (status change, note) stops its first-response timer. */
function firstResponse(lead: LeadRow, actorUserId: string | null, now: Date): Partial<typeof leads.$inferInsert> {
  if (!actorUserId || lead.firstResponseAt) return {};
  return {
    firstResponseAt: now,
    firstResponseSeconds: Math.max(0, Math.round((now.getTime() - lead.createdAt.getTime()) / 1000)),
    firstResponseBy: actorUserId,
  };
}

/**
 * Change status, assignee and/or category, with their timeline events. Terminal stages close the
 * lead; a status change by a person counts as the first response; a category chosen here is a
 * correction that the model never overwrites.
 */
export async function updateLead(tx: Tx, viewer: Viewer, id: string, patch: TLeadPatch, actorUserId: string | null): Promise<TLead> {
  const { lead } = await getLeadRow(tx, viewer, id);
  const now = new Date();
  const set: Partial<typeof leads.$inferInsert> = {};
  const events: (typeof leadEvents.$inferInsert)[] = [];
  if (patch.status !== undefined && patch.status !== lead.status) {
    const [stage] = await tx.select().from(pipelineStages).where(eq(pipelineStages.key, patch.status)).limit(1);
    if (!stage) throw new AppError("validation_error", `Unknown status "${patch.status}"`, { issues: [{ path: "status", message: "not a status of this pipeline" }] });
    set.status = patch.status;
    set.closedAt = stage.terminal ? now : null;
    Object.assign(set, firstResponse(lead, actorUserId, now));
    events.push({ tenantId: lead.tenantId, leadId: id, type: "status_changed", actorUserId, payload: { from: lead.status, to: patch.status } });
  }
  if (patch.assigneeEmail !== undefined) {
    let assigneeId: string | null = null;
    if (patch.assigneeEmail !== null) {
      const [member] = await tx
        .select({ id: users.id })
        .from(users)
        .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.tenantId, lead.tenantId)))
        .where(eq(users.email, patch.assigneeEmail))
        .limit(1);
      if (!member) throw new AppError("validation_error", `${patch.assigneeEmail} is not a member of this tenant`, { issues: [{ path: "assigneeEmail", message: "not a member" }] });
      assigneeId = member.id;
    }
    if (assigneeId !== lead.assigneeId) {
      set.assigneeId = assigneeId;
      set.assignedAt = assigneeId ? now : null;
      events.push({ tenantId: lead.tenantId, leadId: id, type: "assigned", actorUserId, payload: { fromUserId: lead.assigneeId, toUserId: assigneeId } });
    }
  }
  if (patch.category !== undefined) {
    const [tenant] = await tx.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, lead.tenantId)).limit(1);
    const categories = tenant?.settings.aiCategories ?? DEFAULT_TENANT_SETTINGS.aiCategories;
    if (!categories.includes(patch.category)) {
      throw new AppError("validation_error", `Unknown category "${patch.category}"`, { issues: [{ path: "category", message: `must be one of: ${categories.join(", ")}` }] });
    }
    // Kept even when it equals the model's guess: a person confirmed it, so the model must not change it.
    set.aiCategory = patch.category;
    set.aiCategoryCorrectedAt = now;
    set.aiCategoryCorrectedBy = actorUserId;
    if (patch.category !== lead.aiCategory) {
      events.push({ tenantId: lead.tenantId, leadId: id, type: "category_changed", actorUserId, payload: { from: lead.aiCategory, to: patch.category } });
    }
  }
  if (events.length || set.aiCategoryCorrectedAt) {
    await tx.update(leads).set({ ...set, updatedAt: now }).where(eq(leads.id, id));
    if (events.length) await tx.insert(leadEvents).values(events);
  }
  return getLeadDto(tx, viewer, id);
}

/** A note on the lead's timeline; by a person it also stops the first-response timer. */
export async function addNote(tx: Tx, viewer: Viewer, leadId: string, text: string, authorId: string | null): Promise<TNote> {
  const { lead } = await getLeadRow(tx, viewer, leadId);
  const now = new Date();
  const [note] = await tx.insert(notes).values({ tenantId: lead.tenantId, leadId, authorId, body: text, createdAt: now, updatedAt: now }).returning();
  if (!note) throw new Error("note insert returned nothing");
  await tx.insert(leadEvents).values({ tenantId: lead.tenantId, leadId, type: "note", actorUserId: authorId, payload: { noteId: note.id, excerpt: text.slice(0, 200) }, createdAt: now });
  await tx.update(leads).set({ ...firstResponse(lead, authorId, now), updatedAt: now }).where(eq(leads.id, leadId));
  let author: TNote["author"] = null;
  if (authorId) {
    const [u] = await tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, authorId)).limit(1);
    author = u ? { email: u.email, name: u.name ?? "" } : null;
  }
  return { id: note.id, createdAt: note.createdAt.toISOString(), text: note.body, author };
}

export type LeadDetail = TLeadDetail;

export async function getLead(tx: Tx, viewer: Viewer, id: string): Promise<LeadDetail> {
  const row = await getLeadRow(tx, viewer, id);
  const [events, noteRows] = await Promise.all([
    tx
      .select({ e: leadEvents, name: users.name, email: users.email })
      .from(leadEvents)
      .leftJoin(users, eq(users.id, leadEvents.actorUserId))
      // "received" was the queue's plumbing (written by old versions), never news for a salesperson.
      .where(and(eq(leadEvents.leadId, id), ne(leadEvents.type, "received")))
      .orderBy(asc(leadEvents.createdAt))
      .limit(500),
    tx
      .select({ n: notes, name: users.name, email: users.email })
      .from(notes)
      .leftJoin(users, eq(users.id, notes.authorId))
      .where(eq(notes.leadId, id))
      .orderBy(desc(notes.createdAt))
      .limit(200),
  ]);
  return {
    ...toLeadDto(row.lead, { email: row.assigneeEmail, name: row.assigneeName }),
    firstResponseSeconds: row.lead.firstResponseSeconds,
    timeline: events.map(({ e, name, email }) => ({
      id: e.id,
      type: e.type,
      payload: e.payload as Record<string, unknown>,
      createdAt: e.createdAt.toISOString(),
      actor: email ? { name: name ?? "", email } : null,
    })),
    notes: noteRows.map(({ n, name, email }) => ({
      id: n.id,
      body: n.body,
      createdAt: n.createdAt.toISOString(),
      author: email ? { name: name ?? "", email } : null,
    })),
  };
}

export type BoardColumn = { key: string; count: number; items: TLead[] };

/** The board: every stage's count and its newest cards (one query, a window function). */
export async function findBoard(tx: Tx, viewer: Viewer, perColumn = 20): Promise<BoardColumn[]> {
  const visible = visibleTo(viewer);
  const ranked = tx
    .select({
      id: leads.id,
      rn: sql<number>`row_number() over (partition by ${leads.status} order by ${leads.createdAt} desc)`.as("rn"),
      total: sql<number>`count(*) over (partition by ${leads.status})`.as("total"),
    })
    .from(leads)
    .where(and(eq(leads.spam, false), visible))
    .as("ranked");
  const rows = await tx
    .select({ lead: leads, total: ranked.total, assigneeEmail: users.email, assigneeName: users.name })
    .from(ranked)
    .innerJoin(leads, eq(leads.id, ranked.id))
    .leftJoin(users, eq(users.id, leads.assigneeId))
    .where(sql`${ranked.rn} <= ${perColumn}`)
    .orderBy(desc(leads.createdAt));
  const columns = new Map<string, BoardColumn>();
  for (const r of rows) {
    const col = columns.get(r.lead.status) ?? { key: r.lead.status, count: Number(r.total), items: [] };
    col.items.push(toLeadDto(r.lead, { email: r.assigneeEmail, name: r.assigneeName }));
    columns.set(r.lead.status, col);
  }
  return [...columns.values()];
}
