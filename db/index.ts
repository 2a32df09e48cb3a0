import "server-only";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env, requireDatabaseUrl } from "@/lib/env";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;

type Conn = { client: postgres.Sql; db: Database };

// One pool per process (kept across Next dev reloads).
const globalForDb = globalThis as unknown as { __leadflowDb?: Conn };

function connect(): Conn {
  const client = postgres(requireDatabaseUrl(), {
    max: env.LEADFLOW_DB_POOL_MAX,
    idle_timeout: 30,
    connect_timeout: 5,
    onnotice: () => {},
    connection: { application_name: "leadflow" },
  });
  return { client, db: drizzle(client, { schema, casing: undefined }) };
}

function conn(): Conn {
  globalForDb.__leadflowDb ??= connect();
  return globalForDb.__leadflowDb;
}

/**
 * The owner connection. Use it only for non-tenant work (health, rate-limit counters);
 * tenant data goes through `withTenant` in db/tenant.ts, which drops to the app role.
 */
export function getDb(): Database {
  return conn().db;
}

export function getSqlClient(): postgres.Sql {
  return conn().client;
}

export async function closeDb(): Promise<void> {
  const c = globalForDb.__leadflowDb;
  globalForDb.__leadflowDb = undefined;
  await c?.client.end({ timeout: 5 });
}

export { schema };
