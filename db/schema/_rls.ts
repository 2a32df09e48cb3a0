import { sql, type SQL } from "drizzle-orm";
import { pgPolicy, pgRole } from "drizzle-orm/pg-core";

/**
 * The role every request's work runs as (via SET LOCAL ROLE inside withTenant).
 * NOLOGIN, no BYPASSRLS; created by the custom migration so it can exist once per cluster.
 */
export const appRole = pgRole("leadflow_app").existing();

/** The tenant of the current transaction; NULL when unset (never '' — see STACK_NOTES). */
export const currentTenant: SQL = sql`nullif(current_setting('app.tenant_id', true), '')::uuid`;
/** The authenticated user of the current transaction, for the few cross-tenant self-lookups. */
export const currentUser: SQL = sql`nullif(current_setting('app.user_id', true), '')::uuid`;
/** The e-mail being logged in with (login lookup only). */
export const currentLoginEmail: SQL = sql`nullif(current_setting('app.login_email', true), '')`;

/** An origin being checked for a keyless CORS preflight (is it any active site's?). */
export const currentOrigin: SQL = sql`nullif(current_setting('app.origin', true), '')`;

/** A tenant slug being resolved (admin CLI only). */
export const currentTenantSlug: SQL = sql`nullif(current_setting('app.tenant_slug', true), '')`;

/** The standard policy for a table with a `tenant_id` column: rows of the current tenant only. */
export function tenantPolicy(table: string) {
  const isMine = sql`tenant_id = ${currentTenant}`;
  return pgPolicy(`${table}_tenant_isolation`, {
    as: "permissive",
    for: "all",
    to: appRole,
    using: isMine,
    withCheck: isMine,
  });
}
