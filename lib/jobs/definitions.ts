import { z } from "zod";

// Every background job: an id and a zod payload. Handlers live in lib/jobs/handlers.ts; retries
// and backoff are graphile-worker's. Enqueue inside a tenant transaction with `enqueue` (same
// transaction as the data it follows up on).

export const JOBS = {
  "lead:received": z.object({ tenantId: z.uuid(), leadId: z.uuid() }),
  "intake:cleanup": z.object({}),
  "queue:relay": z.object({}),
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]>;
