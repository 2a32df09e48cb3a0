import "server-only";
import { lt, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { intakeRequests } from "@/db/schema";
import { defineJob } from "./define";

/** Idempotency keys only count for 24 h. Runs as the owner (no tenant): a maintenance sweep, hourly. */
export const intakeCleanup = defineJob({
  id: "intake:cleanup",
  payload: z.object({}),
  async handler() {
    await getDb().delete(intakeRequests).where(lt(intakeRequests.createdAt, sql`now() - interval '25 hours'`));
  },
});
