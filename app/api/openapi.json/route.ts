// GET /api/openapi.json — the OpenAPI 3.1 description of the REST API, from the route schemas.
import { buildOpenApiDocument } from "@/lib/openapi";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  const origin = new URL(request.url).origin;
  return Response.json(buildOpenApiDocument(origin), { headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" } });
}
