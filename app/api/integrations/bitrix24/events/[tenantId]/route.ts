// POST /api/integrations/bitrix24/events/{tenantId} — Bitrix24 outbound events (ONCRMLEADUPDATE…),
// form-encoded as the portal sends them; checked against the tenant's application token.
import qs from "qs";
import { AppError, issuesFromZod } from "@/lib/errors";
import { bodyKind, parseJson, parseUrlEncoded, readLimited } from "@/lib/http/body";
import { NO_STORE, route } from "@/lib/http/route";
import { kickRelay } from "@/lib/jobs/relay";
import { acceptEvent } from "@/lib/integrations/bitrix24/inbound";
import { ZBitrix24Event } from "@/lib/validators/bitrix24";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route<{ tenantId: string }>({
  POST: async (request, { params }) => {
    const { tenantId } = await params;
    const kind = bodyKind(request.headers.get("content-type"));
    if (kind !== "urlencoded" && kind !== "json") throw new AppError("unsupported_media_type", "Send application/x-www-form-urlencoded, as Bitrix24 does");
    const bytes = await readLimited(request);
    // PHP-style keys (`auth[application_token]`) become nested objects; invalid bytes stay visible
    // to the schema, which refuses them by field.
    const raw = kind === "json" ? parseJson(bytes) : qs.parse(Object.fromEntries(parseUrlEncoded(bytes)), { depth: 4, parameterLimit: 100, allowPrototypes: false });
    const parsed = ZBitrix24Event.safeParse(raw);
    if (!parsed.success) throw new AppError("validation_error", "Not a Bitrix24 event", { issues: issuesFromZod(parsed.error) });
    const { queued } = await acceptEvent(tenantId, parsed.data);
    if (queued) kickRelay();
    return Response.json({ ok: true, queued }, { headers: NO_STORE });
  },
});
