// GET|PATCH /api/v1/leads/{id} — one lead of the key's tenant; PATCH changes status, assignee or category.
import { withSecretKey } from "@/lib/http/auth";
import { NO_STORE, readJson, route } from "@/lib/http/route";
import { API_VIEWER, getLeadDto, updateLead } from "@/lib/services/leads";
import { ZLeadPatch } from "@/lib/validators/leads";

export const dynamic = "force-dynamic";

type Params = { id: string };

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route<Params>({
  GET: withSecretKey(async (_request, { tx, params }) => Response.json(await getLeadDto(tx, API_VIEWER, params.id), { headers: NO_STORE })),
  PATCH: withSecretKey(async (request, { tx, params }) => {
    const patch = await readJson(request, ZLeadPatch);
    return Response.json(await updateLead(tx, API_VIEWER, params.id, patch, null), { headers: NO_STORE });
  }),
});
