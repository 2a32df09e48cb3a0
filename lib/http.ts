import "server-only";
import { AppError, isAppError, isDbUnavailable } from "@/lib/errors";

/** The contract's error response for any thrown value; never leaks internals. */
export function errorResponse(e: unknown, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set("cache-control", "no-store");
  if (isAppError(e)) {
    if (e.retryAfterSeconds !== undefined) h.set("retry-after", String(Math.max(1, Math.ceil(e.retryAfterSeconds))));
    return Response.json(e.toJSON(), { status: e.status, headers: h });
  }
  if (isDbUnavailable(e)) {
    h.set("retry-after", "5");
    return Response.json(new AppError("unavailable", "Temporarily unavailable, please retry").toJSON(), { status: 503, headers: h });
  }
  console.error("[http] unexpected error", e);
  return Response.json(new AppError("internal_error", "Internal error").toJSON(), { status: 500, headers: h });
}

/** The client's address as this server sees it: the nearest X-Forwarded-For hop (Next sets it when absent). */
export function clientIp(headers: Headers): string {
  const xff = headers.get("x-forwarded-for");
  const last = xff?.split(",").map((s) => s.trim()).filter(Boolean).pop();
  return last || headers.get("x-real-ip") || "unknown";
}

/** This app's public origin as the browser sees it (behind a proxy: the forwarded host and scheme). */
export function publicOrigin(headers: Headers): string {
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost:3000";
  return `${headers.get("x-forwarded-proto") ?? "http"}://${host}`;
}
