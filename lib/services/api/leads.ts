import "server-only";
import { withTenant } from "@/db/tenant";
import { AppError, issuesFromZod } from "@/lib/errors";
import { errorResponse } from "@/lib/http";
import { API_VIEWER, findLeads, getLeadDto, updateLead } from "@/lib/services/leads";
import { ZApiLeadListQuery, ZLeadPatch } from "@/lib/validators/leads";
import { readLimited } from "@/lib/services/intake/body";
import { authenticateSecretKey } from "./auth";

const NO_STORE = { "cache-control": "no-store" };

export async function listLeadsResponse(request: Request): Promise<Response> {
  try {
    const site = await authenticateSecretKey(request);
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const q = ZApiLeadListQuery.safeParse(params);
    if (!q.success) throw new AppError("validation_error", "Invalid query", { issues: issuesFromZod(q.error) });
    const page = await withTenant(site.tenantId, (tx) =>
      findLeads(tx, API_VIEWER, {
        limit: q.data.limit,
        status: q.data.status,
        cursor: q.data.cursor,
        updatedSince: q.data.updated_since ? new Date(q.data.updated_since) : undefined,
      }),
    );
    return Response.json({ data: page.items, nextCursor: page.nextCursor }, { headers: NO_STORE });
  } catch (e) {
    return errorResponse(e);
  }
}

export async function getLeadResponse(request: Request, id: string): Promise<Response> {
  try {
    const site = await authenticateSecretKey(request);
    const lead = await withTenant(site.tenantId, (tx) => getLeadDto(tx, API_VIEWER, id));
    return Response.json(lead, { headers: NO_STORE });
  } catch (e) {
    return errorResponse(e);
  }
}

export async function patchLeadResponse(request: Request, id: string): Promise<Response> {
  try {
    const site = await authenticateSecretKey(request);
    if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
      throw new AppError("unsupported_media_type", "Send application/json");
    }
    const bytes = await readLimited(request);
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new AppError("invalid_json", "The body is not valid JSON");
    }
    const patch = ZLeadPatch.safeParse(raw);
    if (!patch.success) throw new AppError("validation_error", "Invalid fields", { issues: issuesFromZod(patch.error) });
    const lead = await withTenant(site.tenantId, (tx) => updateLead(tx, API_VIEWER, id, patch.data, null));
    return Response.json(lead, { headers: NO_STORE });
  } catch (e) {
    return errorResponse(e);
  }
}
