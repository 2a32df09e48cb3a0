/** Typed error codes shared by route handlers, tRPC, server actions and the CLI. */
export const ERROR_STATUS = {
  validation_error: 400,
  invalid_json: 400,
  unauthorized: 401,
  invalid_api_key: 401,
  invalid_credentials: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  slug_taken: 409,
  email_taken: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type ErrorIssue = { path: string; message: string };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues?: ErrorIssue[];
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, opts: { issues?: ErrorIssue[]; retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.issues = opts.issues;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  /** The public shape from the contract; database details never leave the server. */
  toJSON(): { error: { code: ErrorCode; message: string; issues?: ErrorIssue[] } } {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** zod issues → the contract's `issues` (dotted paths). */
export function issuesFromZod(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): ErrorIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message }));
}

/** Postgres error codes worth mapping (unique violation etc.). */
export function pgErrorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 5; depth++) {
    if (typeof cur === "object" && cur !== null && "code" in cur && typeof (cur as { code: unknown }).code === "string") {
      const code = (cur as { code: string }).code;
      if (/^[0-9A-Z]{5}$/.test(code)) return code;
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Postgres refused a value (class 22: bad text encoding, out-of-range date or number, malformed
 * uuid; 54000: a key too long to index). Validation should have caught it first; when it did not,
 * this is still the client's input, a 400 — never a 500.
 */
export function isRejectedInput(e: unknown): boolean {
  const code = pgErrorCode(e);
  return code !== undefined && (code.startsWith("22") || code === "54000");
}

/** True for errors that mean "the database is not reachable right now" (retry later). */
export function isDbUnavailable(e: unknown): boolean {
  const code = pgErrorCode(e);
  if (code && (code.startsWith("08") || code === "57P01" || code === "57P03" || code === "53300")) return true;
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 5; depth++) {
    const c = (cur as { code?: unknown }).code;
    if (c === "ECONNREFUSED" || c === "ECONNRESET" || c === "ETIMEDOUT" || c === "CONNECT_TIMEOUT" || c === "CONNECTION_CLOSED" || c === "CONNECTION_ENDED" || c === "CONNECTION_DESTROYED") return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
