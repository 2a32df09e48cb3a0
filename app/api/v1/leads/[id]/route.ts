// GET|PATCH /api/v1/leads/{id} — one lead of the key's tenant; PATCH changes status/assignee.
import { getLeadResponse, patchLeadResponse } from "@/lib/services/api/leads";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Ctx) {
  return getLeadResponse(request, (await params).id);
}

export async function PATCH(request: Request, { params }: Ctx) {
  return patchLeadResponse(request, (await params).id);
}
