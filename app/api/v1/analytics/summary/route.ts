// GET /api/v1/analytics/summary — an integrator reads the period's figures (secret key), as the contract defines them.
import { withSecretKey } from "@/lib/http/auth";
import { NO_STORE, readQuery, route } from "@/lib/http/route";
import { getSummary } from "@/lib/services/analytics";
import { API_VIEWER } from "@/lib/services/leads";
import { ZApiAnalyticsQuery } from "@/lib/validators/analytics";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  GET: withSecretKey(async (request, { tx, site }) => {
    const period = readQuery(request, ZApiAnalyticsQuery);
    return Response.json(await getSummary(tx, site.tenantId, API_VIEWER, period), { headers: NO_STORE });
  }),
});
