import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Channel, StoredIntakeResponse } from "@/db/schema";
import type { Tx } from "@/db/tenant";
import type { TIntake } from "@/lib/validators/intake";

export type IntakeTarget = { tenantId: string; siteId: string | null; channel: Channel; dedupeWindowDays: number };

export type IntakeOutcome = { id: string; duplicate: boolean };

export type IntakeResult =
  | { kind: "recorded"; outcome: IntakeOutcome; response: StoredIntakeResponse }
  | { kind: "replay"; response: StoredIntakeResponse };

/** A transaction-scoped advisory lock key for one dedupe identity (e-mail or phone) of a tenant. */
function lockKey(tenantId: string, identity: string): bigint {
  return createHash("sha256").update(`${tenantId}|${identity}`).digest().readBigInt64BE(0);
}

const MANY_LINKS = /(https?:\/\/|www\.)/gi;

/** Spam: the honeypot was filled in, or the message is a wall of links. Spam is stored, never dropped. */
export function looksLikeSpam(input: TIntake): boolean {
  if (input.honeypot) return true;
  return (input.message?.match(MANY_LINKS)?.length ?? 0) >= 4;
}

/**
 * Record one submission inside the caller's tenant transaction — all or nothing:
 * the idempotency claim, the dedupe decision (serialised per e-mail/phone with advisory locks, so
 * concurrent twins make one lead), the lead or its new submission, its timeline event, the
 * follow-up job, and the answer to replay for the same Idempotency-Key.
 */
export async function recordIntake(
  tx: Tx,
  target: IntakeTarget,
  input: TIntake,
  opts: { idempotencyKey?: string; answer: (o: IntakeOutcome) => StoredIntakeResponse },
): Promise<IntakeResult> {
  const { tenantId, siteId } = target;
  let claimId: string | null = null;

  if (opts.idempotencyKey !== undefined && siteId) {
    // A concurrent twin blocks here until the first commits, then sees its row and replays.
    const claimed = (await tx.execute(sql`
      insert into intake_requests (tenant_id, site_id, key) values (${tenantId}, ${siteId}, ${opts.idempotencyKey})
      on conflict (site_id, key) do update
        set created_at = now(), response = null, status_code = null, lead_id = null
        where intake_requests.created_at < now() - interval '24 hours'
      returning id`)) as unknown as { id: string }[];
    if (claimed[0]) claimId = claimed[0].id;
    else {
      const [prior] = (await tx.execute(sql`
        select response from intake_requests where site_id = ${siteId} and key = ${opts.idempotencyKey}`)) as unknown as {
        response: StoredIntakeResponse | null;
      }[];
      if (prior?.response) return { kind: "replay", response: prior.response };
      throw new Error("idempotency row without a response"); // cannot happen: written in the same transaction
    }
  }

  const spam = looksLikeSpam(input);
  const emailNorm = input.email;
  const phoneNorm = input.phoneE164;
  let existingId: string | null = null;

  if (!spam && (emailNorm || phoneNorm)) {
    const keys = [emailNorm && `e:${emailNorm}`, phoneNorm && `p:${phoneNorm}`]
      .filter((k): k is string => Boolean(k))
      .map((k) => lockKey(tenantId, k))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    // Its own statement: the dedupe read below must take its snapshot after the lock is held.
    await tx.execute(keys.length === 2 ? sql`select pg_advisory_xact_lock(${keys[0]}), pg_advisory_xact_lock(${keys[1]})` : sql`select pg_advisory_xact_lock(${keys[0]})`);
    const [hit] = (await tx.execute(sql`
      select id from leads
      where tenant_id = ${tenantId} and not spam
        and last_submission_at > now() - make_interval(days => ${target.dedupeWindowDays})
        and (${emailNorm ? sql`email_norm = ${emailNorm}` : sql`false`} or ${phoneNorm ? sql`phone_norm = ${phoneNorm}` : sql`false`})
      order by last_submission_at desc
      limit 1`)) as unknown as { id: string }[];
    existingId = hit?.id ?? null;
  }

  const outcome: IntakeOutcome = existingId ? { id: existingId, duplicate: true } : { id: randomUUID(), duplicate: false };
  const response = opts.answer(outcome);
  const remember = claimId
    ? sql`, r as (update intake_requests set lead_id = ${outcome.id}, status_code = ${response.status}, response = ${JSON.stringify(response)}::jsonb where id = ${claimId} returning 1)`
    : sql``;
  const rememberCount = claimId ? sql`, (select count(*) from r) as remembered` : sql``;
  const u = input.utm;

  if (existingId) {
    const event = {
      channel: target.channel,
      siteId,
      message: input.message,
      form: input.form,
      fields: { name: input.name, email: input.email, phone: input.phone, company: input.company, pageUrl: input.pageUrl, referrer: input.referrer, utm: u, customFields: input.customFields },
    };
    await tx.execute(sql`
      with u as (
        update leads set
          submissions = submissions + 1, last_submission_at = now(), updated_at = now(),
          name = coalesce(name, ${input.name}), company = coalesce(company, ${input.company}),
          email = coalesce(email, ${input.email}), email_norm = coalesce(email_norm, ${emailNorm}),
          phone = coalesce(phone, ${input.phone}), phone_norm = coalesce(phone_norm, ${phoneNorm}),
          consent = consent or ${input.consent},
          custom_fields = ${JSON.stringify(input.customFields)}::jsonb || custom_fields
        where id = ${existingId}
        returning id
      ),
      e as (insert into lead_events (tenant_id, lead_id, type, payload) select ${tenantId}, u.id, 'submission', ${JSON.stringify(event)}::jsonb from u returning 1)
      ${remember}
      select (select count(*) from e) as events ${rememberCount}`);
  } else {
    const event = { channel: target.channel, siteId, source: u.source };
    const job = { tenantId, leadId: outcome.id };
    await tx.execute(sql`
      with l as (
        insert into leads (id, tenant_id, site_id, channel, name, email, email_norm, phone, phone_norm, company, message, form,
          page_url, referrer, utm_source, utm_medium, utm_campaign, utm_term, utm_content, consent, custom_fields, spam)
        values (${outcome.id}, ${tenantId}, ${siteId}, ${target.channel}, ${input.name}, ${input.email}, ${emailNorm}, ${input.phone},
          ${phoneNorm}, ${input.company}, ${input.message}, ${input.form}, ${input.pageUrl}, ${input.referrer}, ${u.source}, ${u.medium},
          ${u.campaign}, ${u.term}, ${u.content}, ${input.consent}, ${JSON.stringify(input.customFields)}::jsonb, ${spam})
        returning id
      ),
      e as (insert into lead_events (tenant_id, lead_id, type, payload) select ${tenantId}, l.id, 'created', ${JSON.stringify(event)}::jsonb from l returning 1),
      j as (select leadflow_enqueue('lead:received', ${JSON.stringify(job)}::jsonb) from l)
      ${remember}
      select (select count(*) from e) as events, (select count(*) from j) as jobs ${rememberCount}`);
  }
  return { kind: "recorded", outcome, response };
}
