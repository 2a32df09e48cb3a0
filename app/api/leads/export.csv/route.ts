// GET /api/leads/export.csv — the signed-in member's current list view (its filters) as a CSV download.
import { withSession } from "@/lib/http/auth";
import { route } from "@/lib/http/route";
import { localeFromHeaders } from "@/lib/i18n/locale";
import { exportLeadsCsv } from "@/lib/services/csv/export";
import { leadFiltersFromUrl } from "@/lib/validators/leads";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  GET: withSession(async (request, { session }) => {
    const url = new URL(request.url);
    const locale = localeFromHeaders(request.headers);
    const filters = leadFiltersFromUrl(url.searchParams);
    const day = new Date().toISOString().slice(0, 10);
    const stream = exportLeadsCsv(session.tenantId, { userId: session.userId, role: session.role }, filters, locale);
    return new Response(stream, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="leads-${day}.csv"`,
        "cache-control": "no-store",
      },
    });
  }),
});
