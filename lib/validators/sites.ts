import { z } from "zod";
import { ZSlug } from "./tenants";

/** `https://example.ru/path` → `https://example.ru`; the form an `Origin` header has. */
export function normaliseOrigin(input: string): string | null {
  try {
    const u = new URL(input.trim());
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    return u.origin;
  } catch {
    return null;
  }
}

export const ZOrigin = z
  .string()
  .trim()
  .max(300)
  .transform((v, ctx) => {
    const o = normaliseOrigin(v);
    if (!o) {
      ctx.addIssue({ code: "custom", message: "must be an http(s) URL such as https://example.ru" });
      return z.NEVER;
    }
    return o;
  });

export const ZSiteCreateSchema = z.object({
  name: z.string().trim().min(1, "required").max(120),
  origins: z.array(ZOrigin).max(50).default([]),
  thankYouUrl: z.url({ protocol: /^https?$/ }).max(2000).nullish(),
});
export type TSiteCreate = z.infer<typeof ZSiteCreateSchema>;

export const ZSiteCreateCliSchema = ZSiteCreateSchema.extend({ tenantSlug: ZSlug });
