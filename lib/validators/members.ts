import { z } from "zod";
import { ZEmail, ZPassword, ZRole, ZUuid, zText } from "./common";

/** Settings → Users: invite someone by e-mail, with a name and a role. */
export const ZMemberInviteSchema = z.object({
  email: ZEmail,
  name: zText().trim().max(120).default(""),
  role: ZRole,
});
export type TMemberInvite = z.infer<typeof ZMemberInviteSchema>;

export const ZMemberRoleSchema = z.object({ userId: ZUuid, role: ZRole });
export type TMemberRole = z.infer<typeof ZMemberRoleSchema>;

export const ZMemberActiveSchema = z.object({ userId: ZUuid, active: z.boolean() });
export type TMemberActive = z.infer<typeof ZMemberActiveSchema>;

/**
 * The reasons a member change is refused, as sent in an error's `issues[].message`: stable, so
 * the UI can say them in the user's language.
 */
export const MEMBER_REFUSALS = {
  alreadyMember: "already a member",
  deactivatedMember: "already a member (deactivated)",
  self: "not on your own membership",
  lastOwner: "the company must keep an active owner",
  notMember: "not a member",
  passwordsDiffer: "passwords do not match",
  samePassword: "the same as the one-time password",
} as const;

/** The first sign-in with a one-time password: a password of one's own, typed twice. */
export const ZPasswordChangeSchema = z
  .object({ password: ZPassword, confirm: zText().max(200) })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: MEMBER_REFUSALS.passwordsDiffer });
export type TPasswordChange = z.infer<typeof ZPasswordChangeSchema>;

/** What Settings → Users lists (dates as ISO strings: it crosses to a client component). */
export type TMemberView = {
  userId: string;
  email: string;
  name: string;
  role: z.infer<typeof ZRole>;
  createdAt: string;
  deactivatedAt: string | null;
  /** Invited with a one-time password that is not changed yet. */
  pendingPassword: boolean;
};

/** The invite's answer: the one-time password only when a new login was made (shown once). */
export type TMemberInviteResult = { userId: string; email: string; created: boolean; oneTimePassword: string | null };
