import { z } from "zod";
import { KEY_KINDS } from "@/db/schema/enums";
import { ZHttpUrl, zText } from "./common";
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

export const ZOrigin = zText()
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
  name: zText().trim().min(1, "required").max(120),
  origins: z.array(ZOrigin).max(50).default([]),
  thankYouUrl: ZHttpUrl.nullish(),
});
export type TSiteCreate = z.infer<typeof ZSiteCreateSchema>;

export const ZSiteCreateCliSchema = ZSiteCreateSchema.extend({ tenantSlug: ZSlug });

export const ZSiteRateLimits = z.object({
  perIpPerMinute: z.number().int().min(1, "at least 1").max(10_000),
  perSitePerMinute: z.number().int().min(1, "at least 1").max(100_000),
  secretPerMinute: z.number().int().min(1, "at least 1").max(100_000).nullable(),
});

export const ZSiteUpdateSchema = z.object({
  siteId: z.uuid(),
  name: zText().trim().min(1, "required").max(120).optional(),
  origins: z.array(ZOrigin).max(50).optional(),
  thankYouUrl: ZHttpUrl.nullable().optional(),
  rateLimits: ZSiteRateLimits.optional(),
});
export type TSiteUpdate = z.infer<typeof ZSiteUpdateSchema>;

export const ZSiteKeyActionSchema = z.object({ siteId: z.uuid(), kind: z.enum(KEY_KINDS) });
export const ZKeyRevokeSchema = z.object({ keyId: z.uuid() });
