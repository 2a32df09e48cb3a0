import { createTRPCRouter, roleProcedure } from "../init";
import { findSites } from "@/lib/services/sites";
import { findMembers } from "@/lib/services/tenants";

const ownerProcedure = roleProcedure("owner");

export const settingsRouter = createTRPCRouter({
  sites: ownerProcedure.query(({ ctx }) => findSites(ctx.tx)),
  members: ownerProcedure.query(({ ctx }) => findMembers(ctx.tx, ctx.tenantId)),
});
