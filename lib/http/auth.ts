import "server-only";
import { withTenant, type Tx } from "@/db/tenant";
import { authenticateApiKey, type KeySite } from "@/lib/api-keys";
import { getTenantSession, type TenantSession } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { kickRelay } from "@/lib/jobs/relay";
import type { RouteHandler } from "./route";

// How route handlers authenticate. Each hands the handler a transaction bound to the caller's
// tenant (withTenant), so a route never picks a tenant itself.

type SecretKeyContext<P> = { site: KeySite; tx: Tx; params: P };

/** REST v1: a secret key as `Authorization: Bearer sk_…`; the handler runs in its tenant's transaction. */
export function withSecretKey<P>(handler: (request: Request, ctx: SecretKeyContext<P>) => Promise<Response>): RouteHandler<P> {
  return async (request, { params }) => {
    const { site } = await authenticateApiKey(request, { kinds: ["secret"] });
    const p = await params;
    const res = await withTenant(site.tenantId, (tx) => handler(request, { site, tx, params: p }));
    // A change may have queued jobs (a status change's Bitrix24 push): to the queue now.
    if (request.method !== "GET" && request.method !== "HEAD") kickRelay();
    return res;
  };
}

type SessionContext<P> = { session: TenantSession; tx: Tx; params: P };

/** A signed-in member (the browser's session cookie); the handler runs in the active tenant's transaction. */
export function withSession<P>(handler: (request: Request, ctx: SessionContext<P>) => Promise<Response>): RouteHandler<P> {
  return async (request, { params }) => {
    const session = await getTenantSession();
    if (!session) throw new AppError("unauthorized", "Sign in first");
    const p = await params;
    return withTenant(session.tenantId, (tx) => handler(request, { session, tx, params: p }), { userId: session.userId });
  };
}

