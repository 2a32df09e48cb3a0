// GET /api/v1/leads — an integrator lists its tenant's leads (secret key), newest first.
import { listLeadsResponse } from "@/lib/services/api/leads";

export const dynamic = "force-dynamic";

export const GET = (request: Request) => listLeadsResponse(request);
