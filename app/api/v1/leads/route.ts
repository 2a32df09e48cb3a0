// GET /api/v1/leads — an integrator lists its tenant's leads (secret key), newest first.
import { withSecretKey } from "@/lib/http/auth";
import { NO_STORE, readQuery, route } from "@/lib/http/route";
import { API_VIEWER, findLeads } from "@/lib/services/leads";
import { ZApiLeadListQuery } from "@/lib/validators/leads";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  GET: withSecretKey(async (request, { tx }) => {
    const q = readQuery(request, ZApiLeadListQuery);
    const page = await findLeads(tx, API_VIEWER, {
      limit: q.limit,
      status: q.status,
      cursor: q.cursor,
      updatedSince: q.updated_since ? new Date(q.updated_since) : undefined,
    });
    return Response.json({ data: page.items, nextCursor: page.nextCursor }, { headers: NO_STORE });
  }),
});
