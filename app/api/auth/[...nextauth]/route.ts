// GET|POST /api/auth/* — next-auth (credentials login, session, logout).
import { handlers } from "@/lib/auth";

export const { GET, POST } = handlers;
