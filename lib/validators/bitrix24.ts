import { z } from "zod";
import { zText } from "./common";
import { ZDay } from "./leads";
import { ZBitrixStatusId, ZStageKey } from "./pipeline";

// The Bitrix24 integration as Settings, the CLI and tRPC see it (one schema per concept), and the
// contract's default mappings, which the server applies and Settings shows.

/** LeadFlow stage → STATUS_ID when the pipeline row carries none (CONTRACT's default). */
export const DEFAULT_STATUS_OUT: Record<string, string> = { new: "NEW", in_progress: "IN_PROCESS", qualified: "PROCESSED", won: "CONVERTED", lost: "JUNK", junk: "JUNK" };

/** A stage's STATUS_ID: its own mapping, else the default; a custom stage is "in progress" there. */
export function stageStatusOut(key: string, statusId: string | null | undefined): string {
  return statusId ?? DEFAULT_STATUS_OUT[key] ?? "IN_PROCESS";
}

/** STATUS_ID → LeadFlow stage by default: the contract's five by id, any other by its semantics. */
export function defaultStageIn(statusId: string, semantics: string | undefined): string {
  const byId: Record<string, string> = { NEW: "new", IN_PROCESS: "in_progress", PROCESSED: "qualified", CONVERTED: "won", JUNK: "junk" };
  return byId[statusId] ?? (semantics === "success" ? "won" : semantics === "failure" ? "lost" : "in_progress");
}

/** The portal's standard `SOURCE` directory, and each channel's default in it. */
export const STANDARD_SOURCES = ["WEB", "WEBFORM", "CALL", "EMAIL", "ADVERTISING", "PARTNER", "RECOMMENDATION", "TRADE_SHOW", "CALLBACK", "RC_GENERATOR", "STORE", "OTHER"] as const;
export const DEFAULT_SOURCE: Record<string, string> = { web: "WEB", api: "WEB", email: "EMAIL", telegram: "OTHER", manual: "OTHER", import: "OTHER" };

export const ZBitrix24WebhookUrl = zText().trim().min(1, "required").max(500, "at most 500 characters");
/** The outgoing webhook's application token as the portal shows it (letters and digits). */
export const ZBitrix24AppToken = zText()
  .trim()
  .min(8, "at least 8 characters")
  .max(200, "at most 200 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only");

export const ZBitrix24Connect = z.object({
  webhookUrl: ZBitrix24WebhookUrl,
  applicationToken: ZBitrix24AppToken.nullish(),
});
export type TBitrix24Connect = z.infer<typeof ZBitrix24Connect>;

/** A SOURCE_ID of the portal's `SOURCE` directory (WEB, CALL, a custom one…). */
export const ZBitrix24SourceId = zText()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9_:]{1,50}$/, "A–Z, 0–9, _ and : only");

/** Channel (`web`, `api`, …) or `site:<uuid>`. */
const ZSourceKey = zText().regex(/^(web|email|telegram|api|manual|import|site:[0-9a-f-]{36})$/, "a channel or site:<id>");

export const ZBitrix24Settings = z.object({
  enabled: z.boolean().optional(),
  syncLeads: z.boolean().optional(),
  syncStatusOut: z.boolean().optional(),
  syncStatusIn: z.boolean().optional(),
  /** LeadFlow stage → STATUS_ID (kept on the pipeline's stages). */
  statusMapOut: z.record(ZStageKey, ZBitrixStatusId).optional(),
  /** STATUS_ID → LeadFlow stage: overrides of the default map. */
  statusMapIn: z.record(ZBitrixStatusId, ZStageKey).optional(),
  sourceMap: z.record(ZSourceKey, ZBitrix24SourceId).optional(),
  userMap: z.record(z.uuid(), z.number().int().min(1).max(2_147_483_647)).optional(),
  applicationToken: ZBitrix24AppToken.optional(),
});
export type TBitrix24Settings = z.infer<typeof ZBitrix24Settings>;

export const ZBitrix24Backfill = z
  .object({ from: ZDay, to: ZDay })
  .refine((v) => v.from <= v.to, { path: ["to"], message: "must not be before from" });
export type TBitrix24Backfill = z.infer<typeof ZBitrix24Backfill>;

export const ZBitrix24LogQuery = z.object({
  failed: z.boolean().optional(),
  leadId: z.uuid().optional(),
  /** The last row's id of the previous page. */
  cursor: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type TBitrix24LogQuery = z.input<typeof ZBitrix24LogQuery>;

/** An outbound event as the portal posts it (form-encoded, PHP-style keys; BITRIX24_CONTRACT §8). */
export const ZBitrix24Event = z.object({
  event: zText().max(100),
  data: z.object({
    FIELDS: z.object({
      ID: zText()
        .regex(/^\d{1,10}$/, "a lead id")
        .refine((id) => Number(id) >= 1 && Number(id) <= 2_147_483_647, "a lead id"),
    }),
  }),
  ts: zText().max(20).optional(),
  auth: z.object({
    domain: zText().max(255),
    member_id: zText().max(64).optional(),
    application_token: zText().max(200),
  }),
});
export type TBitrix24Event = z.infer<typeof ZBitrix24Event>;
