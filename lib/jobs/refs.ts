import { z } from "zod";

// Jobs that services queue, by id and payload only (their handlers, in ./ai-analyse.ts and
// ./ai-train.ts, import the services): a service names a job here, so imports never run in a circle.

export const AI_MAX_ATTEMPTS = 3;

export const aiAnalyseRef = { id: "ai:analyse", payload: z.object({ tenantId: z.uuid(), leadId: z.uuid() }) } as const;
export const aiTrainRef = { id: "ai:train", payload: z.object({ tenantId: z.uuid() }) } as const;

/** Drain a tenant's Bitrix24 queue (`bitrix24_ops`); one queued per tenant at a time (job key). */
export const bitrix24SyncRef = { id: "bitrix24:sync", payload: z.object({ tenantId: z.uuid() }) } as const;
export const bitrix24SyncKey = (tenantId: string) => `b24sync:${tenantId}`;
/** Re-read one Bitrix24 lead after its outbound event, and apply it. */
export const bitrix24PullRef = { id: "bitrix24:pull", payload: z.object({ tenantId: z.uuid(), bitrixId: z.number().int().positive() }) } as const;
/** Queue a backfill's leads, page by page. */
export const bitrix24BackfillRef = { id: "bitrix24:backfill", payload: z.object({ tenantId: z.uuid(), backfillId: z.uuid() }) } as const;
