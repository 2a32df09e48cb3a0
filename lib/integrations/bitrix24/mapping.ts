// LeadFlow ↔ Bitrix24 field and status mapping (pure; BITRIX24_CONTRACT §2–3, CONTRACT "Bitrix24
// status mapping").
import type { Bitrix24Stage } from "@/db/schema/bitrix24";
import { DEFAULT_SOURCE, defaultStageIn } from "@/lib/validators/bitrix24";

export const ORIGINATOR_ID = "leadflow";

export { DEFAULT_STATUS_OUT, stageStatusOut } from "@/lib/validators/bitrix24";

/**
 * STATUS_ID → LeadFlow stage: the owner's override, else the CONTRACT's default by id, else by
 * the portal stage's semantics (any custom in-progress stage → in_progress, success → won, any
 * other failure → lost). An unknown id with no known semantics → in_progress.
 */
export function statusIn(statusId: string, stages: Bitrix24Stage[], overrides: Record<string, string>, known: ReadonlySet<string>): string {
  const o = overrides[statusId];
  if (o && known.has(o)) return o;
  return defaultStageIn(statusId, stages.find((s) => s.statusId === statusId)?.semantics);
}

/** `crm.status.list` items → stages with normalised semantics (§3: null + EXTRA.SEMANTICS "process"). */
export function parseStages(items: unknown): Bitrix24Stage[] {
  if (!Array.isArray(items)) return [];
  return items
    .filter((i): i is Record<string, unknown> => Boolean(i) && typeof i === "object")
    .filter((i) => (i.ENTITY_ID ?? "STATUS") === "STATUS" && typeof i.STATUS_ID === "string")
    .map((i) => {
      const extra = (i.EXTRA && typeof i.EXTRA === "object" ? i.EXTRA : {}) as Record<string, unknown>;
      const sem = String(i.SEMANTICS ?? extra.SEMANTICS ?? "").toUpperCase();
      return {
        statusId: String(i.STATUS_ID),
        name: String(i.NAME ?? i.STATUS_ID),
        semantics: sem === "S" || sem === "SUCCESS" ? ("success" as const) : sem === "F" || sem === "FAILURE" ? ("failure" as const) : ("process" as const),
        sort: Number(i.SORT ?? 0) || 0,
      };
    })
    .sort((a, b) => a.sort - b.sort);
}


export type LeadForBitrix = {
  id: string;
  channel: string;
  siteId: string | null;
  siteName: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  message: string | null;
  form: string | null;
  pageUrl: string | null;
  referrer: string | null;
  utm: { source: string | null; medium: string | null; campaign: string | null; term: string | null; content: string | null };
  consent: boolean;
  customFields: Record<string, unknown>;
  aiSummary: string | null;
  spam?: boolean;
  status: string;
  assigneeId: string | null;
};

export type MappingContext = {
  statusOut: (stage: string) => string;
  sourceMap: Record<string, string>;
  userMap: Record<string, number>;
  locale: "ru" | "en";
};

const T = {
  ru: { lead: "Заявка", from: "с сайта", message: "Сообщение", form: "Форма", page: "Страница", referrer: "Откуда пришёл", fields: "Поля формы", consent: "Согласие на обработку данных", yes: "да", no: "нет", ai: "Кратко (ИИ)", again: "Повторная заявка" },
  en: { lead: "Lead", from: "from", message: "Message", form: "Form", page: "Page", referrer: "Referrer", fields: "Form fields", consent: "Consent to data processing", yes: "yes", no: "no", ai: "Summary (AI)", again: "Repeat submission" },
} as const;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** COMMENTS is sanitised HTML on the portal (§2): send plain text with the markup characters escaped. */
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function splitName(full: string | null): { NAME?: string; LAST_NAME?: string } {
  const parts = (full ?? "").trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return {};
  if (parts.length === 1) return { NAME: parts[0] };
  return { NAME: parts.slice(0, -1).join(" "), LAST_NAME: parts[parts.length - 1] };
}

/** The comment block of one submission (the new lead, or a repeat submission appended later). */
export function submissionComment(s: Pick<LeadForBitrix, "message" | "form" | "pageUrl" | "referrer" | "customFields">, locale: "ru" | "en", heading?: string): string {
  const t = T[locale];
  const lines: string[] = [];
  if (heading) lines.push(heading);
  if (s.message) lines.push(`${t.message}: ${s.message}`);
  if (s.form) lines.push(`${t.form}: ${s.form}`);
  if (s.pageUrl) lines.push(`${t.page}: ${s.pageUrl}`);
  if (s.referrer) lines.push(`${t.referrer}: ${s.referrer}`);
  const custom = Object.entries(s.customFields ?? {});
  if (custom.length) {
    lines.push(`${t.fields}:`);
    for (const [k, v] of custom) lines.push(`  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
  }
  return esc(lines.join("\n"));
}

export function repeatHeading(locale: "ru" | "en", at: Date): string {
  return `— ${T[locale].again}, ${at.toISOString().slice(0, 16).replace("T", " ")} UTC —`;
}

/** `crm.lead.add` fields for a lead (§2: multifields always with VALUE_TYPE; ORIGIN_ID = our id). */
export function leadFields(lead: LeadForBitrix, ctx: MappingContext): Record<string, unknown> {
  const t = T[ctx.locale];
  const who = lead.name ?? lead.company ?? lead.email ?? lead.phone ?? "";
  const title = clip(`${t.lead}${lead.siteName ? ` ${t.from} ${lead.siteName}` : ""}${who ? `: ${who}` : ""}`, 250);
  const comments = [submissionComment(lead, ctx.locale), `${t.consent}: ${lead.consent ? t.yes : t.no}`];
  if (lead.aiSummary) comments.push(esc(`${t.ai}: ${lead.aiSummary}`));
  const source = (lead.siteId && ctx.sourceMap[`site:${lead.siteId}`]) || ctx.sourceMap[lead.channel] || DEFAULT_SOURCE[lead.channel] || "OTHER";
  const fields: Record<string, unknown> = {
    TITLE: title,
    ...splitName(lead.name),
    STATUS_ID: ctx.statusOut(lead.status),
    SOURCE_ID: source,
    SOURCE_DESCRIPTION: clip([lead.siteName, lead.form].filter(Boolean).join(" · ") || lead.channel, 250),
    COMMENTS: comments.filter(Boolean).join("\n\n"),
    ORIGINATOR_ID: ORIGINATOR_ID,
    ORIGIN_ID: lead.id,
    OPENED: "Y",
  };
  if (lead.company) fields.COMPANY_TITLE = clip(lead.company, 250);
  // Multifield values over 250 characters are refused (§2): such a value stays in the comments only.
  if (lead.phone && lead.phone.length <= 250) fields.PHONE = [{ VALUE: lead.phone, VALUE_TYPE: "WORK" }];
  if (lead.email && lead.email.length <= 250) fields.EMAIL = [{ VALUE: lead.email, VALUE_TYPE: "WORK" }];
  const utm = { UTM_SOURCE: lead.utm.source, UTM_MEDIUM: lead.utm.medium, UTM_CAMPAIGN: lead.utm.campaign, UTM_CONTENT: lead.utm.content, UTM_TERM: lead.utm.term };
  for (const [k, v] of Object.entries(utm)) if (v) fields[k] = clip(v, 250);
  const assigned = lead.assigneeId ? ctx.userMap[lead.assigneeId] : undefined;
  if (assigned) fields.ASSIGNED_BY_ID = assigned;
  return fields;
}

/** The AI's summary as a comment block, once it is ready after the lead was sent. */
export function aiSummaryComment(locale: "ru" | "en", summary: string): string {
  return esc(`${T[locale].ai}: ${summary}`);
}

/** Append a block to the portal's current COMMENTS (what a person wrote there stays). */
export function appendComment(current: unknown, block: string): string {
  const before = typeof current === "string" ? current.trim() : "";
  return before ? `${before}\n\n${block}` : block;
}

/**
 * `auth[domain]` names the portal as its webhook URL does (`some.bitrix24.ru`); a scheme, a
 * trailing slash, letter case or a port on one side only (a stand-in on a local port) do not matter.
 */
export function sameHost(domain: string, portalHost: string): boolean {
  const norm = (h: string) => h.trim().toLowerCase().replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  const a = norm(domain);
  const b = norm(portalHost);
  if (!a || !b) return false;
  const bare = (h: string) => h.replace(/:\d+$/, "");
  return a === b || (bare(a) === bare(b) && (bare(a) === a || bare(b) === b));
}
