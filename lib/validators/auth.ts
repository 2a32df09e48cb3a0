import { z } from "zod";
import { ZEmail } from "./common";

export const ZLoginSchema = z.object({
  email: ZEmail,
  password: z.string().min(1, "required").max(200),
});
export type TLogin = z.infer<typeof ZLoginSchema>;
