import { z } from "zod";
import { createTRPCRouter, roleProcedure } from "../init";
import { getOverview } from "@/lib/services/analytics";

export const analyticsRouter = createTRPCRouter({
  overview: roleProcedure("owner", "manager")
    .input(z.object({ days: z.number().int().min(1).max(730).default(90) }))
    .query(({ ctx, input }) => getOverview(ctx.tx, ctx.tenantId, input.days)),
});
