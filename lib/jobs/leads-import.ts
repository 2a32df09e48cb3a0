import "server-only";
import { z } from "zod";
import { runImport } from "@/lib/services/csv/import";
import { defineJob } from "./define";

/** A confirmed CSV import: rows through the intake rules, progress on the import's row. */
export const leadsImport = defineJob({
  id: "leads:import",
  payload: z.object({ tenantId: z.uuid(), importId: z.uuid() }),
  async handler({ tenantId, importId }) {
    await runImport(tenantId, importId);
  },
});
