import { z } from "zod";

// The one place that reads process.env. Everything else imports `env`.
const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    AUTH_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    AUTH_URL: z.url().optional(),
    APP_ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded")
      .optional(),
    OPENAI_API_KEY: z.string().optional(),
    OPENAI_BASE_URL: z.url().optional(),
    AI_MODEL: z.string().default("gpt-4o-mini"),
    BITRIX24_TIMEOUT_MS: z.coerce.number().int().positive().default(10000),
    // The portal's leaky bucket (BITRIX24_CONTRACT §7): 2/s and 50 on most plans, 5/s and 250 on Enterprise.
    BITRIX24_RATE_PER_SEC: z.coerce.number().positive().default(2),
    BITRIX24_BURST: z.coerce.number().int().min(1).default(50),
    LEADFLOW_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    LEADFLOW_DATA_DIR: z.string().default(".data"),
    LEADFLOW_DB_POOL_MAX: z.coerce.number().int().positive().default(10),
    /** Comma-separated task id prefixes a worker runs (unset: all). */
    LEADFLOW_WORKER_TASKS: z.string().optional(),
    LEADFLOW_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    NEXT_PHASE: z.string().optional(),
  })
  .superRefine((e, ctx) => {
    const building = e.NEXT_PHASE === "phase-production-build";
    if (e.NODE_ENV === "production" && e.DATABASE_URL && !e.AUTH_SECRET && !building) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_SECRET"],
        message: "is required when NODE_ENV=production and DATABASE_URL is set",
      });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Treat empty strings as unset, as shells and .env files often produce them.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export const env: Env = parseEnv(process.env);

/** The connection string, or a clear error when none was given to this process. */
export function requireDatabaseUrl(): string {
  // The live value: scripts set it after start-up when they start the embedded database.
  const url = process.env.DATABASE_URL || env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Run `npm start` (it starts the embedded Postgres) or set DATABASE_URL to a Postgres server.",
    );
  }
  return url;
}

/** APP_ENCRYPTION_KEY as this process has it now (scripts set it after start-up for the demo). */
export function encryptionKeySetting(): string | undefined {
  return process.env.APP_ENCRYPTION_KEY || env.APP_ENCRYPTION_KEY;
}
