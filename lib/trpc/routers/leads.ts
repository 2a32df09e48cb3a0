import { z } from "zod";
import { createTRPCRouter, tenantProcedure } from "../init";
import {
  ZLead,
  ZCategoryKey,
  ZLeadAssign,
  ZLeadBulkChange,
  ZLeadContactEdit,
  ZLeadDetail,
  ZLeadFilters,
  ZLeadListInput,
  ZLeadPage,
  ZLeadRef,
  ZLeadSpam,
  ZLeadStatusChange,
  ZNote,
  ZNoteAdd,
  ZNoteEdit,
  ZNoteRef,
  ZNextStepSet,
} from "@/lib/validators/leads";
import { zText } from "@/lib/validators/common";
import {
  addNote,
  bulkChangeLeads,
  changeLead,
  completeNextStep,
  countLeads,
  countToday,
  deleteNote,
  editNote,
  findBoard,
  findLeads,
  findNeighbours,
  findToday,
  getLead,
  markContacted,
  setNextStep,
  updateContact,
} from "@/lib/services/leads";
import { findStages } from "@/lib/services/pipeline";
import { findMembers } from "@/lib/services/tenants";
import { findSiteOptions } from "@/lib/services/sites";
import { getTenantSettings } from "@/lib/services/settings";
import { deleteView, findViews, saveView } from "@/lib/services/views";
import { ZSavedViewCreate, ZSavedViewRef } from "@/lib/validators/views";
import { requestAnalysis } from "@/lib/services/ai";
import { kickRelay } from "@/lib/jobs/relay";

export const leadsRouter = createTRPCRouter({
  find: tenantProcedure.input(ZLeadListInput).output(ZLeadPage).query(({ ctx, input }) => findLeads(ctx.tx, ctx.viewer, input)),
  count: tenantProcedure.input(ZLeadFilters.optional()).query(({ ctx, input }) => countLeads(ctx.tx, ctx.viewer, input ?? {})),
  get: tenantProcedure.input(z.object({ id: zText() })).output(ZLeadDetail).query(({ ctx, input }) => getLead(ctx.tx, ctx.viewer, input.id)),
  board: tenantProcedure.input(ZLeadFilters.pick({ assignee: true, channel: true }).optional()).query(({ ctx, input }) => findBoard(ctx.tx, ctx.viewer, input ?? {})),
  stages: tenantProcedure.query(({ ctx }) => findStages(ctx.tx, ctx.locale)),
  /** The previous and next lead in a view of the list (the lead page's arrows). */
  neighbours: tenantProcedure
    .input(ZLeadListInput.omit({ cursor: true, limit: true }).extend({ id: z.uuid() }))
    .query(({ ctx, input: { id, ...view } }) => findNeighbours(ctx.tx, ctx.viewer, view, id)),
  /** What the list's filters offer: the tenant's sites and AI categories. */
  filterOptions: tenantProcedure.query(async ({ ctx }) => ({
    sites: await findSiteOptions(ctx.tx),
    categories: (await getTenantSettings(ctx.tx, ctx.tenantId)).aiCategories,
  })),
  /** The first-response timer's rules (the lead page's live timer counts working time only). */
  responseRules: tenantProcedure.query(async ({ ctx }) => {
    const s = await getTenantSettings(ctx.tx, ctx.tenantId);
    return { workingHours: s.workingHours!, firstResponseTargetMinutes: s.firstResponseTargetMinutes, timezone: s.timezone };
  }),
  views: tenantProcedure.query(({ ctx }) => findViews(ctx.tx, ctx.userId)),
  saveView: tenantProcedure.input(ZSavedViewCreate).mutation(({ ctx, input }) => saveView(ctx.tx, ctx.tenantId, ctx.userId, input)),
  deleteView: tenantProcedure.input(ZSavedViewRef).mutation(({ ctx, input }) => deleteView(ctx.tx, ctx.userId, input.id)),
  /** Who a lead can be assigned to: the tenant's members. */
  assignees: tenantProcedure.query(async ({ ctx }) =>
    (await findMembers(ctx.tx, ctx.tenantId)).map(({ userId, name, email, role }) => ({ userId, name, email, role })),
  ),

  setStatus: tenantProcedure
    .input(ZLeadStatusChange)
    .output(ZLead)
    .mutation(({ ctx, input }) => changeLead(ctx.tx, ctx.viewer, input.id, { status: input.status, reason: input.reason ?? null }, ctx.userId)),
  assign: tenantProcedure.input(ZLeadAssign).output(ZLead).mutation(({ ctx, input }) => changeLead(ctx.tx, ctx.viewer, input.id, { assigneeId: input.assigneeId }, ctx.userId)),
  bulk: tenantProcedure.input(ZLeadBulkChange).mutation(({ ctx, input: { ids, change } }) =>
    bulkChangeLeads(
      ctx.tx,
      ctx.viewer,
      ids,
      change.kind === "assign"
        ? { assigneeId: change.assigneeId }
        : change.kind === "status"
          ? { status: change.status, reason: change.reason ?? null }
          : change.kind === "category"
            ? { category: change.category }
            : { spam: change.spam },
      ctx.userId,
    ),
  ),
  /** A person's category: kept, wins over the model's, and teaches it. */
  setCategory: tenantProcedure
    .input(z.object({ id: z.uuid(), category: ZCategoryKey }))
    .output(ZLead)
    .mutation(({ ctx, input }) => changeLead(ctx.tx, ctx.viewer, input.id, { category: input.category }, ctx.userId)),
  /** Run the AI's analysis of the lead again. */
  reanalyse: tenantProcedure.input(ZLeadRef).mutation(async ({ ctx, input }) => {
    await requestAnalysis(ctx.tx, ctx.tenantId, ctx.viewer, input.id);
    ctx.afterCommit(kickRelay);
    return { queued: true };
  }),
  setSpam: tenantProcedure.input(ZLeadSpam).output(ZLead).mutation(({ ctx, input }) => changeLead(ctx.tx, ctx.viewer, input.id, { spam: input.spam }, ctx.userId)),
  contacted: tenantProcedure.input(ZLeadRef).output(ZLead).mutation(({ ctx, input }) => markContacted(ctx.tx, ctx.viewer, input.id, ctx.userId)),
  updateContact: tenantProcedure
    .input(ZLeadContactEdit)
    .output(ZLead)
    .mutation(({ ctx, input: { id, ...fields } }) => updateContact(ctx.tx, ctx.viewer, id, fields, ctx.userId)),

  addNote: tenantProcedure.input(ZNoteAdd).output(ZNote).mutation(({ ctx, input }) => addNote(ctx.tx, ctx.viewer, input.leadId, input.text, ctx.userId)),
  editNote: tenantProcedure.input(ZNoteEdit).output(ZNote).mutation(({ ctx, input }) => editNote(ctx.tx, ctx.viewer, input.noteId, input.text)),
  deleteNote: tenantProcedure.input(ZNoteRef).mutation(({ ctx, input }) => deleteNote(ctx.tx, ctx.viewer, input.noteId)),

  setNextStep: tenantProcedure.input(ZNextStepSet).mutation(({ ctx, input }) => setNextStep(ctx.tx, ctx.viewer, input, ctx.userId)),
  completeNextStep: tenantProcedure.input(ZLeadRef).mutation(({ ctx, input }) => completeNextStep(ctx.tx, ctx.viewer, input.id, ctx.userId)),
  today: tenantProcedure.query(({ ctx }) => findToday(ctx.tx, ctx.viewer)),
  todayCount: tenantProcedure.query(({ ctx }) => countToday(ctx.tx, ctx.viewer)),
});
