// POST /api/intake — a lead from a website form (public key) or a server (secret key).
import { handleIntake, handleIntakePreflight } from "@/lib/services/intake/http";

export const dynamic = "force-dynamic";

export const POST = (request: Request) => handleIntake(request);
export const OPTIONS = (request: Request) => handleIntakePreflight(request);
