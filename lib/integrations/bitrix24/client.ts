import "server-only";
import qs from "qs";
import { env } from "@/lib/env";

// A thin Bitrix24 REST client over an incoming webhook (../shared/BITRIX24_CONTRACT.md): one HTTP
// request per call, JSON bodies, a timeout on every request, errors classified by HTTP status +
// `error` + `error_description` (§6). It never retries: the sync queue owns retries, because a
// retried `crm.lead.add` after a lost answer is a duplicate lead (§9).

export type Bitrix24ErrorKind =
  /** 503 QUERY_LIMIT_EXCEEDED: the portal's bucket is full — wait and retry. */
  | "rate_limited"
  /** 429 OPERATION_TIME_LIMIT: this method's time budget is spent — pause it. */
  | "operation_limit"
  /** 503 OVERLOAD_LIMIT: blocked by Bitrix support — retry much later. */
  | "overload"
  /** Timeouts, dropped connections, 5xx, proxy pages: retry with backoff. */
  | "transient"
  /** The webhook is refused (wrong/regenerated code, no `crm` scope, plan, rights): stop. */
  | "auth"
  /** The entity is gone (deleted in the CRM): unlink, do not retry. */
  | "not_found"
  /** The portal refused this payload: a permanent failure for it. */
  | "validation"
  /** The URL does not name a webhook method (or the portal is deleted): stop. */
  | "config";

const RETRYABLE: ReadonlySet<Bitrix24ErrorKind> = new Set(["rate_limited", "operation_limit", "overload", "transient"]);
/** Kinds that mean the whole connection is unusable until the owner fixes it. */
const BREAKING: ReadonlySet<Bitrix24ErrorKind> = new Set(["auth", "config"]);

export class Bitrix24Error extends Error {
  constructor(
    readonly kind: Bitrix24ErrorKind,
    readonly status: number | null,
    readonly code: string,
    readonly description: string,
  ) {
    super(description || code || kind);
    this.name = "Bitrix24Error";
  }
  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
  get breaksConnection(): boolean {
    return BREAKING.has(this.kind);
  }
  /** One line for the sync log and the owner ("400 Not found", "503 QUERY_LIMIT_EXCEEDED: Too many requests"). */
  get summary(): string {
    const head = [this.status ?? "", this.code].filter(Boolean).join(" ");
    const text = this.description ? this.description.replace(/<br\s*\/?>/gi, "; ") : "";
    return [head, text].filter(Boolean).join(": ") || this.kind;
  }
}

const NOT_FOUND = /^(not found|lead is not found|id is not defined or invalid\.?)$/i;

/** §6: the table of errors, by code first (statuses vary between portals), then status + text. */
export function classify(status: number | null, code: string, description: string): Bitrix24ErrorKind {
  switch (code) {
    case "QUERY_LIMIT_EXCEEDED":
      return "rate_limited";
    case "OPERATION_TIME_LIMIT":
      return "operation_limit";
    case "OVERLOAD_LIMIT":
      return "overload";
    case "INVALID_CREDENTIALS":
    case "NO_AUTH_FOUND":
    case "insufficient_scope":
    case "ACCESS_DENIED":
    case "expired_token":
    case "invalid_token":
      return "auth";
    case "ERROR_METHOD_NOT_FOUND":
    case "PORTAL_DELETED":
      return "config";
    case "INTERNAL_SERVER_ERROR":
    case "ERROR_UNEXPECTED_ANSWER":
      return "transient";
  }
  if (status === null || status >= 500 || status === 408 || status === 425) return "transient";
  if (status === 401 || status === 403) return "auth";
  if (status === 404 || status === 410) return "config";
  const text = description.trim();
  if (NOT_FOUND.test(text)) return "not_found";
  if (/^access denied\.?$/i.test(text)) return "auth";
  if (status === 429) return "operation_limit";
  return "validation";
}

export type Bitrix24Time = { start?: number; finish?: number; duration?: number; operating_reset_at?: number; operating?: number; [k: string]: unknown };
export type Bitrix24Envelope<T = unknown> = { result: T; next?: number; total?: number; time?: Bitrix24Time };

/** A parsed incoming-webhook URL: `https://<portal>/rest/<user_id>/<code>/`. */
export type WebhookUrl = { base: string; host: string; userId: number; code: string };

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Parse and check a pasted webhook URL (§1). https only, except loopback hosts, which tests and
 * local stand-ins use. A method pasted after the code (`…/profile/`, `…/crm.lead.add.json`) is cut.
 * Returns an error message (English; the UI translates by `field`) or the URL.
 */
export function parseWebhookUrl(input: string): WebhookUrl | { error: "url" | "https" | "path" } {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { error: "url" };
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.test(url.hostname))) return { error: "https" };
  if (url.username || url.password) return { error: "url" };
  const m = /^\/rest\/(\d{1,10})\/([A-Za-z0-9_-]{4,64})(?:\/[A-Za-z0-9_.]*)?\/?$/.exec(url.pathname);
  if (!m || url.search || url.hash) return { error: "path" };
  const userId = Number(m[1]);
  return { base: `${url.protocol}//${url.host}/rest/${userId}/${m[2]}/`, host: url.host, userId, code: m[2]! };
}

/** The URL as it may be shown: the code masked (`https://x.bitrix24.ru/rest/1/ab…yz/`). */
export function maskWebhookUrl(w: WebhookUrl): string {
  const c = w.code;
  return w.base.replace(`/${c}/`, `/${c.slice(0, 2)}${"•".repeat(6)}${c.slice(-2)}/`);
}

/** Anything that might echo the URL (error texts from the network stack): the code replaced. */
export function scrub(text: string, w: WebhookUrl): string {
  return text.split(w.code).join("•••");
}

export type CallResult<T> = { envelope: Bitrix24Envelope<T>; status: number; durationMs: number };

/**
 * One REST call. Resolves with the success envelope, or throws `Bitrix24Error` (never anything
 * else: network failures and timeouts are `transient`, with a code of `TIMEOUT` / `NETWORK`).
 */
export async function call<T = unknown>(w: WebhookUrl, method: string, params: Record<string, unknown> = {}, opts: { timeoutMs?: number } = {}): Promise<CallResult<T>> {
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(`${w.base}${method}.json`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "user-agent": "LeadFlow/1.0 (+bitrix24 integration)" },
      body: JSON.stringify(params),
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs ?? env.BITRIX24_TIMEOUT_MS),
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const timedOut = err.name === "TimeoutError" || err.name === "AbortError";
    throw new Bitrix24Error("transient", null, timedOut ? "TIMEOUT" : "NETWORK", scrub(timedOut ? "no answer in time" : (err.cause?.code ?? err.message), w));
  }
  let text: string;
  try {
    text = await res.text();
  } catch {
    throw new Bitrix24Error("transient", res.status, "NETWORK", "the connection closed before the answer ended");
  }
  const durationMs = Math.round(performance.now() - started);
  if (res.status >= 300 && res.status < 400) throw new Bitrix24Error("config", res.status, "REDIRECT", "the portal redirected the request: check the webhook URL");
  let body: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // A proxy's HTML page (502/504) or a cut-off body: classified by status below.
  }
  if (body && "error" in body && (res.status >= 400 || !("result" in body))) {
    const code = typeof body.error === "string" ? body.error : "";
    const description = typeof body.error_description === "string" ? body.error_description : "";
    throw new Bitrix24Error(classify(res.status, code, description), res.status, code, description);
  }
  if (res.status !== 200 || !body || !("result" in body)) {
    const kind = res.status >= 400 && res.status < 500 ? classify(res.status, "", "") : "transient";
    throw new Bitrix24Error(kind, res.status, "", `unexpected answer (${res.status}${body ? "" : ", not JSON"})`);
  }
  return { envelope: body as Bitrix24Envelope<T>, status: res.status, durationMs };
}

export type BatchCommand = { key: string; method: string; params: Record<string, unknown> };
export type BatchResult = {
  results: Record<string, unknown>;
  errors: Record<string, Bitrix24Error>;
  /** `result_next`: the `start` of a list command's next page. */
  next: Record<string, number>;
  status: number;
  durationMs: number;
  time?: Bitrix24Time;
};

/** A batch sub-query: `method?<params as PHP-style query>` (encoded once: the outer body is JSON, §5). */
export function batchQuery(method: string, params: Record<string, unknown>): string {
  const query = qs.stringify(params, { arrayFormat: "indices", encodeValuesOnly: false });
  return query ? `${method}?${query}` : method;
}

/**
 * Up to 50 commands in one request (§5). The reply is HTTP 200 even when commands fail; each
 * failure comes back in `result_error` and is classified here, never reported as a success.
 */
export async function batch(w: WebhookUrl, commands: BatchCommand[], opts: { halt?: boolean; timeoutMs?: number } = {}): Promise<BatchResult> {
  if (commands.length === 0) return { results: {}, errors: {}, next: {}, status: 200, durationMs: 0 };
  if (commands.length > 50) throw new Error("a Bitrix24 batch holds at most 50 commands");
  const cmd = Object.fromEntries(commands.map((c) => [c.key, batchQuery(c.method, c.params)]));
  const { envelope, status, durationMs } = await call<{ result?: unknown; result_error?: unknown }>(w, "batch", { halt: opts.halt ? 1 : 0, cmd }, opts);
  const inner = (envelope.result ?? {}) as { result?: unknown; result_error?: unknown; result_next?: unknown };
  // Empty parts are PHP's `[]` (§1), so read them as maps only when they are objects.
  const asMap = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const results = asMap(inner.result);
  const errors: Record<string, Bitrix24Error> = {};
  for (const [key, raw] of Object.entries(asMap(inner.result_error))) {
    const e = asMap(raw);
    const code = typeof e.error === "string" ? e.error : "";
    const description = typeof e.error_description === "string" ? e.error_description : "";
    // Inner legacy errors carry no status of their own; they are the 400s of §1.
    const innerStatus = code === "QUERY_LIMIT_EXCEEDED" || code === "OVERLOAD_LIMIT" ? 503 : code === "OPERATION_TIME_LIMIT" ? 429 : 400;
    errors[key] = new Bitrix24Error(classify(innerStatus, code, description), innerStatus, code, description);
  }
  // A command neither answered nor refused (halt=1 after a failure) did not run.
  for (const c of commands) {
    if (!(c.key in results) && !(c.key in errors)) errors[c.key] = new Bitrix24Error("transient", null, "NOT_RUN", "not run (the batch stopped before it)");
  }
  const next: Record<string, number> = {};
  for (const [key, v] of Object.entries(asMap(inner.result_next))) if (Number.isFinite(Number(v))) next[key] = Number(v);
  return { results, errors, next, status, durationMs, time: envelope.time };
}
