import "server-only";
import { kickRelay } from "@/lib/jobs/relay";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { withTenant, type Tx } from "@/db/tenant";
import { auth } from "@/lib/auth";
import { resolveTenantSession } from "@/lib/auth/session";
import { AppError, isAppError, isRejectedInput, issuesFromZod, type ErrorCode } from "@/lib/errors";
import type { Role } from "@/db/schema";
import { localeFromHeaders, type AppLocale } from "@/lib/i18n/locale";

export async function createTRPCContext(opts: { headers: Headers }) {
  const session = await auth();
  const locale: AppLocale = localeFromHeaders(opts.headers);
  return { session, headers: opts.headers, locale };
}

type Context = Awaited<ReturnType<typeof createTRPCContext>>;

const TRPC_CODE: Partial<Record<ErrorCode, TRPCError["code"]>> = {
  validation_error: "BAD_REQUEST",
  unauthorized: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  slug_taken: "CONFLICT",
  email_taken: "CONFLICT",
  rate_limited: "TOO_MANY_REQUESTS",
  unavailable: "SERVICE_UNAVAILABLE",
};

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      message: error.code === "INTERNAL_SERVER_ERROR" ? "Internal error" : shape.message,
      data: {
        ...shape.data,
        stack: undefined,
        appCode: isAppError(cause) ? cause.code : undefined,
        issues: cause instanceof ZodError ? issuesFromZod(cause) : isAppError(cause) ? cause.issues : undefined,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** AppError thrown by a service → the matching tRPC code (message kept, details logged). */
const errors = t.middleware(async ({ next }) => {
  const res = await next();
  if (!res.ok && isAppError(res.error.cause)) {
    const app = res.error.cause;
    throw new TRPCError({ code: TRPC_CODE[app.code] ?? "BAD_REQUEST", message: app.message, cause: app });
  }
  if (!res.ok && res.error.code === "INTERNAL_SERVER_ERROR" && isRejectedInput(res.error.cause)) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "A value could not be stored", cause: new AppError("validation_error", "A value could not be stored") });
  }
  if (!res.ok && res.error.code === "INTERNAL_SERVER_ERROR") console.error("[trpc]", res.error.cause ?? res.error);
  return res;
});

export const publicProcedure = t.procedure.use(errors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  const user = ctx.session?.user;
  if (!user?.id) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next({ ctx: { ...ctx, userId: user.id } });
});

/**
 * Resolves the membership and hands the handler a transaction bound to the tenant.
 * The role is re-read from the database on every call (a demoted user loses access at once).
 */
export const tenantProcedure = protectedProcedure.use(async ({ ctx, next, type }) => {
  const member = await resolveTenantSession(ctx.session);
  if (!member) throw new TRPCError({ code: "FORBIDDEN", message: "Not a member of this tenant" });
  const { tenantId, role } = member;
  // Work that must wait for the commit (kicking the job relay so it sees a job this call enqueued).
  const committed: (() => void)[] = [];
  const afterCommit = (fn: () => void) => void committed.push(fn);
  const run = (tx: Tx) => next({ ctx: { tenantId, role, member, tx, afterCommit, viewer: { userId: ctx.userId, role } } });
  type Result = Awaited<ReturnType<typeof run>>;
  try {
    const res = await withTenant(
      tenantId,
      async (tx) => {
        const res = await run(tx);
        // Roll the transaction back on a failed procedure: nothing half-written.
        if (!res.ok) throw new RolledBack(res);
        return res;
      },
      { userId: ctx.userId },
    );
    for (const fn of committed) fn();
    // Any mutation may have queued jobs (a status change queues its Bitrix24 push, closing a lead
    // its retraining): hand them to the queue now, not at the relay's next cron.
    if (type === "mutation") kickRelay();
    return res;
  } catch (e) {
    if (e instanceof RolledBack) return e.result as Result;
    throw e;
  }
});

class RolledBack extends Error {
  constructor(readonly result: unknown) {
    super("rolled back");
  }
}

export function roleProcedure(...roles: Role[]) {
  return tenantProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.role)) throw new AppError("forbidden", "Your role cannot do this");
    return next();
  });
}
