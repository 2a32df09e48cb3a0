import { z } from "zod";
import { LOCALES, ROLES } from "@/db/schema/enums";

/**
 * Text Postgres can store and that is valid Unicode: no U+0000 (Postgres `text` cannot hold it),
 * no unpaired UTF-16 surrogate (JSON's `"\ud800"`, or an invalid UTF-8 byte the body decoder kept
 * as one — see lib/http/body.ts). Every string that enters the app passes this check first.
 */
export function isStorableText(s: string): boolean {
  return !s.includes("\u0000") && s.isWellFormed();
}

export const UNSTORABLE_TEXT = "contains characters that cannot be stored (NUL, invalid UTF-8 or an unpaired surrogate)";

/**
 * The base of every string schema (ESLint forbids a bare `z.string()` elsewhere): a string that
 * passes `isStorableText`, checked before anything else so a length or format message never hides it.
 */
export function zText() {
  // eslint-disable-next-line no-restricted-syntax -- the one place a bare string schema is made
  return z.string().refine(isStorableText, { message: UNSTORABLE_TEXT, abort: true });
}

export const ZEmail = zText()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "must be a valid e-mail address" }).max(254));

export const ZPassword = zText().min(8, "must be at least 8 characters").max(200);

export const ZUuid = z.uuid();

export const ZRole = z.enum(ROLES);
export type TRole = z.infer<typeof ZRole>;

export const ZLocale = z.enum(LOCALES);
export type TLocale = z.infer<typeof ZLocale>;

/** An http(s) URL (thank-you pages and the like). */
// eslint-disable-next-line no-restricted-syntax -- the input is a zText() already
export const ZHttpUrl = zText().pipe(z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).max(2000));
