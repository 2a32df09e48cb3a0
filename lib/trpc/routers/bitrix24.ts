import { z } from "zod";
import { createTRPCRouter, protectedProcedure, roleProcedure, tenantProcedure } from "../init";
import { withTenant } from "@/db/tenant";
import { resolveTenantSession } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { kickRelay } from "@/lib/jobs/relay";
import { Bitrix24Error } from "@/lib/integrations/bitrix24/client";
import { disconnectBitrix24, saveConnection, unreachable, updateBitrix24Settings, verifyWebhook } from "@/lib/integrations/bitrix24/connection";
import { listBackfills, startBackfill } from "@/lib/integrations/bitrix24/backfill";
import { getBitrix24Alert, getBitrix24Overview, getLeadSync, listAttempts, retryNow } from "@/lib/integrations/bitrix24/status";
import { ZBitrix24Backfill, ZBitrix24Connect, ZBitrix24LogQuery, ZBitrix24Settings } from "@/lib/validators/bitrix24";

// Settings → Integrations → Bitrix24 (owner only): thin procedures over lib/integrations/bitrix24.
const ownerProcedure = roleProcedure("owner");

export const bitrix24Router = createTRPCRouter({
  /** The lead page's Bitrix24 line (every member who may see the lead). */
  lead: tenantProcedure.input(z.object({ leadId: z.uuid() })).query(({ ctx, input }) => getLeadSync(ctx.tx, ctx.tenantId, ctx.viewer, input.leadId)),
  /** The header's notice for the owner: sending stopped or leads failed. */
  alert: ownerProcedure.query(({ ctx }) => getBitrix24Alert(ctx.tx, ctx.tenantId)),
  overview: ownerProcedure.query(({ ctx }) => getBitrix24Overview(ctx.tx, ctx.tenantId)),
  /**
   * Verify the webhook with a real call, then save it (sealed). Not a tenant procedure: the check
   * waits on the portal (and its request limit), and no transaction is held open meanwhile.
   */
  connect: protectedProcedure.input(ZBitrix24Connect).mutation(async ({ ctx, input }) => {
    const member = await resolveTenantSession(ctx.session);
    if (member?.role !== "owner") throw new AppError("forbidden", "Your role cannot do this");
    const verified = await verifyWebhook(input.webhookUrl).catch((e: unknown) => {
      throw e instanceof Bitrix24Error ? unreachable(e) : e;
    });
    await withTenant(member.tenantId, (tx) => saveConnection(tx, member.tenantId, ctx.userId, verified, input.applicationToken), { userId: ctx.userId });
    kickRelay();
    return { portal: verified.webhook.host, userId: verified.webhook.userId, userName: verified.userName, stages: verified.stages.length };
  }),
  update: ownerProcedure.input(ZBitrix24Settings).mutation(async ({ ctx, input }) => {
    await updateBitrix24Settings(ctx.tx, ctx.tenantId, ctx.userId, input);
    ctx.afterCommit(kickRelay);
    return { ok: true };
  }),
  disconnect: ownerProcedure.mutation(async ({ ctx }) => {
    await disconnectBitrix24(ctx.tx, ctx.tenantId, ctx.userId);
    return { ok: true };
  }),
  log: ownerProcedure.input(ZBitrix24LogQuery).query(({ ctx, input }) => listAttempts(ctx.tx, input)),
  retry: ownerProcedure.input(z.object({ leadId: z.uuid().optional() })).mutation(async ({ ctx, input }) => {
    const r = await retryNow(ctx.tx, ctx.tenantId, input);
    ctx.afterCommit(kickRelay);
    return r;
  }),
  backfills: ownerProcedure.query(({ ctx }) => listBackfills(ctx.tx)),
  startBackfill: ownerProcedure.input(ZBitrix24Backfill).mutation(async ({ ctx, input }) => {
    const b = await startBackfill(ctx.tx, ctx.tenantId, ctx.userId, input);
    ctx.afterCommit(kickRelay);
    return b;
  }),
});
