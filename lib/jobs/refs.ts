import { z } from "zod";

// Jobs that services queue, by id and payload only (their handlers, in ./ai-analyse.ts and
// ./ai-train.ts, import the services): a service names a job here, so imports never run in a circle.

export const AI_MAX_ATTEMPTS = 3;

export const aiAnalyseRef = { id: "ai:analyse", payload: z.object({ tenantId: z.uuid(), leadId: z.uuid() }) } as const;
export const aiTrainRef = { id: "ai:train", payload: z.object({ tenantId: z.uuid() }) } as const;
