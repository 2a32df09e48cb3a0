import { z } from "zod";

export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "must be a valid e-mail address" }).max(254));

export const ZPassword = z.string().min(8, "must be at least 8 characters").max(200);

export const ZUuid = z.uuid();

export const ZRole = z.enum(["owner", "manager", "sales"]);
export type TRole = z.infer<typeof ZRole>;

export const ZLocale = z.enum(["ru", "en"]);
export type TLocale = z.infer<typeof ZLocale>;
