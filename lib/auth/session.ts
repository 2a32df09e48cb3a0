import "server-only";
import { cache } from "react";
import type { Session } from "next-auth";
import type { Role } from "@/db/schema";
import { auth, findUserTenants, type TenantChoice } from "./index";

/** A signed-in member working in one tenant: who, where, with which role (re-read from the database). */
export type TenantSession = {
  userId: string;
  name: string | null;
  email: string;
  tenantId: string;
  role: Role;
  timezone: string;
  /** Takes new leads now (round-robin). */
  available: boolean;
  /** Every tenant the user belongs to (the switcher). */
  tenants: TenantChoice[];
};

/**
 * The one resolver of session → membership → tenant, for pages, tRPC, server actions and route
 * handlers alike. The membership is read from the database every time, so a removed or demoted
 * member loses access at once, whatever the session cookie still says.
 */
export async function resolveTenantSession(session: Session | null): Promise<TenantSession | null> {
  const userId = session?.user?.id;
  const tenantId = session?.tenantId;
  if (!userId || !tenantId) return null;
  const tenants = await findUserTenants(userId);
  const active = tenants.find((t) => t.tenantId === tenantId);
  if (!active) return null;
  return {
    userId,
    name: session.user?.name ?? null,
    email: session.user?.email ?? "",
    tenantId,
    role: active.role,
    timezone: active.timezone,
    available: active.available,
    tenants,
  };
}

/** The current request's tenant session (once per request: the layout and the page share it). */
export const getTenantSession = cache(async (): Promise<TenantSession | null> => resolveTenantSession(await auth()));
