"use server";
import { tenantAction } from "@/lib/actions";
import { setOwnPassword } from "@/lib/services/members";
import { ZPasswordChangeSchema } from "@/lib/validators/members";

// The first sign-in with an invite's one-time password: through the tenant wrapper, so a member
// deactivated meanwhile cannot use it either.
export const changePasswordAction = tenantAction(ZPasswordChangeSchema, async ({ password }, { tx, tenantId, userId }) => {
  await setOwnPassword(tx, tenantId, userId, password);
  return { next: "/leads" as const };
});
