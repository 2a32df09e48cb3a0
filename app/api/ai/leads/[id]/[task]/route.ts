// POST /api/ai/leads/{id}/summary | reply — the lead page streams the AI's summary (kept as the
// lead's summary when it finishes) or a first-reply draft, for a member who may see the lead.
import { withTenant } from "@/db/tenant";
import { AppError } from "@/lib/errors";
import { withSession } from "@/lib/http/auth";
import { route } from "@/lib/http/route";
import { localeFromHeaders } from "@/lib/i18n/locale";
import { streamLeadText } from "@/lib/ai/stream";
import { promptForViewer, saveSummary } from "@/lib/services/ai";
import { UUID_RE } from "@/db/schema/enums";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route<{ id: string; task: string }>({
  POST: withSession(async (request, { session, tx, params }) => {
    const { id, task } = params;
    if (task !== "summary" && task !== "reply") throw new AppError("not_found", "No such AI task");
    if (!UUID_RE.test(id)) throw new AppError("not_found", "Lead not found");
    const viewer = { userId: session.userId, role: session.role };
    // The summary speaks the reader's language; the reply the lead's own (the model detects it).
    const prompt = await promptForViewer(tx, session.tenantId, viewer, id);
    const tenantLanguage = prompt.writeIn;
    if (task === "reply") delete prompt.writeIn;
    else prompt.writeIn = localeFromHeaders(request.headers);
    // Kept as the lead's summary only when it is in the tenant's language (the contract's `ai.summary`).
    const keep = task === "summary" && prompt.writeIn === tenantLanguage;
    return streamLeadText(task, prompt, keep ? (text) => withTenant(session.tenantId, (t) => saveSummary(t, id, text), { userId: session.userId }) : undefined);
  }),
});
