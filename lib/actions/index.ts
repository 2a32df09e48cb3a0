import "server-only";
import type { z } from "zod";
import { auth } from "@/lib/auth";
import { getTenantSession } from "@/lib/auth/session";
import { withTenant, type Tx } from "@/db/tenant";
import { AppError, isAppError, issuesFromZod } from "@/lib/errors";
import type { Role } from "@/db/schema";

export type { ActionResult } from "./result";
import type { ActionResult } from "./result";

type UserCtx = { userId: string };
type TenantCtx = UserCtx & { tx: Tx; tenantId: string; role: Role };

function fail(e: unknown): ActionResult<never> {
  if (isAppError(e)) return { ok: false, error: e.toJSON().error };
  console.error("[action]", e);
  return { ok: false, error: { code: "internal_error", message: "Something went wrong" } };
}

async function parse<S extends z.ZodType>(schema: S, raw: unknown): Promise<z.output<S>> {
  const parsed = await schema.safeParseAsync(raw);
  if (!parsed.success) throw new AppError("validation_error", "Invalid input", { issues: issuesFromZod(parsed.error) });
  return parsed.data;
}

/** The one wrapper for signed-in server actions: validates input, requires a session. */
export function protectedAction<S extends z.ZodType, R>(schema: S, handler: (input: z.output<S>, ctx: UserCtx) => Promise<R>) {
  return async (raw: z.input<S>): Promise<ActionResult<R>> => {
    try {
      const session = await auth();
      if (!session?.user?.id) throw new AppError("unauthorized", "Sign in first");
      const input = await parse(schema, raw);
      return { ok: true, data: await handler(input, { userId: session.user.id }) };
    } catch (e) {
      return fail(e);
    }
  };
}

/**
 * The one wrapper for tenant server actions: validates input, checks the membership and role,
 * and runs the handler inside the tenant-bound transaction (all or nothing).
 */
export function tenantAction<S extends z.ZodType, R>(
  schema: S,
  handler: (input: z.output<S>, ctx: TenantCtx) => Promise<R>,
  opts: { roles?: Role[] } = {},
) {
  return async (raw: z.input<S>): Promise<ActionResult<R>> => {
    try {
      const member = await getTenantSession();
      if (!member) throw new AppError("unauthorized", "Sign in first");
      const { userId, tenantId, role } = member;
      if (opts.roles && !opts.roles.includes(role)) throw new AppError("forbidden", "Your role cannot do this");
      const input = await parse(schema, raw);
      const data = await withTenant(tenantId, (tx) => handler(input, { tx, tenantId, userId, role }), { userId });
      return { ok: true, data };
    } catch (e) {
      return fail(e);
    }
  };
}
