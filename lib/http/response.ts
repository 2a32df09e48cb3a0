import "server-only";
import { ZodError } from "zod";
import { AppError, isAppError, isDbUnavailable, isRejectedInput, issuesFromZod } from "@/lib/errors";

/** The contract's error response for any thrown value; never leaks internals. */
export function errorResponse(e: unknown, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set("cache-control", "no-store");
  if (isAppError(e)) {
    if (e.retryAfterSeconds !== undefined) h.set("retry-after", String(Math.max(1, Math.ceil(e.retryAfterSeconds))));
    return Response.json(e.toJSON(), { status: e.status, headers: h });
  }
  if (e instanceof ZodError) {
    return Response.json(new AppError("validation_error", "Invalid input", { issues: issuesFromZod(e) }).toJSON(), { status: 400, headers: h });
  }
  if (isRejectedInput(e)) {
    console.warn("[http] the database refused a value validation let through", e);
    return Response.json(new AppError("validation_error", "A value could not be stored", { issues: [{ path: "(root)", message: "a value could not be stored" }] }).toJSON(), { status: 400, headers: h });
  }
  if (isDbUnavailable(e)) {
    h.set("retry-after", "5");
    return Response.json(new AppError("unavailable", "Temporarily unavailable, please retry").toJSON(), { status: 503, headers: h });
  }
  console.error("[http] unexpected error", e);
  return Response.json(new AppError("internal_error", "Internal error").toJSON(), { status: 500, headers: h });
}
