import "server-only";
import { fillPlaceholders, sql, type SQL } from "drizzle-orm";
import { PgDialect, type PgTransaction } from "drizzle-orm/pg-core";
import type { PostgresJsQueryResultHKT } from "drizzle-orm/postgres-js";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { getDb, getSqlClient } from "./index";
import { UUID_RE as UUID } from "./schema/enums";
import type * as schema from "./schema";

export type Tx = PgTransaction<PostgresJsQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;


type Scope = {
  tenantId?: string;
  userId?: string;
  loginEmail?: string;
  keyPrefix?: string;
  origin?: string;
  tenantSlug?: string;
};

/**
 * The single path to tenant data: one transaction, running as `leadflow_app` (no BYPASSRLS),
 * with transaction-local settings that the RLS policies read. Nothing leaks to the next user
 * of the pooled connection because every setting is `set_config(..., true)`.
 */
export type { Scope };

/**
 * Drop to the app role and set every scope variable, transaction-locally (one statement).
 * JIT off too: it only pays off for long analytical queries, and PostgreSQL 18's default (on)
 * halved intake throughput. Per transaction rather than per connection, so poolers that refuse
 * unknown startup parameters (PgBouncer) are fine.
 */
function settingsStatement(scope: Scope, plans: "custom" | "auto" = "custom"): SQL {
  // Custom plans: statements are prepared (postgres.js), and after five runs Postgres may switch to
  // a generic plan that cannot see a LIKE pattern or a filter's value — a phone-fragment search
  // then scanned every lead. The intake hot path keeps the default: its statement plans the same.
  return sql`select
    set_config('role', 'leadflow_app', true),
    set_config('jit', 'off', true),
    set_config('plan_cache_mode', ${plans === "custom" ? "force_custom_plan" : "auto"}, true),
    set_config('app.tenant_id', ${scope.tenantId ?? ""}, true),
    set_config('app.user_id', ${scope.userId ?? ""}, true),
    set_config('app.login_email', ${scope.loginEmail ?? ""}, true),
    set_config('app.key_prefix', ${scope.keyPrefix ?? ""}, true),
    set_config('app.origin', ${scope.origin ?? ""}, true),
    set_config('app.tenant_slug', ${scope.tenantSlug ?? ""}, true)`;
}

/**
 * The general form, for the few reviewed cross-tenant paths (login, API keys, the admin CLI).
 * Request code uses `withTenant`.
 */
export async function withScope<T>(scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (const id of [scope.tenantId, scope.userId]) {
    if (id !== undefined && !UUID.test(id)) throw new AppError("not_found", "Unknown tenant or user");
  }
  return getDb().transaction(async (tx) => {
    await tx.execute(settingsStatement(scope));
    return fn(tx);
  });
}

/** Run `fn` in a transaction bound to one tenant (and optionally the acting user). */
export function withTenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>, opts: { userId?: string } = {}): Promise<T> {
  return withScope({ tenantId, userId: opts.userId }, fn);
}

/** A user's own cross-tenant view: their memberships and the tenants they belong to. */
export function withUser<T>(userId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withScope({ userId }, fn);
}

/** Login: the one user row with this e-mail, nothing else. */
export function withLoginLookup<T>(email: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withScope({ loginEmail: email.trim().toLowerCase() }, fn);
}

/** API-key authentication: the one key row with this prefix, nothing else. */
export function withKeyLookup<T>(prefix: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withScope({ keyPrefix: prefix }, fn);
}

/** Keyless CORS preflight: whether any active site registered this origin, nothing else. */
export function withOriginLookup<T>(origin: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withScope({ origin }, fn);
}

const dialect = new PgDialect();
type Rows = Record<string, unknown>[];


/**
 * The same tenant-bound transaction as `withTenant` — app role, transaction-local tenant — for hot
 * paths whose statements are known up front: `BEGIN; settings; …statements; COMMIT` go out
 * pipelined, one round trip. The server still runs them one after another, so a statement sees
 * what the ones before it did (a lock taken earlier is held when a later one takes its snapshot).
 * Any error rolls everything back.
 */
/** A statement compiled once (`compileStatement`) and run with fresh values: no per-call SQL building. */
export type CompiledStatement = { text: string; params: unknown[] };

export function compileStatement(q: SQL): CompiledStatement {
  const { sql: text, params } = dialect.sqlToQuery(q);
  return { text, params };
}

/** Values for a compiled statement's `sql.placeholder(name)`s. */
export function bindStatement(c: CompiledStatement, values: Record<string, unknown>): CompiledStatement {
  return { text: c.text, params: fillPlaceholders(c.params, values) };
}

export async function withTenantBatch(tenantId: string, statements: (SQL | CompiledStatement)[]): Promise<Rows[]> {
  if (!UUID.test(tenantId)) throw new AppError("not_found", "Unknown tenant");
  const conn = await getSqlClient().reserve();
  const run = (q: SQL | CompiledStatement) => {
    const { text, params } = "text" in q ? q : compileStatement(q);
    // Prepared (named, cached per connection): no describe round trip after the first use.
    return conn.unsafe(text, params as never[], { prepare: true }) as unknown as Promise<Rows>;
  };
  try {
    const results = await Promise.all([conn.unsafe("begin"), run(settingsStatement({ tenantId }, "auto")), ...statements.map(run), conn.unsafe("commit")]);
    return results.slice(2, -1) as Rows[];
  } catch (e) {
    // A failed statement aborts the transaction and the pipelined COMMIT becomes a rollback;
    // make sure nothing is left open on the connection before it goes back to the pool.
    await conn.unsafe("rollback").catch(() => {});
    throw e;
  } finally {
    conn.release();
  }
}
