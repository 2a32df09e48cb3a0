import { z } from "zod";
import { ZEmail, ZPassword, ZRole } from "./common";

export const ZSlug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, "must be 1-48 latin letters, digits or dashes");

export const ZTenantCreateSchema = z.object({
  name: z.string().trim().min(1, "required").max(120),
  slug: ZSlug,
  ownerEmail: ZEmail,
  ownerPassword: ZPassword,
  ownerName: z.string().trim().max(120).optional(),
  locale: z.enum(["ru", "en"]).default("ru"),
});
export type TTenantCreate = z.infer<typeof ZTenantCreateSchema>;

export const ZUserCreateSchema = z.object({
  tenantSlug: ZSlug,
  email: ZEmail,
  password: ZPassword,
  role: ZRole,
  name: z.string().trim().max(120).optional(),
});
export type TUserCreate = z.infer<typeof ZUserCreateSchema>;
