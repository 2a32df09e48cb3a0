// tRPC procedures called directly, as a signed-in member would through /api/trpc (no HTTP, same
// context: the session is resolved to a membership by the database on every call).
import type { Session } from "next-auth";
import type { Role } from "@/db/schema";
import { createCaller } from "@/lib/trpc/root";

export function callerFor(user: { userId: string; email?: string }, tenantId: string, role: Role = "owner") {
  const session = { user: { id: user.userId, email: user.email ?? "", name: "" }, tenantId, role, expires: new Date(Date.now() + 3600_000).toISOString() } as Session;
  return createCaller({ session, headers: new Headers(), locale: "ru" });
}
