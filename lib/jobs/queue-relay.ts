import "server-only";
import { z } from "zod";
import { defineJob } from "./define";
import { relayOutbox } from "./relay";

/** Moves committed jobs from the outbox into the queue (kicked after each commit; a cron backs it up). */
export const queueRelay = defineJob({
  id: "queue:relay",
  payload: z.object({}),
  async handler() {
    await relayOutbox();
  },
});
