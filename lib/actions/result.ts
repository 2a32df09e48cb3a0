import type { ErrorCode, ErrorIssue } from "@/lib/errors";

/** What every server action returns (importable by client components). */
export type ActionResult<R> = { ok: true; data: R } | { ok: false; error: { code: ErrorCode; message: string; issues?: ErrorIssue[] } };
