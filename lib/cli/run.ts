import "server-only";
import { parseArgs } from "node:util";
import { z } from "zod";
import { AppError, isAppError, issuesFromZod } from "@/lib/errors";
import { ZSlug, ZTenantCreateSchema, ZUserCreateSchema } from "@/lib/validators/tenants";
import { ZSiteCreateCliSchema } from "@/lib/validators/sites";
import { createTenant, createUser, getTenantIdBySlug } from "@/lib/services/tenants";
import { createSite } from "@/lib/services/sites";
import { connectBitrix24 } from "@/lib/integrations/bitrix24/connection";
import { ZBitrix24Connect } from "@/lib/validators/bitrix24";

export const USAGE = `Usage: npm run --silent cli -- <command> [--json]

  tenant create --name NAME --slug SLUG --owner-email EMAIL --owner-password PW
  user create --tenant SLUG --email EMAIL --password PW --role owner|manager|sales [--name NAME]
  site create --tenant SLUG --name NAME --origin URL [--origin URL ...] [--thank-you-url URL]
  integration bitrix24 set --tenant SLUG --webhook-url URL [--application-token TOKEN]
`;

type Output = Record<string, unknown>;

function validate<S extends z.ZodType>(schema: S, raw: unknown, flagFor: Record<string, string>): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error).map((i) => ({ ...i, path: flagFor[i.path.split(".")[0] ?? ""] ?? i.path }));
    throw new AppError("validation_error", issues.map((i) => `${i.path}: ${i.message}`).join("; "), { issues });
  }
  return parsed.data;
}

/** Run one CLI command; returns the JSON result. Throws AppError for user errors. */
export async function runCommand(argv: string[]): Promise<Output> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: "boolean" },
      name: { type: "string" },
      slug: { type: "string" },
      "owner-email": { type: "string" },
      "owner-password": { type: "string" },
      tenant: { type: "string" },
      email: { type: "string" },
      password: { type: "string" },
      role: { type: "string" },
      origin: { type: "string", multiple: true },
      "thank-you-url": { type: "string" },
      "webhook-url": { type: "string" },
      "application-token": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const command = positionals.slice(0, positionals[0] === "integration" ? 3 : 2).join(" ");
  switch (command) {
    case "tenant create": {
      const input = validate(
        ZTenantCreateSchema,
        { name: values.name, slug: values.slug, ownerEmail: values["owner-email"], ownerPassword: values["owner-password"] },
        { name: "--name", slug: "--slug", ownerEmail: "--owner-email", ownerPassword: "--owner-password" },
      );
      return createTenant(input);
    }
    case "user create": {
      const input = validate(
        ZUserCreateSchema,
        { tenantSlug: values.tenant, email: values.email, password: values.password, role: values.role, name: values.name },
        { tenantSlug: "--tenant", email: "--email", password: "--password", role: "--role", name: "--name" },
      );
      return createUser(input);
    }
    case "site create": {
      const input = validate(
        ZSiteCreateCliSchema,
        { tenantSlug: values.tenant, name: values.name, origins: values.origin ?? [], thankYouUrl: values["thank-you-url"] },
        { tenantSlug: "--tenant", name: "--name", origins: "--origin", thankYouUrl: "--thank-you-url" },
      );
      const tenantId = await getTenantIdBySlug(input.tenantSlug);
      return createSite(tenantId, input);
    }
    case "integration bitrix24 set": {
      const input = validate(
        ZBitrix24Connect.extend({ tenantSlug: ZSlug }),
        { tenantSlug: values.tenant, webhookUrl: values["webhook-url"], applicationToken: values["application-token"] },
        { tenantSlug: "--tenant", webhookUrl: "--webhook-url", applicationToken: "--application-token" },
      );
      const tenantId = await getTenantIdBySlug(input.tenantSlug);
      // The portal is checked with a real call; a refusal is an error, a portal that is briefly
      // unreachable is not (the connection is saved and its queue waits for it).
      const { verified } = await connectBitrix24(tenantId, null, input, { tolerateUnreachable: true }).catch((e: unknown) => {
        // The portal's refusal names the field; here the field is a flag.
        if (isAppError(e) && e.issues) throw new AppError(e.code, e.issues.map((i) => `--webhook-url: ${i.message}`).join("; "), { issues: e.issues.map((i) => ({ ...i, path: "--webhook-url" })) });
        throw e;
      });
      if (!verified) process.stderr.write("warning: the portal did not answer the check; the connection is saved and will be used once it does\n");
      return { tenantId, enabled: true };
    }
    default:
      throw new AppError("validation_error", command ? `Unknown command "${command}"\n${USAGE}` : USAGE, {
        issues: [{ path: "command", message: command ? `unknown: ${command}` : "missing" }],
      });
  }
}

/** Human-readable rendering of a result (without --json). */
export function renderHuman(result: Output): string {
  return Object.entries(result)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join("\n");
}

export function errorJson(e: unknown): { error: { code: string; message: string; issues?: unknown } } {
  if (isAppError(e)) return e.toJSON();
  if (e instanceof TypeError && "code" in e && String((e as { code: unknown }).code).startsWith("ERR_PARSE_ARGS")) {
    return { error: { code: "validation_error", message: e.message } };
  }
  return { error: { code: "internal_error", message: e instanceof Error ? e.message : String(e) } };
}
