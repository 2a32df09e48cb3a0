// POST /api/v1/leads/{id}/notes — an integration adds a note to a lead's timeline (secret key).
import { withSecretKey } from "@/lib/http/auth";
import { NO_STORE, readJson, route } from "@/lib/http/route";
import { addNote, API_VIEWER } from "@/lib/services/leads";
import { ZNoteCreate } from "@/lib/validators/leads";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route<{ id: string }>({
  POST: withSecretKey(async (request, { tx, params }) => {
    const { text } = await readJson(request, ZNoteCreate);
    return Response.json(await addNote(tx, API_VIEWER, params.id, text, null), { status: 201, headers: NO_STORE });
  }),
});
