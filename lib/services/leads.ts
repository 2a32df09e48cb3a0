import "server-only";
import { and, asc, desc, eq, gt, gte, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { auditLog, DEFAULT_TENANT_SETTINGS, leadEvents, leads, memberships, notes, pipelineStages, tenants, users } from "@/db/schema";
import type { Tx } from "@/db/tenant";
import { AppError } from "@/lib/errors";
import { enqueue } from "@/lib/jobs/enqueue";
import { aiTrainRef } from "@/lib/jobs/refs";
import { queueBitrix24 } from "@/lib/services/bitrix24-queue";
import type { LeadSort, LeadView, TLead, TLeadContactEdit, TLeadDetail, TLeadFilters, TLeadListInput, TLeadPatch, TNextStepSet, TNote } from "@/lib/validators/leads";
import { UUID_RE, type Role } from "@/db/schema";

/** A date Postgres and people agree on (a forged cursor or query may carry year 0 or 275760). */
export function isPlausibleDate(d: Date): boolean {
  const t = d.getTime();
  return Number.isFinite(t) && t >= Date.UTC(1970, 0, 1) && t < Date.UTC(10000, 0, 1);
}

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


/** The first 200 characters of a note for its timeline line, cut between code points (never half an emoji). */
function excerptOf(text: string): string {
  return Array.from(text).slice(0, 200).join("");
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Phone digits as a salesperson types them, as the national number's beginning: "8 997 324-52-98",
 * "89973245298" and "+7 (997) 324" all mean 997 324…; "997 324" is taken as typed.
 */
export function phoneSearchDigits(q: string): string | null {
  const text = q.trim();
  if (!/^[+\d\s().\-]+$/.test(text)) return null;
  let digits = text.replace(/\D/g, "");
  if (digits.length < 3) return null;
  if (text.startsWith("+7") || (digits.length === 11 && /^[78]/.test(digits)) || /^8[\s(\-]/.test(text)) digits = digits.slice(1);
  return digits.length >= 3 ? digits : null;
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
  // A prefix range (leakproof comparisons, so the index serves it under RLS); ':' sorts right after '9'.
  if (phone) return sql`${leads.phoneNational} ~>=~ ${phone} and ${leads.phoneNational} ~<~ ${`${phone}:`}`;
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

/** The tenant's time zone, for day boundaries (evaluated once per statement). */
const tenantZone = sql`(select ${tenants.timezone} from ${tenants} where ${tenants.id} = nullif(current_setting('app.tenant_id', true), '')::uuid)`;

/** The conditions of a filtered view: the viewer's visibility first, then each filter. */
function filterConditions(viewer: Viewer, input: TLeadFilters): (SQL | undefined)[] {
  const conds: (SQL | undefined)[] = [visibleTo(viewer)];
  if (input.status) conds.push(eq(leads.status, input.status));
  if (input.channel) conds.push(eq(leads.channel, input.channel));
  if (input.assignee === "me") conds.push(viewer.userId ? eq(leads.assigneeId, viewer.userId) : sql`false`);
  else if (input.assignee === "none") conds.push(isNull(leads.assigneeId));
  else if (input.assignee) conds.push(eq(leads.assigneeId, input.assignee));
  if (input.site) conds.push(eq(leads.siteId, input.site));
  if (input.source === "none") conds.push(isNull(leads.utmSource));
  else if (input.source) conds.push(eq(leads.utmSource, input.source));
  if (input.category) conds.push(eq(leads.aiCategory, input.category));
  // Waiting past the first-response deadline (the partial index holds exactly the waiting leads).
  if (input.due === "response") conds.push(sql`${leads.firstResponseAt} is null and not ${leads.spam} and ${leads.firstResponseDueAt} < now()`);
  // A next step due by the end of today, in the tenant's time zone (overdue ones included).
  if (input.due === "step") conds.push(sql`${leads.nextStepDueAt} < (((now() at time zone ${tenantZone})::date + 1)::timestamp at time zone ${tenantZone})`);
  if (input.spam === "hide") conds.push(eq(leads.spam, false));
  else if (input.spam === "only") conds.push(eq(leads.spam, true));
  if (input.from) conds.push(sql`${leads.createdAt} >= (${input.from}::date::timestamp at time zone ${tenantZone})`);
  if (input.to) conds.push(sql`${leads.createdAt} < ((${input.to}::date + 1)::timestamp at time zone ${tenantZone})`);
  if (input.q) conds.push(searchCondition(input.q));
  if (input.updatedSince) conds.push(gte(leads.updatedAt, input.updatedSince));
  // Postgres keeps microseconds, the ISO string milliseconds: "after" starts at the next millisecond,
  // or the newest lead itself would count as new (index-friendly, unlike truncating the column).
  if (input.createdAfter) conds.push(gte(leads.createdAt, new Date(new Date(input.createdAfter).getTime() + 1)));
  return conds;
}

/**
 * One key of a list order: an expression, its direction, and how a cursor carries its value.
 * Nullable keys sort their nulls last in either direction.
 */
type SortKey = { expr: SQL; dir: "asc" | "desc"; kind: "time" | "int"; nullable?: boolean };

const byCreated: SortKey = { expr: sql`${leads.createdAt}`, dir: "desc", kind: "time" };

/** Each list order as keys; the lead id breaks every tie (so a cursor is one exact place). */
function sortKeys(sort: LeadSort, stageKeys: string[]): SortKey[] {
  switch (sort) {
    case "updated":
      return [{ expr: sql`${leads.updatedAt}`, dir: "desc", kind: "time" }];
    case "status":
      return [
        {
          expr: sql`coalesce(array_position(${`{${stageKeys.join(",")}}`}::text[], ${leads.status}), 0)`,
          dir: "asc",
          kind: "int",
        },
        byCreated,
      ];
    case "score":
      return [{ expr: sql`${leads.aiScore}`, dir: "desc", kind: "int", nullable: true }, byCreated];
    case "next_step":
      return [{ expr: sql`${leads.nextStepDueAt}`, dir: "asc", kind: "time", nullable: true }, byCreated];
    default:
      return [byCreated];
  }
}

/** A cursor's value of a key: an int, a time to the microsecond (as Postgres keeps it), or null. */
type CursorValue = string | number | null;

/**
 * The row's key values as one column: times as UTC text to the microsecond, so a cursor names the
 * exact place (a JavaScript Date keeps milliseconds, and leads arriving in the same millisecond
 * would fall between pages).
 */
function placeOf(keys: SortKey[]): SQL<CursorValue[]> {
  const parts = keys.map((k) => (k.kind === "time" ? sql`to_char(${k.expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : k.expr));
  return sql<CursorValue[]>`json_build_array(${sql.join(parts, sql`, `)})`;
}

function encodeCursor(sort: LeadSort, values: CursorValue[], id: string): string {
  return Buffer.from(JSON.stringify({ s: sort, v: values, id })).toString("base64url");
}

const badCursor = () => new AppError("validation_error", "Invalid cursor", { issues: [{ path: "cursor", message: "invalid" }] });
const PLACE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** A cursor back to values, each checked against its key (a forged one is a 400, never a 500). */
function decodeCursor(cursor: string, sort: LeadSort, keys: SortKey[]): { values: CursorValue[]; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString());
  } catch {
    throw badCursor();
  }
  const c = parsed as { s?: unknown; v?: unknown; id?: unknown };
  if (!c || typeof c !== "object" || c.s !== sort || !Array.isArray(c.v) || c.v.length !== keys.length || typeof c.id !== "string" || !UUID_RE.test(c.id)) throw badCursor();
  const values = keys.map((k, i) => {
    const v = (c.v as unknown[])[i];
    if (v === null && k.nullable) return null;
    // An int key is a Postgres int (a rank or a score); a time must be a real instant, written as Postgres writes it.
    if (k.kind === "int" && Number.isSafeInteger(v) && Math.abs(v as number) <= 2_147_483_647) return v as number;
    if (k.kind === "time" && typeof v === "string" && PLACE_TIME.test(v) && isPlausibleDate(new Date(v)) && new Date(v).toISOString().slice(0, 19) === v.slice(0, 19)) return v;
    throw badCursor();
  });
  return { values, id: c.id };
}

/**
 * Rows strictly after (or before) a place in the order `keys…, id desc`: a keyset condition,
 * index-friendly for one key. Walk the keys: equal on the ones before, past the place on this one;
 * the id decides last. Nulls sort last, so past a null come only more nulls, and before a null
 * come all the non-null values.
 */
function pastPlace(keys: SortKey[], values: CursorValue[], id: string, side: "after" | "before"): SQL {
  const alternatives: SQL[] = [];
  const equal: SQL[] = [];
  keys.forEach((k, i) => {
    const raw = values[i] ?? null;
    // Typed parameters (the driver sends text): a time as timestamptz, a rank or score as int.
    const v = raw === null ? null : k.kind === "time" ? sql`${raw}::timestamptz` : sql`${raw}::int`;
    const forward = (k.dir === "desc") === (side === "after");
    const cmp = forward ? sql`<` : sql`>`;
    let past: SQL | null;
    if (v === null) past = side === "after" ? null : sql`${k.expr} is not null`;
    else past = side === "after" && k.nullable ? sql`(${k.expr} ${cmp} ${v} or ${k.expr} is null)` : sql`${k.expr} ${cmp} ${v}`;
    if (past) alternatives.push(equal.length ? sql`(${sql.join([...equal, past], sql` and `)})` : past);
    equal.push(v === null ? sql`${k.expr} is null` : sql`${k.expr} = ${v}`);
  });
  alternatives.push(sql`(${sql.join([...equal, side === "after" ? lt(leads.id, id) : gt(leads.id, id)], sql` and `)})`);
  return sql`(${sql.join(alternatives, sql` or `)})`;
}

function orderBy(keys: SortKey[], reverse = false): SQL[] {
  return [
    ...keys.map((k) => {
      const desc_ = (k.dir === "desc") !== reverse;
      return sql`${k.expr} ${desc_ ? sql`desc` : sql`asc`}${k.nullable ? (reverse ? sql` nulls first` : sql` nulls last`) : sql``}`;
    }),
    reverse ? asc(leads.id) : desc(leads.id),
  ];
}

async function stageKeysFor(tx: Tx, sort: LeadSort): Promise<string[]> {
  if (sort !== "status") return [];
  return (await tx.select({ key: pipelineStages.key }).from(pipelineStages).orderBy(pipelineStages.position)).map((r) => r.key);
}

export type LeadListQuery = Omit<TLeadListInput, "sort"> & { sort?: LeadSort };

export async function findLeads(tx: Tx, viewer: Viewer, input: LeadListQuery): Promise<{ items: TLead[]; nextCursor: string | null }> {
  const sort = input.sort ?? "created";
  const keys = sortKeys(sort, await stageKeysFor(tx, sort));
  const conds = filterConditions(viewer, input);
  if (input.cursor) {
    const c = decodeCursor(input.cursor, sort, keys);
    conds.push(pastPlace(keys, c.values, c.id, "after"));
  }
  const rows = await tx
    .select({ lead: leads, assigneeEmail: users.email, assigneeName: users.name, place: placeOf(keys) })
    .from(leads)
    .leftJoin(users, eq(users.id, leads.assigneeId))
    .where(and(...conds))
    .orderBy(...orderBy(keys))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toLeadDto(r.lead, { email: r.assigneeEmail, name: r.assigneeName })),
    nextCursor: rows.length > input.limit && last ? encodeCursor(sort, last.place, last.lead.id) : null,
  };
}

/**
 * The leads just before and after one in a view of the list (the lead page's previous / next):
 * the same filters and order, one row each way from the lead's own place.
 */
export async function findNeighbours(tx: Tx, viewer: Viewer, view: LeadView, id: string): Promise<{ prev: string | null; next: string | null }> {
  const { lead } = await getLeadRow(tx, viewer, id);
  const sort = view.sort ?? "created";
  const keys = sortKeys(sort, await stageKeysFor(tx, sort));
  const [{ place } = { place: [] }] = await tx.select({ place: placeOf(keys) }).from(leads).where(eq(leads.id, lead.id));
  const values = place;
  const side = async (which: "after" | "before") => {
    const [row] = await tx
      .select({ id: leads.id })
      .from(leads)
      .where(and(...filterConditions(viewer, view), pastPlace(keys, values, lead.id, which)))
      .orderBy(...orderBy(keys, which === "before"))
      .limit(1);
    return row?.id ?? null;
  };
  return { prev: await side("before"), next: await side("after") };
}

/**
 * One change to many leads at once (the list's bulk actions): each through `changeLead`, so every
 * rule, timeline event and audit row is the same as one by one; all or nothing.
 */
export async function bulkChangeLeads(tx: Tx, viewer: Viewer, ids: string[], change: LeadChange, actorUserId: string): Promise<{ changed: number }> {
  for (const id of new Set(ids)) await changeLead(tx, viewer, id, change, actorUserId);
  return { changed: new Set(ids).size };
}

/** How many leads a filtered view holds (what the viewer may see). */
export async function countLeads(tx: Tx, viewer: Viewer, filters: TLeadFilters = {}): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(leads).where(and(...filterConditions(viewer, filters)));
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

/** What the CRM, REST and jobs may change on a lead in one go. */
export type LeadChange = {
  status?: string;
  reason?: string | null;
  assigneeId?: string | null;
  category?: string;
  spam?: boolean;
  /** Where the change came from: a change made in Bitrix24 is not pushed back there. */
  origin?: "bitrix24";
};

async function memberIdByEmail(tx: Tx, tenantId: string, email: string): Promise<string> {
  const [member] = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.tenantId, tenantId), isNull(memberships.deactivatedAt)))
    .where(eq(users.email, email))
    .limit(1);
  if (!member) throw new AppError("validation_error", `${email} is not a member of this tenant`, { issues: [{ path: "assigneeEmail", message: "not a member" }] });
  return member.id;
}

/**
 * Change status, assignee, category and/or spam flag, with their timeline events and audit rows —
 * the one place these rules live, for tRPC, server actions and REST alike:
 * - a terminal stage closes the lead; a status change by a person is the first response;
 * - a salesperson may take a lead or give it back, not hand it to someone else;
 * - a category chosen here is a correction the model never overwrites.
 */
export async function changeLead(tx: Tx, viewer: Viewer, id: string, change: LeadChange, actorUserId: string | null): Promise<TLead> {
  const { lead } = await getLeadRow(tx, viewer, id);
  const now = new Date();
  const set: Partial<Omit<typeof leads.$inferInsert, "aiExtracted">> & { aiExtracted?: SQL } = {};
  const events: (typeof leadEvents.$inferInsert)[] = [];
  const audit: (typeof auditLog.$inferInsert)[] = [];
  const base = { tenantId: lead.tenantId, leadId: id, actorUserId, createdAt: now };
  if (change.status !== undefined && change.status !== lead.status) {
    const [stage] = await tx.select().from(pipelineStages).where(eq(pipelineStages.key, change.status)).limit(1);
    if (!stage) throw new AppError("validation_error", `Unknown status "${change.status}"`, { issues: [{ path: "status", message: "not a status of this pipeline" }] });
    set.status = change.status;
    set.closedAt = stage.terminal ? now : null;
    Object.assign(set, firstResponse(lead, actorUserId, now));
    const reason = stage.terminal && change.reason ? change.reason : null;
    events.push({ ...base, type: "status_changed", payload: { from: lead.status, to: change.status, ...(reason ? { reason } : {}), ...(change.origin ? { via: change.origin } : {}) } });
    audit.push({ tenantId: lead.tenantId, actorUserId, action: "lead.status", entity: "lead", entityId: id, data: { from: lead.status, to: change.status } });
    // A lead closed: the tenant's scoring model learns from it (one retraining queued per tenant at a time).
    if (stage.terminal) await enqueue(tx, aiTrainRef, { tenantId: lead.tenantId }, { jobKey: `ai-train:${lead.tenantId}` });
  }
  if (change.assigneeId !== undefined && change.assigneeId !== lead.assigneeId) {
    const to = change.assigneeId;
    if (viewer.role === "sales" && to !== null && to !== viewer.userId) throw new AppError("forbidden", "A salesperson can take a lead, not hand it to someone else");
    if (to !== null) {
      // Only an active member takes new leads (a deactivated one keeps the leads they had).
      const [member] = await tx
        .select({ userId: memberships.userId })
        .from(memberships)
        .where(and(eq(memberships.userId, to), eq(memberships.tenantId, lead.tenantId), isNull(memberships.deactivatedAt)))
        .limit(1);
      if (!member) throw new AppError("validation_error", "Not an active member of this tenant", { issues: [{ path: "assigneeId", message: "not a member" }] });
    }
    set.assigneeId = to;
    set.assignedAt = to ? now : null;
    events.push({ ...base, type: "assigned", payload: { fromUserId: lead.assigneeId, toUserId: to } });
    audit.push({ tenantId: lead.tenantId, actorUserId, action: "lead.assign", entity: "lead", entityId: id, data: { from: lead.assigneeId, to } });
  }
  if (change.category !== undefined) {
    const [tenant] = await tx.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, lead.tenantId)).limit(1);
    const categories = tenant?.settings.aiCategories ?? DEFAULT_TENANT_SETTINGS.aiCategories;
    if (!categories.includes(change.category)) {
      throw new AppError("validation_error", `Unknown category "${change.category}"`, { issues: [{ path: "category", message: `must be one of: ${categories.join(", ")}` }] });
    }
    // Kept even when it equals the model's guess: a person confirmed it, so the model must not change it.
    set.aiCategory = change.category;
    set.aiCategoryCorrectedAt = now;
    set.aiCategoryCorrectedBy = actorUserId;
    // No longer the model's guess: the "unsure" badge goes.
    set.aiExtracted = sql`coalesce(${leads.aiExtracted}, '{}'::jsonb) || '{"confidence": 1}'::jsonb`;
    if (change.category !== lead.aiCategory) events.push({ ...base, type: "category_changed", payload: { from: lead.aiCategory, to: change.category } });
  }
  if (change.spam !== undefined && change.spam !== lead.spam) {
    set.spam = change.spam;
    events.push({ ...base, type: "spam_changed", payload: { spam: change.spam } });
  }
  if (events.length || set.aiCategoryCorrectedAt) {
    await tx.update(leads).set({ ...set, updatedAt: now }).where(eq(leads.id, id));
    if (events.length) await tx.insert(leadEvents).values(events);
    if (audit.length) await tx.insert(auditLog).values(audit);
  }
  // Bitrix24: a status change goes there (unless it came from there); a lead that was spam and
  // is not any more is pushed now, as intake would have.
  if (set.status !== undefined && change.origin !== "bitrix24") await queueBitrix24(tx, lead.tenantId, id, "status");
  if (set.spam === false) await queueBitrix24(tx, lead.tenantId, id, "add");
  return getLeadDto(tx, viewer, id);
}

/** `PATCH /api/v1/leads/{id}`: the contract's patch (assignee by e-mail) as a `changeLead`. */
export async function updateLead(tx: Tx, viewer: Viewer, id: string, patch: TLeadPatch, actorUserId: string | null): Promise<TLead> {
  const { lead } = await getLeadRow(tx, viewer, id);
  const assigneeId = patch.assigneeEmail === undefined ? undefined : patch.assigneeEmail === null ? null : await memberIdByEmail(tx, lead.tenantId, patch.assigneeEmail);
  return changeLead(tx, viewer, id, { status: patch.status, assigneeId, category: patch.category }, actorUserId);
}

/** "Связался": the salesperson reached the client; the first time, it stops the first-response timer. */
export async function markContacted(tx: Tx, viewer: Viewer, id: string, actorUserId: string): Promise<TLead> {
  const { lead } = await getLeadRow(tx, viewer, id);
  const now = new Date();
  await tx.update(leads).set({ ...firstResponse(lead, actorUserId, now), updatedAt: now }).where(eq(leads.id, id));
  await tx.insert(leadEvents).values({ tenantId: lead.tenantId, leadId: id, type: "contacted", actorUserId, payload: {}, createdAt: now });
  return getLeadDto(tx, viewer, id);
}

/** Edit the contact fields (validated like intake: e-mail lower-cased, phone to E.164), logged on the timeline. */
export async function updateContact(tx: Tx, viewer: Viewer, id: string, input: Omit<TLeadContactEdit, "id">, actorUserId: string): Promise<TLead> {
  const { lead } = await getLeadRow(tx, viewer, id);
  const next = { name: input.name, email: input.email, phone: input.phone?.display ?? null, company: input.company };
  const fields = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== lead[k]);
  if (fields.length === 0) return getLeadDto(tx, viewer, id);
  const now = new Date();
  await tx
    .update(leads)
    .set({ ...next, emailNorm: input.email, phoneNorm: input.phone?.e164 ?? null, updatedAt: now })
    .where(eq(leads.id, id));
  await tx.insert(leadEvents).values({ tenantId: lead.tenantId, leadId: id, type: "updated", actorUserId, payload: { fields }, createdAt: now });
  return getLeadDto(tx, viewer, id);
}

/** A note on the lead's timeline; by a person it also stops the first-response timer. */
export async function addNote(tx: Tx, viewer: Viewer, leadId: string, text: string, authorId: string | null): Promise<TNote> {
  const { lead } = await getLeadRow(tx, viewer, leadId);
  const now = new Date();
  const [note] = await tx.insert(notes).values({ tenantId: lead.tenantId, leadId, authorId, body: text, createdAt: now, updatedAt: now }).returning();
  if (!note) throw new Error("note insert returned nothing");
  await tx.insert(leadEvents).values({ tenantId: lead.tenantId, leadId, type: "note", actorUserId: authorId, payload: { noteId: note.id, excerpt: excerptOf(text) }, createdAt: now });
  await tx.update(leads).set({ ...firstResponse(lead, authorId, now), updatedAt: now }).where(eq(leads.id, leadId));
  let author: TNote["author"] = null;
  if (authorId) {
    const [u] = await tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, authorId)).limit(1);
    author = u ? { email: u.email, name: u.name ?? "" } : null;
  }
  return { id: note.id, createdAt: note.createdAt.toISOString(), text: note.body, author };
}

async function ownNote(tx: Tx, viewer: Viewer, noteId: string) {
  const [note] = await tx.select().from(notes).where(eq(notes.id, noteId)).limit(1);
  if (!note) throw new AppError("not_found", "Note not found");
  await getLeadRow(tx, viewer, note.leadId); // the lead must be one the viewer may see
  if (!viewer.userId || note.authorId !== viewer.userId) throw new AppError("forbidden", "Only the note's author can change it");
  return note;
}

/** Edit your own note. */
export async function editNote(tx: Tx, viewer: Viewer, noteId: string, text: string): Promise<TNote> {
  const note = await ownNote(tx, viewer, noteId);
  const [row] = await tx.update(notes).set({ body: text, updatedAt: new Date() }).where(eq(notes.id, note.id)).returning();
  await tx
    .update(leadEvents)
    .set({ payload: { noteId: note.id, excerpt: excerptOf(text) } })
    .where(and(eq(leadEvents.leadId, note.leadId), eq(leadEvents.type, "note"), sql`${leadEvents.payload}->>'noteId' = ${note.id}`));
  const [u] = await tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, viewer.userId!)).limit(1);
  return { id: row!.id, createdAt: row!.createdAt.toISOString(), text: row!.body, author: u ? { email: u.email, name: u.name ?? "" } : null };
}

/** Delete your own note (and its line on the timeline). */
export async function deleteNote(tx: Tx, viewer: Viewer, noteId: string): Promise<void> {
  const note = await ownNote(tx, viewer, noteId);
  await tx.delete(leadEvents).where(and(eq(leadEvents.leadId, note.leadId), eq(leadEvents.type, "note"), sql`${leadEvents.payload}->>'noteId' = ${note.id}`));
  await tx.delete(notes).where(eq(notes.id, note.id));
}

export type LeadDetail = TLeadDetail;

function nextStepOf(row: LeadRow): TLeadDetail["nextStep"] {
  return row.nextStepKind && row.nextStepDueAt ? { kind: row.nextStepKind, dueAt: row.nextStepDueAt.toISOString(), text: row.nextStepText } : null;
}

/** Set (or replace) the lead's one next step; the due time is read in the tenant's time zone. */
export async function setNextStep(tx: Tx, viewer: Viewer, input: TNextStepSet, actorUserId: string): Promise<TLeadDetail["nextStep"]> {
  const { lead } = await getLeadRow(tx, viewer, input.id);
  const [due] = await tx.execute<{ at: Date | string }>(sql`select (${input.due}::timestamp at time zone ${tenantZone}) as at`);
  const dueAt = new Date((due as { at: Date | string }).at);
  const text = input.text || null;
  const now = new Date();
  await tx.update(leads).set({ nextStepKind: input.kind, nextStepDueAt: dueAt, nextStepText: text, updatedAt: now }).where(eq(leads.id, lead.id));
  await tx.insert(leadEvents).values({ tenantId: lead.tenantId, leadId: lead.id, type: "next_step_set", actorUserId, payload: { kind: input.kind, dueAt: dueAt.toISOString(), text }, createdAt: now });
  return { kind: input.kind, dueAt: dueAt.toISOString(), text };
}

/** The next step is done: logged on the timeline and cleared (the UI then asks for the next one). */
export async function completeNextStep(tx: Tx, viewer: Viewer, id: string, actorUserId: string): Promise<void> {
  const { lead } = await getLeadRow(tx, viewer, id);
  if (!lead.nextStepKind || !lead.nextStepDueAt) throw new AppError("validation_error", "The lead has no next step", { issues: [{ path: "id", message: "no next step" }] });
  const now = new Date();
  await tx.update(leads).set({ nextStepKind: null, nextStepDueAt: null, nextStepText: null, ...firstResponse(lead, actorUserId, now), updatedAt: now }).where(eq(leads.id, id));
  await tx.insert(leadEvents).values({
    tenantId: lead.tenantId,
    leadId: id,
    type: "next_step_done",
    actorUserId,
    payload: { kind: lead.nextStepKind, dueAt: lead.nextStepDueAt.toISOString(), text: lead.nextStepText },
    createdAt: now,
  });
}

export type TodayItem = { lead: TLead; nextStep: NonNullable<TLeadDetail["nextStep"]>; overdue: boolean };

/**
 * "Сегодня": the viewer's leads whose next step is overdue or due before the end of today in the
 * tenant's time zone, soonest first (the list of a salesperson's day). Managers and owners see
 * their own too; `counts` feeds the navigation badge.
 */
export async function findToday(tx: Tx, viewer: Viewer, limit = 200): Promise<{ items: TodayItem[]; overdue: number; dueToday: number }> {
  if (!viewer.userId) return { items: [], overdue: 0, dueToday: 0 };
  const endOfToday = sql`((now() at time zone ${tenantZone})::date + 1)::timestamp at time zone ${tenantZone}`;
  const rows = await tx
    .select({ lead: leads, assigneeEmail: users.email, assigneeName: users.name, overdue: sql<boolean>`${leads.nextStepDueAt} < now()` })
    .from(leads)
    .leftJoin(users, eq(users.id, leads.assigneeId))
    .where(and(eq(leads.assigneeId, viewer.userId), sql`${leads.nextStepDueAt} is not null`, sql`${leads.nextStepDueAt} < ${endOfToday}`))
    .orderBy(leads.nextStepDueAt)
    .limit(limit);
  const items = rows.map((r) => ({ lead: toLeadDto(r.lead, { email: r.assigneeEmail, name: r.assigneeName }), nextStep: nextStepOf(r.lead)!, overdue: r.overdue }));
  const overdue = items.filter((i) => i.overdue).length;
  return { items, overdue, dueToday: items.length - overdue };
}

/** The navigation badge: how many of the viewer's next steps are overdue or due today (one index range). */
export async function countToday(tx: Tx, viewer: Viewer): Promise<number> {
  if (!viewer.userId) return 0;
  const endOfToday = sql`((now() at time zone ${tenantZone})::date + 1)::timestamp at time zone ${tenantZone}`;
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(leads)
    .where(and(eq(leads.assigneeId, viewer.userId), sql`${leads.nextStepDueAt} is not null`, sql`${leads.nextStepDueAt} < ${endOfToday}`));
  return row?.n ?? 0;
}

export async function getLead(tx: Tx, viewer: Viewer, id: string): Promise<LeadDetail> {
  const row = await getLeadRow(tx, viewer, id);
  const [events, noteRows] = await Promise.all([
    tx
      .select({ e: leadEvents, name: users.name, email: users.email })
      .from(leadEvents)
      .leftJoin(users, eq(users.id, leadEvents.actorUserId))
      // "received" was the queue's plumbing (written by old versions), never news for a salesperson.
      .where(and(eq(leadEvents.leadId, id), ne(leadEvents.type, "received")))
      .orderBy(desc(leadEvents.createdAt))
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
    firstResponseDueAt: row.lead.firstResponseDueAt?.toISOString() ?? null,
    aiDetails: row.lead.aiExtracted ?? null,
    nextStep: nextStepOf(row.lead),
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

export type BoardColumn = { key: string; count: number; items: TLead[]; nextCursor: string | null };

/**
 * The board: every stage's count and its newest cards under the board's filters (spam never
 * shows). One grouped count, and per stage the list's own page query (an index range each, all on
 * the transaction's connection at once); a longer column continues with `findLeads` and `nextCursor`.
 */
export async function findBoard(tx: Tx, viewer: Viewer, filters: Pick<TLeadFilters, "assignee" | "channel"> = {}, perColumn = 20): Promise<BoardColumn[]> {
  const view: TLeadFilters = { ...filters, spam: "hide" };
  const [stages, counts] = await Promise.all([
    tx.select({ key: pipelineStages.key }).from(pipelineStages).orderBy(pipelineStages.position),
    tx.select({ status: leads.status, n: sql<number>`count(*)::int` }).from(leads).where(and(...filterConditions(viewer, view))).groupBy(leads.status),
  ]);
  const countOf = new Map(counts.map((c) => [c.status, c.n]));
  const pages = await Promise.all(stages.map((s) => (countOf.get(s.key) ? findLeads(tx, viewer, { ...view, status: s.key, limit: perColumn }) : null)));
  return stages.flatMap((s, i) => {
    const page = pages[i];
    return page ? [{ key: s.key, count: countOf.get(s.key) ?? 0, items: page.items, nextCursor: page.nextCursor }] : [];
  });
}
