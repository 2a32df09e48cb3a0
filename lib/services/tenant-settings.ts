import "server-only";
import { eq } from "drizzle-orm";
import { DEFAULT_TENANT_SETTINGS, DEFAULT_WORKING_HOURS, tenants, type TenantSettings } from "@/db/schema";
import type { Tx } from "@/db/tenant";
import { AppError } from "@/lib/errors";

/** The tenant's settings with every default filled in (older rows lack the newer keys). */
export async function getTenantSettings(tx: Tx, tenantId: string): Promise<TenantSettings & { timezone: string }> {
  const [row] = await tx.select({ settings: tenants.settings, timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  if (!row) throw new AppError("not_found", "No such tenant");
  return { ...DEFAULT_TENANT_SETTINGS, ...row.settings, workingHours: { ...DEFAULT_WORKING_HOURS, ...row.settings.workingHours }, timezone: row.timezone };
}

