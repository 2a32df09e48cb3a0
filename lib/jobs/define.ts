import type { JobHelpers } from "graphile-worker";
import type { z } from "zod";

/** A background job: an id, a zod payload, and its handler. Retries and backoff are graphile-worker's. */
export type Job<P extends z.ZodType = z.ZodType> = {
  id: string;
  payload: P;
  handler: (payload: z.output<P>, helpers: JobHelpers) => Promise<void>;
};

export function defineJob<P extends z.ZodType>(job: Job<P>): Job<P> {
  return job;
}
