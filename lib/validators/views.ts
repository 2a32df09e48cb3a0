import { z } from "zod";
import { zText } from "./common";

/** A saved view of the leads list: a name and the list's URL query (filters and sort). */
export const ZSavedViewCreate = z.object({
  name: zText().trim().min(1, "required").max(60, "must be at most 60 characters"),
  query: zText().max(2000, "too long"),
});
export type TSavedViewCreate = z.infer<typeof ZSavedViewCreate>;

export const ZSavedViewRef = z.object({ id: z.uuid() });
