import { z } from "zod";
import { createTRPCRouter, tenantProcedure } from "../init";
import { setAvailability } from "@/lib/services/assignment";

export const meRouter = createTRPCRouter({
  /** "Принимаю заявки": whether round-robin gives me new leads now. */
  setAvailable: tenantProcedure.input(z.object({ available: z.boolean() })).mutation(({ ctx, input }) => setAvailability(ctx.tx, ctx.tenantId, ctx.userId, input.available)),
});
