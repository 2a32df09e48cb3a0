// GET /api/openapi.json — the OpenAPI 3.1 description of the REST API, from the route schemas.
import { route } from "@/lib/http/route";
import { buildOpenApiDocument } from "@/lib/openapi";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  GET(request) {
    const origin = new URL(request.url).origin;
    return Response.json(buildOpenApiDocument(origin), { headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" } });
  },
});
