import { z } from "zod";
import { createTRPCRouter, tenantProcedure } from "../init";
import { ZLeadDetail, ZLeadListInput, ZLeadPage } from "@/lib/validators/leads";
import { zText } from "@/lib/validators/common";
import { countLeads, findBoard, findLeads, getLead } from "@/lib/services/leads";
import { findStages } from "@/lib/services/pipeline";

export const leadsRouter = createTRPCRouter({
  find: tenantProcedure.input(ZLeadListInput).output(ZLeadPage).query(({ ctx, input }) => findLeads(ctx.tx, ctx.viewer, input)),
  count: tenantProcedure.query(({ ctx }) => countLeads(ctx.tx, ctx.viewer)),
  get: tenantProcedure.input(z.object({ id: zText() })).output(ZLeadDetail).query(({ ctx, input }) => getLead(ctx.tx, ctx.viewer, input.id)),
  board: tenantProcedure.query(({ ctx }) => findBoard(ctx.tx, ctx.viewer)),
  stages: tenantProcedure.query(({ ctx }) => findStages(ctx.tx, ctx.locale)),
});
