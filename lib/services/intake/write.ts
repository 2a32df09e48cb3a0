import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import type { Channel, LeadEventPayload, StoredIntakeResponse } from "@/db/schema";
import { jsonbObject } from "@/db/sql";
import { bindStatement, compileStatement, withTenantBatch, type CompiledStatement } from "@/db/tenant";
import type { TIntake } from "@/lib/validators/intake";
import { enqueueSql } from "@/lib/jobs/enqueue";
import { leadReceived } from "@/lib/jobs/lead-received";
import { bitrix24SyncRef } from "@/lib/jobs/refs";
import { kickRelay } from "@/lib/jobs/relay";

// The intake hot path: one submission → one statement, in one round trip. Kept apart from the
// rest of the lead services because it is tuned for speed (see docs/benchmarks.md); its inputs
// (`IntakeValues`), timeline payloads and job payload are still typed like everything else.

export type { StoredIntakeResponse };

export type IntakeTarget = { tenantId: string; siteId: string | null; channel: Channel; dedupeWindowDays: number };

export type IntakeOutcome = { id: string; duplicate: boolean };

/** How to answer: the status for a new lead and for a joined one, and a redirect for form posts. */
export type AnswerShape = { created: number; joined: number; location?: string };

export type IntakeResult =
  | { kind: "recorded"; outcome: IntakeOutcome; response: StoredIntakeResponse }
  | { kind: "replay"; response: StoredIntakeResponse };

/** A transaction-scoped advisory lock key for one dedupe identity (e-mail or phone) of a tenant. */
export function lockKey(tenantId: string, identity: string): string {
  return createHash("sha256").update(`${tenantId}|${identity}`).digest().readBigInt64BE(0).toString();
}

const LINK = /(https?:\/\/|www\.)/gi;

/** Spam: the honeypot was filled in, or the message is a wall of links. Spam is stored, never dropped. */
export function looksLikeSpam(input: TIntake): boolean {
  if (input.honeypot) return true;
  return (input.message?.match(LINK)?.length ?? 0) >= 4;
}

export function responseFor(outcome: IntakeOutcome, shape: AnswerShape): StoredIntakeResponse {
  const body = { id: outcome.id, duplicate: outcome.duplicate };
  const status = outcome.duplicate ? shape.joined : shape.created;
  return shape.location ? { status, body, location: shape.location } : { status, body };
}

type Shape = { byEmail: boolean; byPhone: boolean; keyed: boolean };

/** Every value the write statement binds, by placeholder name. */
type IntakeValues = {
  tenantId: string;
  siteId: string | null;
  channel: Channel;
  newId: string;
  windowDays: number;
  idempotencyKey: string | null;
  created: number;
  joined: number;
  location: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  phoneNorm: string | null;
  company: string | null;
  message: string | null;
  form: string | null;
  pageUrl: string | null;
  referrer: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
  consent: boolean;
  /** JSON text of the custom fields. */
  custom: string;
  spam: boolean;
};

const p = (name: keyof IntakeValues) => sql.placeholder(name);

/** Columns of the statement's `v` row, by the SQL expression that reads them. */
const v = (column: string) => sql`${sql.identifier("v")}.${sql.identifier(column)}`;

const submissionPayload = jsonbObject<LeadEventPayload["submission"]>({
  channel: v("channel"),
  siteId: v("site_id"),
  message: v("message"),
  form: v("form"),
  fields: {
    name: v("name"),
    email: v("email"),
    phone: v("phone"),
    company: v("company"),
    pageUrl: v("page_url"),
    referrer: v("referrer"),
    customFields: v("custom"),
    utm: { source: v("utm_source"), medium: v("utm_medium"), campaign: v("utm_campaign"), term: v("utm_term"), content: v("utm_content") },
  },
});

const createdPayload = jsonbObject<LeadEventPayload["created"]>({ channel: v("channel"), siteId: v("site_id"), source: v("utm_source") });

const receivedJob = enqueueSql(leadReceived, { tenantId: sql`${v("tenant_id")}::text`, leadId: sql`ins.id::text` });

/**
 * Bitrix24 (../bitrix24-queue.ts has the same rules for other writers): when the
 * tenant's connection pushes leads, a new non-spam lead queues an `add`, and a repeat submission to
 * a lead Bitrix24 has (or is about to get) queues a `comment` carrying the submission; either way
 * the tenant's drain job is queued with them, in this statement.
 */
const bitrix24Ops = sql`b24 as (
      insert into bitrix24_ops (tenant_id, lead_id, kind, payload)
      select v.tenant_id, t.id, case when exists (select 1 from upd) then 'comment' else 'add' end,
        case when exists (select 1 from upd) then ${submissionPayload} else '{}'::jsonb end
      from v, target t, bitrix24_connections c
      where c.tenant_id = v.tenant_id and c.sync_leads and not v.spam
        and (not exists (select 1 from upd)
          or exists (select 1 from bitrix24_links k where k.tenant_id = v.tenant_id and k.lead_id = t.id)
          or exists (select 1 from bitrix24_ops o where o.tenant_id = v.tenant_id and o.lead_id = t.id and o.kind = 'add' and o.state = 'pending'))
      returning tenant_id
    ),
    b24job as (
      select leadflow_enqueue(${bitrix24SyncRef.id}::text, jsonb_build_object('tenantId', v.tenant_id::text), 'b24sync:' || v.tenant_id::text)
      from v where exists (select 1 from b24)
    )`;

/**
 * The write statement for one shape of submission (dedupe by e-mail and/or phone, with or without
 * an Idempotency-Key). Built once per shape with placeholders; each request only binds values.
 *
 * In one statement: claim the Idempotency-Key (a concurrent repeat waits on the unique index, then
 * gets the first answer back), find a lead to join within the dedupe window, then either add the
 * submission to it or insert the new lead, write the timeline event and put the follow-up job in
 * the outbox.
 */
function buildWriteStatement({ byEmail, byPhone, keyed }: Shape): SQL {
  // Every value once (a smaller message to send), then referred to by name.
  const values = sql`v as (select
      ${p("tenantId")}::uuid as tenant_id, ${p("siteId")}::uuid as site_id, ${p("channel")}::text as channel,
      ${p("newId")}::uuid as new_id, ${p("windowDays")}::int as window_days,
      ${p("name")}::text as name, ${p("email")}::text as email, ${p("phone")}::text as phone, ${p("phoneNorm")}::text as phone_norm,
      ${p("company")}::text as company, ${p("message")}::text as message, ${p("form")}::text as form,
      ${p("pageUrl")}::text as page_url, ${p("referrer")}::text as referrer,
      ${p("utmSource")}::text as utm_source, ${p("utmMedium")}::text as utm_medium, ${p("utmCampaign")}::text as utm_campaign,
      ${p("utmTerm")}::text as utm_term, ${p("utmContent")}::text as utm_content,
      ${p("consent")}::boolean as consent, ${p("custom")}::jsonb as custom, ${p("spam")}::boolean as spam)`;
  const existing =
    byEmail || byPhone
      ? sql`select l.id from leads l, v
          where l.tenant_id = v.tenant_id and not l.spam
            and l.last_submission_at > now() - make_interval(days => v.window_days)
            and (${byEmail ? sql`l.email_norm = v.email` : sql`false`} or ${byPhone ? sql`l.phone_norm = v.phone_norm` : sql`false`})
          order by l.last_submission_at desc limit 1`
      : sql`select null::uuid as id where false`;
  const dup = sql`exists (select 1 from existing)`;
  const status = sql`case when ${dup} then ${p("joined")}::int else ${p("created")}::int end`;
  // The key's row comes back either way. Ours (inserted, or an expired one taken over) carries this
  // request's id: go on. Anyone else's: a repeat, answered with its stored response, nothing written.
  // Updating the conflicting row (even to the same values) returns its latest committed version,
  // which a plain read in this statement's snapshot would not see.
  const expired = sql`intake_requests.created_at < now() - interval '24 hours'`;
  const claim = keyed
    ? sql`claim as (
        insert into intake_requests (tenant_id, site_id, key, request_id, lead_id, status_code, response)
        select v.tenant_id, v.site_id, ${p("idempotencyKey")}, v.new_id, a.id, ${status},
          jsonb_strip_nulls(jsonb_build_object('status', ${status},
            'body', jsonb_build_object('id', a.id, 'duplicate', ${dup}), 'location', ${p("location")}::text))
        from v, (select coalesce((select id from existing), (select new_id from v)) as id) a
        on conflict (site_id, key) do update set
          request_id = case when ${expired} then excluded.request_id else intake_requests.request_id end,
          lead_id = case when ${expired} then excluded.lead_id else intake_requests.lead_id end,
          status_code = case when ${expired} then excluded.status_code else intake_requests.status_code end,
          response = case when ${expired} then excluded.response else intake_requests.response end,
          created_at = case when ${expired} then now() else intake_requests.created_at end
        returning request_id = (select new_id from v) as fresh, response
      ),
      go as (select coalesce((select fresh from claim), false) as ok),
      prior as (select response from claim where not fresh),`
    : sql`go as (select true as ok),`;

  return sql`
    with ${values},
    existing as (${existing}),
    ${claim}
    upd as (
      update leads l set
        submissions = l.submissions + 1, last_submission_at = now(), updated_at = now(),
        name = coalesce(l.name, v.name), company = coalesce(l.company, v.company),
        email = coalesce(l.email, v.email), email_norm = coalesce(l.email_norm, v.email),
        phone = coalesce(l.phone, v.phone), phone_norm = coalesce(l.phone_norm, v.phone_norm),
        consent = l.consent or v.consent,
        custom_fields = v.custom || l.custom_fields
      from v
      where l.id = (select id from existing) and (select ok from go)
      returning l.id
    ),
    ins as (
      insert into leads (id, tenant_id, site_id, channel, name, email, email_norm, phone, phone_norm, company, message, form,
        page_url, referrer, utm_source, utm_medium, utm_campaign, utm_term, utm_content, consent, custom_fields, spam)
      select new_id, tenant_id, site_id, channel, name, email, email, phone, phone_norm, company, message, form,
        page_url, referrer, utm_source, utm_medium, utm_campaign, utm_term, utm_content, consent, custom, spam
      from v
      where not exists (select 1 from existing) and (select ok from go)
      returning id
    ),
    target as (select id from upd union all select id from ins),
    ev as (
      insert into lead_events (tenant_id, lead_id, type, payload)
      select v.tenant_id, upd.id, 'submission', ${submissionPayload}
      from upd, v
      union all
      select v.tenant_id, ins.id, 'created', ${createdPayload}
      from ins, v
      returning 1
    ),
    job as (select ${receivedJob} from ins, v),
    ${bitrix24Ops}
    select (select id from target) as id, exists (select 1 from upd) as duplicate, (select count(*) from ev)::int as events,
      (select count(*) from job)::int + (select count(*) from b24job)::int as jobs, ${keyed ? sql`(select response from prior)` : sql`null::jsonb`} as prior`;
}

const compiled = new Map<string, CompiledStatement>();
function writeStatement(shape: Shape): CompiledStatement {
  const id = `${+shape.byEmail}${+shape.byPhone}${+shape.keyed}`;
  let c = compiled.get(id);
  if (!c) compiled.set(id, (c = compileStatement(buildWriteStatement(shape))));
  return c;
}

/**
 * Record one submission in one tenant transaction — all or nothing — in one round trip:
 * advisory locks on the submission's e-mail and phone (concurrent twins queue up here, and the
 * write statement after them takes its snapshot once the locks are held, so it sees the first
 * twin's lead), then the write statement above.
 */
export async function recordIntake(
  target: IntakeTarget,
  input: TIntake,
  opts: { idempotencyKey?: string; answer: AnswerShape },
): Promise<IntakeResult> {
  const { tenantId, siteId, channel } = target;
  const spam = looksLikeSpam(input);
  const emailNorm = spam ? null : input.email;
  const phoneNorm = spam ? null : input.phoneE164;
  const keyed = opts.idempotencyKey !== undefined && siteId !== null;

  const statements: (SQL | CompiledStatement)[] = [];
  const keys = [emailNorm && `e:${emailNorm}`, phoneNorm && `p:${phoneNorm}`].filter((k): k is string => Boolean(k));
  if (keys.length) {
    const locks = keys.map((k) => lockKey(tenantId, k)).sort();
    statements.push(sql`select ${sql.join(locks.map((k) => sql`pg_advisory_xact_lock(${k}::bigint)`), sql`, `)}`);
  }

  const u = input.utm;
  const values: IntakeValues = {
      tenantId,
      siteId,
      channel,
      newId: randomUUID(),
      windowDays: target.dedupeWindowDays,
      idempotencyKey: opts.idempotencyKey ?? null,
      created: opts.answer.created,
      joined: opts.answer.joined,
      location: opts.answer.location ?? null,
      name: input.name,
      email: input.email,
      phone: input.phone,
      phoneNorm: input.phoneE164,
      company: input.company,
      message: input.message,
      form: input.form,
      pageUrl: input.pageUrl,
      referrer: input.referrer,
      utmSource: u.source,
      utmMedium: u.medium,
      utmCampaign: u.campaign,
      utmTerm: u.term,
      utmContent: u.content,
      consent: input.consent,
      custom: JSON.stringify(input.customFields),
      spam,
  };
  statements.push(bindStatement(writeStatement({ byEmail: Boolean(emailNorm), byPhone: Boolean(phoneNorm), keyed }), values));

  const results = await withTenantBatch(tenantId, statements);
  const row = results[results.length - 1]![0] as { id: string | null; duplicate: boolean; events: number; jobs: number; prior: StoredIntakeResponse | null };
  if (row.prior) return { kind: "replay", response: row.prior };
  if (!row.id || row.events !== 1) throw new Error("intake statement wrote no lead or event");
  if (row.jobs > 0) kickRelay();
  const outcome = { id: row.id, duplicate: row.duplicate };
  return { kind: "recorded", outcome, response: responseFor(outcome, opts.answer) };
}
