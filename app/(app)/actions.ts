"use server";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { signOut, unstable_update, getMembershipRole } from "@/lib/auth";
import { ZUuid } from "@/lib/validators/common";
import { protectedAction } from "@/lib/actions";
import { withUser } from "@/db/tenant";
import { users } from "@/db/schema";
import { AppError } from "@/lib/errors";

export async function logout(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}

export const switchTenant = protectedAction(z.object({ tenantId: ZUuid }), async ({ tenantId }, { userId }) => {
  const role = await getMembershipRole(userId, tenantId);
  if (!role) throw new AppError("forbidden", "Not a member of this tenant");
  await unstable_update({ tenantId });
  await withUser(userId, (tx) => tx.update(users).set({ lastTenantId: tenantId }).where(eq(users.id, userId)));
  return { tenantId, role };
});
