import { z } from "zod";
import { ZEmail, zText } from "./common";

export const ZLoginSchema = z.object({
  email: ZEmail,
  password: zText().min(1, "required").max(200),
});
export type TLogin = z.infer<typeof ZLoginSchema>;
