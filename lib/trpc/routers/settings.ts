import { createTRPCRouter, roleProcedure } from "../init";
import { findSites } from "@/lib/services/sites";
import { changeMemberRole, findTenantMembers, inviteMember, setMemberActive } from "@/lib/services/members";
import { ZMemberActiveSchema, ZMemberInviteSchema, ZMemberRoleSchema } from "@/lib/validators/members";
import { createStage, deleteStage, findPipeline, reorderStages, updateStage } from "@/lib/services/pipeline";
import { ZStageCreate, ZStageRef, ZStageReorder, ZStageUpdate } from "@/lib/validators/pipeline";

import { getLeadRules, getTenantSettings, updateAiCategories, updateLeadRules } from "@/lib/services/settings";
import { activeProvider } from "@/lib/ai/providers";
import { checkProvider } from "@/lib/ai/check";
import { setSiteTeam } from "@/lib/services/assignment";
import { ZAiCategoriesSchema, ZLeadRulesSchema, ZSiteTeamSchema } from "@/lib/validators/settings";

const ownerProcedure = roleProcedure("owner");

export const settingsRouter = createTRPCRouter({
  sites: ownerProcedure.query(({ ctx }) => findSites(ctx.tx)),
  // Settings → Users (deactivated members included)
  members: ownerProcedure.query(({ ctx }) => findTenantMembers(ctx.tx, ctx.tenantId)),
  inviteMember: ownerProcedure.input(ZMemberInviteSchema).mutation(({ ctx, input }) => inviteMember(ctx.tx, ctx.tenantId, input, ctx.userId)),
  setMemberRole: ownerProcedure.input(ZMemberRoleSchema).mutation(({ ctx, input }) => changeMemberRole(ctx.tx, ctx.tenantId, input, ctx.userId)),
  setMemberActive: ownerProcedure.input(ZMemberActiveSchema).mutation(({ ctx, input }) => setMemberActive(ctx.tx, ctx.tenantId, input, ctx.userId)),
  // Settings → Lead rules
  leadRules: ownerProcedure.query(({ ctx }) => getLeadRules(ctx.tx, ctx.tenantId)),
  updateLeadRules: ownerProcedure.input(ZLeadRulesSchema).mutation(({ ctx, input }) => updateLeadRules(ctx.tx, ctx.tenantId, input, ctx.userId)),
  setSiteTeam: ownerProcedure.input(ZSiteTeamSchema).mutation(({ ctx, input }) => setSiteTeam(ctx.tx, ctx.tenantId, input.siteId, input.userIds, ctx.userId)),
  // Settings → AI
  ai: ownerProcedure.query(async ({ ctx }) => ({ provider: activeProvider(), categories: (await getTenantSettings(ctx.tx, ctx.tenantId)).aiCategories })),
  aiCheck: ownerProcedure.mutation(async ({ ctx }) => checkProvider((await getTenantSettings(ctx.tx, ctx.tenantId)).aiCategories)),
  setAiCategories: ownerProcedure.input(ZAiCategoriesSchema).mutation(({ ctx, input }) => updateAiCategories(ctx.tx, ctx.tenantId, input.categories, ctx.userId)),
  // Settings → Pipeline
  stages: ownerProcedure.query(({ ctx }) => findPipeline(ctx.tx)),
  createStage: ownerProcedure.input(ZStageCreate).mutation(({ ctx, input }) => createStage(ctx.tx, ctx.tenantId, input, ctx.userId)),
  updateStage: ownerProcedure.input(ZStageUpdate).mutation(({ ctx, input }) => updateStage(ctx.tx, ctx.tenantId, input, ctx.userId)),
  reorderStages: ownerProcedure.input(ZStageReorder).mutation(({ ctx, input }) => reorderStages(ctx.tx, ctx.tenantId, input.keys, ctx.userId)),
  deleteStage: ownerProcedure.input(ZStageRef).mutation(({ ctx, input }) => deleteStage(ctx.tx, ctx.tenantId, input.key, ctx.userId)),
});
