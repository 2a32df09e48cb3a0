import { z } from "zod";
import { createTRPCRouter, roleProcedure } from "../init";
import { kickRelay } from "@/lib/jobs/relay";
import { findImports, getImport, IMPORT_TARGETS, previewImport, startImport } from "@/lib/services/csv/import";
import { zText } from "@/lib/validators/common";

// Importing is a manager's or owner's job: it creates leads in bulk.
const importer = roleProcedure("owner", "manager");

export const importsRouter = createTRPCRouter({
  preview: importer
    .input(z.object({ filename: zText().trim().min(1).max(200), text: zText().max(10_000_000, "the file must be at most 10 MB") }))
    .mutation(({ ctx, input }) => previewImport(ctx.tx, ctx.tenantId, ctx.userId, input.filename, input.text)),
  start: importer
    .input(z.object({ id: z.uuid(), mapping: z.array(z.enum(IMPORT_TARGETS)).max(200) }))
    .mutation(async ({ ctx, input }) => {
      await startImport(ctx.tx, ctx.tenantId, input.id, input.mapping);
      // After the commit (the procedure's transaction), so the relay sees the job.
      ctx.afterCommit(kickRelay);
      return { id: input.id };
    }),
  get: importer.input(z.object({ id: z.uuid() })).query(({ ctx, input }) => getImport(ctx.tx, input.id)),
  recent: importer.query(({ ctx }) => findImports(ctx.tx)),
});
