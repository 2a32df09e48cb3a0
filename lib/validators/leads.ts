import { z } from "zod";

export const STATUS_KEYS = ["new", "in_progress", "qualified", "won", "lost", "junk"] as const;
export const TERMINAL_STATUSES = ["won", "lost", "junk"] as const;
export const ZChannel = z.enum(["web", "email", "telegram", "api", "manual", "import"]);

/** Status keys are per tenant (defaults from the contract); this only checks the shape. */
export const ZStatusKey = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "must be a status key");

export const ZLeadListInput = z.object({
  q: z.string().trim().max(200).optional(),
  status: ZStatusKey.optional(),
  channel: ZChannel.optional(),
  assignee: z.union([z.literal("me"), z.literal("none"), z.uuid()]).optional(),
  updatedSince: z.date().optional(),
  cursor: z.string().max(200).nullish(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type TLeadListInput = z.infer<typeof ZLeadListInput>;

/** The contract's `Lead`, used by tRPC, REST v1 and OpenAPI alike. */
export const ZLead = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  status: z.string(),
  channel: ZChannel,
  siteId: z.uuid().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  company: z.string().nullable(),
  message: z.string().nullable(),
  form: z.string().nullable(),
  pageUrl: z.string().nullable(),
  referrer: z.string().nullable(),
  utm: z.object({
    source: z.string().nullable(),
    medium: z.string().nullable(),
    campaign: z.string().nullable(),
    term: z.string().nullable(),
    content: z.string().nullable(),
  }),
  consent: z.boolean(),
  customFields: z.record(z.string(), z.string()),
  spam: z.boolean(),
  submissions: z.number().int(),
  assignee: z.object({ email: z.string(), name: z.string() }).nullable(),
  ai: z
    .object({
      category: z.string().nullable(),
      score: z.number().int().nullable(),
      summary: z.string().nullable(),
      status: z.enum(["pending", "done", "failed"]),
    })
    .nullable(),
  bitrix24: z.object({ id: z.string(), syncedAt: z.iso.datetime({ offset: true }).nullable() }).nullable(),
}).meta({ id: "Lead" });
export type TLead = z.infer<typeof ZLead>;

/** `GET /api/v1/leads` query. */
export const ZApiLeadListQuery = z.object({
  status: ZStatusKey.optional(),
  updated_since: z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z" }).optional(),
  limit: z.coerce.number().int().min(1, "at least 1").max(100, "at most 100").default(25),
  cursor: z.string().max(200).optional(),
});

/** `PATCH /api/v1/leads/{id}` body (also the CRM's status/assignment change). */
export const ZLeadPatch = z
  .object({
    status: ZStatusKey.optional(),
    assigneeEmail: z.string().trim().toLowerCase().pipe(z.email({ message: "must be a valid e-mail address" })).nullable().optional(),
  })
  .strict()
  .refine((v) => v.status !== undefined || v.assigneeEmail !== undefined, { message: "give status and/or assigneeEmail", path: ["status"] })
  .meta({ id: "LeadPatch" });
export type TLeadPatch = z.infer<typeof ZLeadPatch>;

export const ZLeadList = z.object({ data: z.array(ZLead), nextCursor: z.string().nullable() }).meta({ id: "LeadList" });
