import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import type { Channel, StoredIntakeResponse } from "@/db/schema";
import { withTenantPipelined } from "@/db/tenant";
import type { TIntake } from "@/lib/validators/intake";
import { kickRelay } from "@/lib/jobs/relay";

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

/**
 * Record one submission in one tenant transaction — all or nothing — in two round trips:
 *
 * 1. `BEGIN`, the tenant settings, advisory locks on the submission's e-mail and phone (so
 *    concurrent twins queue up and make one lead), and the Idempotency-Key claim (a concurrent
 *    repeat waits on the unique index until the first commits, then replays its answer).
 * 2. One statement that — with a snapshot taken after the locks — finds a lead to join within the
 *    dedupe window, then either adds the submission to it or inserts the new lead, writes the
 *    timeline event, enqueues the follow-up job and stores the answer for the key; then `COMMIT`.
 */
export async function recordIntake(
  target: IntakeTarget,
  input: TIntake,
  opts: { idempotencyKey?: string; answer: AnswerShape },
): Promise<IntakeResult> {
  const { tenantId, siteId, channel } = target;
  const spam = looksLikeSpam(input);
  const emailNorm = input.email;
  const phoneNorm = input.phoneE164;
  const dedupe = !spam && Boolean(emailNorm || phoneNorm);
  const keyed = opts.idempotencyKey !== undefined && siteId !== null;

  const first: SQL[] = [];
  if (dedupe) {
    const keys = [emailNorm && `e:${emailNorm}`, phoneNorm && `p:${phoneNorm}`]
      .filter((k): k is string => Boolean(k))
      .map((k) => lockKey(tenantId, k))
      .sort();
    first.push(sql`select ${sql.join(keys.map((k) => sql`pg_advisory_xact_lock(${k}::bigint)`), sql`, `)}`);
  }
  if (keyed) {
    first.push(sql`
      insert into intake_requests (tenant_id, site_id, key) values (${tenantId}, ${siteId}, ${opts.idempotencyKey})
      on conflict (site_id, key) do update
        set created_at = now(), response = null, status_code = null, lead_id = null
        where intake_requests.created_at < now() - interval '24 hours'
      returning id`);
  }

  const newId = randomUUID();
  const u = input.utm;
  const created = JSON.stringify({ channel, siteId, source: u.source });
  const submission = JSON.stringify({
    channel,
    siteId,
    message: input.message,
    form: input.form,
    fields: { name: input.name, email: input.email, phone: input.phone, company: input.company, pageUrl: input.pageUrl, referrer: input.referrer, utm: u, customFields: input.customFields },
  });
  const custom = JSON.stringify(input.customFields);
  const existing = dedupe
    ? sql`select id from leads
        where tenant_id = ${tenantId}::uuid and not spam
          and last_submission_at > now() - make_interval(days => ${target.dedupeWindowDays})
          and (${emailNorm ? sql`email_norm = ${emailNorm}` : sql`false`} or ${phoneNorm ? sql`phone_norm = ${phoneNorm}` : sql`false`})
        order by last_submission_at desc limit 1`
    : sql`select null::uuid as id where false`;

  let claimId: string | null = null;
  let replayFrom: string | null = null;
  const { second } = await withTenantPipelined(tenantId, first, (results) => {
    if (keyed) {
      const claim = results[results.length - 1]![0] as { id: string } | undefined;
      if (!claim) {
        replayFrom = opts.idempotencyKey!;
        return [sql`select response from intake_requests where site_id = ${siteId} and key = ${opts.idempotencyKey}`];
      }
      claimId = claim.id;
    }
    const answer = (dup: SQL) => sql`jsonb_strip_nulls(jsonb_build_object(
        'status', case when ${dup} then ${opts.answer.joined}::int else ${opts.answer.created}::int end,
        'body', jsonb_build_object('id', (select id from target), 'duplicate', ${dup}),
        'location', ${opts.answer.location ?? null}::text))`;
    const remember = claimId
      ? sql`, remember as (
          update intake_requests set lead_id = (select id from target),
            status_code = case when exists (select 1 from upd) then ${opts.answer.joined}::int else ${opts.answer.created}::int end,
            response = ${answer(sql`exists (select 1 from upd)`)}
          where id = ${claimId} returning 1)`
      : sql``;
    return [
      sql`
      with existing as (${existing}),
      upd as (
        update leads set
          submissions = submissions + 1, last_submission_at = now(), updated_at = now(),
          name = coalesce(name, ${input.name}), company = coalesce(company, ${input.company}),
          email = coalesce(email, ${input.email}), email_norm = coalesce(email_norm, ${emailNorm}),
          phone = coalesce(phone, ${input.phone}), phone_norm = coalesce(phone_norm, ${phoneNorm}),
          consent = consent or ${input.consent}::boolean,
          custom_fields = ${custom}::jsonb || custom_fields
        where id = (select id from existing)
        returning id
      ),
      ins as (
        insert into leads (id, tenant_id, site_id, channel, name, email, email_norm, phone, phone_norm, company, message, form,
          page_url, referrer, utm_source, utm_medium, utm_campaign, utm_term, utm_content, consent, custom_fields, spam)
        select ${newId}::uuid, ${tenantId}::uuid, ${siteId}::uuid, ${channel}, ${input.name}, ${input.email}, ${emailNorm}, ${input.phone},
          ${phoneNorm}, ${input.company}, ${input.message}, ${input.form}, ${input.pageUrl}, ${input.referrer}, ${u.source}, ${u.medium},
          ${u.campaign}, ${u.term}, ${u.content}, ${input.consent}::boolean, ${custom}::jsonb, ${spam}::boolean
        where not exists (select 1 from existing)
        returning id
      ),
      target as (select id from upd union all select id from ins),
      ev as (
        insert into lead_events (tenant_id, lead_id, type, payload)
        select ${tenantId}::uuid, id, 'submission', ${submission}::jsonb from upd
        union all
        select ${tenantId}::uuid, id, 'created', ${created}::jsonb from ins
        returning 1
      ),
      job as (select leadflow_enqueue('lead:received', jsonb_build_object('tenantId', ${tenantId}::text, 'leadId', id::text)) from ins)
      ${remember}
      select (select id from target) as id, exists (select 1 from upd) as duplicate,
        (select count(*) from ev)::int as events, (select count(*) from job)::int as jobs`,
    ];
  });

  if (replayFrom !== null) {
    const prior = second[0]![0] as { response: StoredIntakeResponse | null } | undefined;
    // The first request committed before ours could claim the key, so its answer is there.
    if (!prior?.response) throw new Error("idempotency row without a response");
    return { kind: "replay", response: prior.response };
  }
  const row = second[0]![0] as { id: string; duplicate: boolean; events: number; jobs: number };
  if (!row?.id || row.events !== 1) throw new Error("intake statement wrote no lead or event");
  if (row.jobs > 0) kickRelay();
  const outcome = { id: row.id, duplicate: row.duplicate };
  return { kind: "recorded", outcome, response: responseFor(outcome, opts.answer) };
}
