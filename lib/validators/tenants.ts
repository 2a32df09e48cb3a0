import { z } from "zod";
import { DEFAULT_LOCALE } from "@/db/schema/enums";
import { ZEmail, ZLocale, ZPassword, ZRole, zText } from "./common";

export const ZSlug = zText()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, "must be 1-48 latin letters, digits or dashes");

export const ZTenantCreateSchema = z.object({
  name: zText().trim().min(1, "required").max(120),
  slug: ZSlug,
  ownerEmail: ZEmail,
  ownerPassword: ZPassword,
  ownerName: zText().trim().max(120).optional(),
  locale: ZLocale.default(DEFAULT_LOCALE),
});
export type TTenantCreate = z.infer<typeof ZTenantCreateSchema>;

export const ZUserCreateSchema = z.object({
  tenantSlug: ZSlug,
  email: ZEmail,
  password: ZPassword,
  role: ZRole,
  name: zText().trim().max(120).optional(),
});
export type TUserCreate = z.infer<typeof ZUserCreateSchema>;
