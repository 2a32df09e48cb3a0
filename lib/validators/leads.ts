import { z } from "zod";
import { AI_STATUSES, CHANNELS, NEXT_STEP_KINDS } from "@/db/schema/enums";
import { zText } from "./common";
import { ZIntakeFields } from "./intake";

export const ZChannel = z.enum(CHANNELS);

/** Status keys are per tenant (defaults from the contract); this only checks the shape. */
export const ZStatusKey = zText().regex(/^[a-z][a-z0-9_]{0,39}$/, "must be a status key");

/** A calendar day, YYYY-MM-DD (in the tenant's time zone where it bounds a range). */
export const ZDay = zText()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "must be a date YYYY-MM-DD")
  // A real day (not 2024-02-31) of a year Postgres and people share (not year 0).
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    const year = Number(d.slice(0, 4));
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d && year >= 1970 && year <= 9999;
  }, "must be a real date between 1970 and 9999");

/** Spam in a list: hidden (the CRM's default), only spam, or everything (REST). */
export const SPAM_FILTERS = ["hide", "only", "all"] as const;

/** "Needs attention": waiting past the first-response deadline, or a next step due by today's end. */
export const DUE_FILTERS = ["response", "step"] as const;

/** How the list is ordered: newest first (default), last changed, pipeline order, AI score, next step due. */
export const LEAD_SORTS = ["created", "updated", "status", "score", "next_step"] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];

const ZCategoryFilter = zText().regex(/^[a-z][a-z0-9_]{0,39}$/, "must be a category key");

/** What narrows a list of leads: the CRM's filters (kept in the URL), also counted. */
export const ZLeadFilters = z.object({
  q: zText().trim().max(200).optional(),
  status: ZStatusKey.optional(),
  channel: ZChannel.optional(),
  assignee: z.union([z.literal("me"), z.literal("none"), z.uuid()]).optional(),
  site: z.uuid().optional(),
  /** A UTM source, or "none" for leads without one (the analytics drill-down). */
  source: zText().trim().min(1).max(200).optional(),
  category: ZCategoryFilter.optional(),
  due: z.enum(DUE_FILTERS).optional(),
  spam: z.enum(SPAM_FILTERS).optional(),
  from: ZDay.optional(),
  to: ZDay.optional(),
  updatedSince: z.date().optional(),
  /** Only leads that arrived after this moment (the list's "new since you looked" badge). */
  createdAfter: z.iso.datetime({ offset: true }).optional(),
});
export type TLeadFilters = z.infer<typeof ZLeadFilters>;

export const ZLeadListInput = ZLeadFilters.extend({
  sort: z.enum(LEAD_SORTS).default("created"),
  cursor: zText().max(400).nullish(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type TLeadListInput = z.infer<typeof ZLeadListInput>;

const URL_FILTERS = ["q", "status", "channel", "assignee", "site", "source", "category", "due", "spam", "from", "to", "sort"] as const;
export type LeadUrlFilters = Partial<Record<(typeof URL_FILTERS)[number], string>>;

/** A view of the list as a URL holds it: the filters and the order. */
export type LeadView = Omit<TLeadFilters, "updatedSince"> & { sort?: LeadSort };
const URL_SCHEMAS = { ...ZLeadFilters.shape, sort: z.enum(LEAD_SORTS) };

/**
 * The list's filters from a URL (a shared link, the back button). Each parameter is checked on its
 * own and a bad one is dropped, so a mangled link still opens the list. Spam is hidden unless asked.
 */
export function leadFiltersFromUrl(params: { get(name: string): string | null }): LeadView {
  const out: Record<string, unknown> = {};
  for (const key of URL_FILTERS) {
    const raw = params.get(key);
    if (raw === null || raw === "") continue;
    const parsed = URL_SCHEMAS[key].safeParse(raw);
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return { spam: "hide", ...out } as LeadView;
}

/** The same from a page's `searchParams` (repeated parameters are ignored, as a link never needs them). */
export function leadFiltersFromSearchParams(sp: Record<string, string | string[] | undefined>): LeadView {
  return leadFiltersFromUrl({ get: (k) => (typeof sp[k] === "string" ? sp[k] : null) });
}

/** The board's filters: assignee and channel only (its columns are the statuses; spam never shows). */
export function boardFilters(f: Pick<TLeadFilters, "assignee" | "channel">): Pick<TLeadFilters, "assignee" | "channel"> {
  return { ...(f.assignee ? { assignee: f.assignee } : {}), ...(f.channel ? { channel: f.channel } : {}) };
}

/** The filters as URL parameters (the defaults left out, so plain /leads stays plain). */
export function leadFiltersToUrl(filters: LeadUrlFilters): URLSearchParams {
  const p = new URLSearchParams();
  for (const key of URL_FILTERS) {
    const v = filters[key];
    if (v && !(key === "spam" && v === "hide") && !(key === "sort" && v === "created")) p.set(key, v);
  }
  return p;
}

/** The contract's `Lead`, used by tRPC, REST v1 and OpenAPI alike. */
const ZNullableText = zText().nullable();
export const ZLead = z
  .object({
    id: z.uuid(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
    firstResponseAt: z.iso.datetime({ offset: true }).nullable(),
    status: zText(),
    channel: ZChannel,
    siteId: z.uuid().nullable(),
    name: ZNullableText,
    email: ZNullableText,
    phone: ZNullableText,
    company: ZNullableText,
    message: ZNullableText,
    form: ZNullableText,
    pageUrl: ZNullableText,
    referrer: ZNullableText,
    utm: z.object({ source: ZNullableText, medium: ZNullableText, campaign: ZNullableText, term: ZNullableText, content: ZNullableText }),
    consent: z.boolean(),
    customFields: z.record(zText(), zText()),
    spam: z.boolean(),
    submissions: z.number().int(),
    assignee: z.object({ email: zText(), name: zText() }).nullable(),
    ai: z
      .object({
        category: ZNullableText,
        score: z.number().int().nullable(),
        summary: ZNullableText,
        status: z.enum(AI_STATUSES),
      })
      .nullable(),
    bitrix24: z.object({ id: zText(), syncedAt: z.iso.datetime({ offset: true }).nullable() }).nullable(),
  })
  .meta({ id: "Lead" });

/** The CRM's view of a lead adds its next step (not part of the contract's `Lead`). */
export const ZNextStep = z.object({ kind: z.enum(NEXT_STEP_KINDS), dueAt: z.iso.datetime({ offset: true }), text: zText().nullable() });
export type TLead = z.infer<typeof ZLead>;

/** `GET /api/v1/leads` query. */
export const ZApiLeadListQuery = z.object({
  status: ZStatusKey.optional(),
  updated_since: z.iso
    .datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z" })
    .refine((v) => {
      const t = Date.parse(v);
      return Number.isNaN(t) || (t >= Date.UTC(1970, 0, 1) && t < Date.UTC(10000, 0, 1)); // not a date at all: the format's own message
    }, "must be a date between 1970 and 9999")
    .optional(),
  limit: z.coerce.number().int().min(1, "at least 1").max(100, "at most 100").default(25),
  cursor: zText().max(200).optional(),
});

/** A category key (the tenant's AI categories; the service checks membership). */
export const ZCategoryKey = zText().regex(/^[a-z][a-z0-9_]{0,39}$/, "must be a category key");

/** `PATCH /api/v1/leads/{id}` body (also the CRM's status/assignment/category change). */
export const ZLeadPatch = z
  .object({
    status: ZStatusKey.optional(),
    assigneeEmail: zText().trim().toLowerCase().pipe(z.email({ message: "must be a valid e-mail address" })).nullable().optional(),
    category: ZCategoryKey.optional(),
  })
  .strict()
  .refine((v) => v.status !== undefined || v.assigneeEmail !== undefined || v.category !== undefined, {
    message: "give status, assigneeEmail and/or category",
    path: ["status"],
  })
  .meta({ id: "LeadPatch" });
export type TLeadPatch = z.infer<typeof ZLeadPatch>;

export const ZLeadList = z.object({ data: z.array(ZLead), nextCursor: ZNullableText }).meta({ id: "LeadList" });

/** A note on a lead's timeline (the CRM and `POST /api/v1/leads/{id}/notes`). */
export const ZNoteCreate = z
  .object({ text: zText().trim().min(1, "must not be empty").max(10_000, "must be at most 10000 characters") })
  .strict()
  .meta({ id: "NoteCreate" });
export type TNoteCreate = z.infer<typeof ZNoteCreate>;

export const ZNote = z
  .object({
    id: z.uuid(),
    createdAt: z.iso.datetime({ offset: true }),
    text: zText(),
    author: z.object({ email: zText(), name: zText() }).nullable(),
  })
  .meta({ id: "Note" });
export type TNote = z.infer<typeof ZNote>;

/** A page of the CRM's leads list. */
export const ZLeadPage = z.object({ items: z.array(ZLead), nextCursor: ZNullableText });

const ZPerson = z.object({ name: zText(), email: zText() });

/** One lead as the CRM's lead page shows it: the contract's `Lead`, its timeline and notes. */
export const ZLeadDetail = ZLead.extend({
  firstResponseSeconds: z.number().int().nullable(),
  /** What the AI found beyond the contract's fields: facts, its confidence, the lead's language, the score's reasons. */
  aiDetails: z.record(zText(), z.unknown()).nullable(),
  /** When the first response is due (the target in the tenant's working hours); null for imported leads. */
  firstResponseDueAt: z.iso.datetime({ offset: true }).nullable(),
  nextStep: ZNextStep.nullable(),
  timeline: z.array(
    z.object({
      id: z.uuid(),
      type: zText(),
      payload: z.record(zText(), z.unknown()),
      createdAt: z.iso.datetime({ offset: true }),
      actor: ZPerson.nullable(),
    }),
  ),
  notes: z.array(z.object({ id: z.uuid(), body: zText(), createdAt: z.iso.datetime({ offset: true }), author: ZPerson.nullable() })),
});
export type TLeadDetail = z.infer<typeof ZLeadDetail>;

// The CRM's lead changes (tRPC and server actions). Contact fields use the intake schema's rules.
export const ZLeadRef = z.object({ id: z.uuid() });
export const ZLeadStatusChange = z.object({
  id: z.uuid(),
  status: ZStatusKey,
  /** Why a lead was lost or junked (optional). */
  reason: zText().trim().max(500, "must be at most 500 characters").optional(),
});
export const ZLeadAssign = z.object({ id: z.uuid(), assigneeId: z.uuid().nullable() });
export const ZLeadSpam = z.object({ id: z.uuid(), spam: z.boolean() });
export const ZLeadContactEdit = ZIntakeFields.pick({ name: true, email: true, phone: true, company: true })
  .extend({ id: z.uuid() })
  .superRefine((v, ctx) => {
    if (!v.email && !v.phone) {
      ctx.addIssue({ code: "custom", path: ["email"], message: "email or phone is required" });
      ctx.addIssue({ code: "custom", path: ["phone"], message: "email or phone is required" });
    }
  });
export type TLeadContactEdit = z.output<typeof ZLeadContactEdit>;
/** The list's bulk actions: one change to the selected leads (all or nothing). */
export const ZLeadBulkChange = z.object({
  ids: z.array(z.uuid()).min(1, "select at least one lead").max(200, "at most 200 leads at once"),
  change: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("assign"), assigneeId: z.uuid().nullable() }),
    z.object({ kind: z.literal("status"), status: ZStatusKey, reason: zText().trim().max(500).optional() }),
    z.object({ kind: z.literal("spam"), spam: z.boolean() }),
    z.object({ kind: z.literal("category"), category: ZCategoryKey }),
  ]),
});
export type TLeadBulkChange = z.infer<typeof ZLeadBulkChange>;

export const ZNoteAdd = ZNoteCreate.extend({ leadId: z.uuid() });
export const ZNoteEdit = ZNoteCreate.extend({ noteId: z.uuid() });
export const ZNoteRef = z.object({ noteId: z.uuid() });

/** A wall-clock moment in the tenant's time zone, as a datetime-local input gives it. */
export const ZLocalDateTime = zText().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d$/, "must be a date and time YYYY-MM-DDTHH:MM");

export const ZNextStepSet = z.object({
  id: z.uuid(),
  kind: z.enum(NEXT_STEP_KINDS),
  /** When, in the tenant's time zone. */
  due: ZLocalDateTime,
  text: zText().trim().max(300, "must be at most 300 characters").optional(),
});
export type TNextStepSet = z.infer<typeof ZNextStepSet>;
