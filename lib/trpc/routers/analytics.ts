import { createTRPCRouter, tenantProcedure } from "../init";
import { getDashboard, getSummary } from "@/lib/services/analytics";
import { ZAnalyticsFilters, ZAnalyticsInput, ZAnalyticsPeriod } from "@/lib/validators/analytics";

// Managers and owners see the whole tenant; a salesperson the same page over their own leads only
// (the service scopes by the viewer).
export const analyticsRouter = createTRPCRouter({
  dashboard: tenantProcedure.input(ZAnalyticsInput).query(({ ctx, input: { from, to, ...filters } }) => getDashboard(ctx.tx, ctx.tenantId, ctx.viewer, { from, to }, ZAnalyticsFilters.parse(filters))),
  summary: tenantProcedure.input(ZAnalyticsPeriod).query(({ ctx, input }) => getSummary(ctx.tx, ctx.tenantId, ctx.viewer, input)),
});
