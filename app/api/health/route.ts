// GET /api/health — liveness plus one database round trip (load balancers, the start script).
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { NO_STORE, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  async GET() {
    try {
      await getDb().execute(sql`select 1`);
      return Response.json({ status: "ok", db: "ok" }, { headers: NO_STORE });
    } catch {
      return Response.json({ status: "degraded", db: "down" }, { status: 503, headers: { ...NO_STORE, "retry-after": "5" } });
    }
  },
});
