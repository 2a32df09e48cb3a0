import { sql, type SQL } from "drizzle-orm";

/**
 * SQL expressions for each field of `T` (nested objects either as an expression or field by field):
 * lets a statement build a typed JSON value (a timeline payload, a job payload) in the database.
 */
export type SqlFields<T> = {
  [K in keyof T]-?: NonNullable<T[K]> extends Record<string, unknown> ? SQL | SqlFields<NonNullable<T[K]>> : SQL;
};

function isSql(v: unknown): v is SQL {
  return typeof v === "object" && v !== null && "queryChunks" in v;
}

/** `jsonb_build_object('key', expr, …)` from typed fields; keys are bound as parameters, never spliced. */
export function jsonbObject<T>(fields: SqlFields<T>): SQL {
  const parts = Object.entries(fields as Record<string, SQL | SqlFields<unknown>>).map(
    ([k, v]) => sql`${k}::text, ${isSql(v) ? v : jsonbObject(v as SqlFields<Record<string, unknown>>)}`,
  );
  return sql`jsonb_build_object(${sql.join(parts, sql`, `)})`;
}
