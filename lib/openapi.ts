import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { ZApiLeadListQuery, ZLead, ZLeadList, ZLeadPatch } from "@/lib/validators/leads";

// The OpenAPI 3.1 description of the REST API, generated from the same zod schemas the routes use.

const ZError = z
  .object({
    error: z.object({
      code: z.string().meta({ example: "validation_error" }),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: "Error" });

const ZIntakeBody = z
  .object({
    name: z.string().max(200).optional(),
    email: z.string().max(254).optional().meta({ description: "At least one of email, phone is required. Lower-cased." }),
    phone: z.string().max(40).optional().meta({ description: "Normalised to E.164 when it parses (default region RU)." }),
    company: z.string().max(200).optional(),
    message: z.string().max(10000).optional(),
    form: z.string().max(200).optional().meta({ description: "Which form on the site" }),
    pageUrl: z.string().max(2000).optional(),
    referrer: z.string().max(2000).optional(),
    utm_source: z.string().max(500).optional(),
    utm_medium: z.string().max(500).optional(),
    utm_campaign: z.string().max(500).optional(),
    utm_term: z.string().max(500).optional(),
    utm_content: z.string().max(500).optional(),
    consent: z.union([z.boolean(), z.enum(["on", "true", "false"])]).optional(),
    _gotcha: z.string().optional().meta({ description: "Honeypot: leave empty. When filled, the lead is stored as spam." }),
  })
  .catchall(z.string().max(2000))
  .meta({ id: "IntakeLead", description: "Any other field (at most 50, values up to 2000 characters) is kept as a custom field." });

const ZIntakeAnswer = z.object({ id: z.uuid(), duplicate: z.boolean() }).meta({ id: "IntakeAnswer" });

const errors = (...codes: [number, string][]) =>
  Object.fromEntries(codes.map(([status, description]) => [status, { description, content: { "application/json": { schema: ZError } } }]));

export function buildOpenApiDocument(serverUrl: string) {
  const registry = new OpenAPIRegistry();
  const secret = registry.registerComponent("securitySchemes", "secretKey", { type: "http", scheme: "bearer", description: "A site's secret key, sk_…" });
  const publicKey = registry.registerComponent("securitySchemes", "publicKey", { type: "apiKey", in: "header", name: "X-Api-Key", description: "A site's public key, pk_… (or ?key=); only from the site's origins" });
  const Lead = ZLead;
  const idParam = z.object({ id: z.uuid() });

  registry.registerPath({
    method: "get",
    path: "/api/v1/leads",
    summary: "List leads, newest first",
    security: [{ [secret.name]: [] }],
    request: { query: ZApiLeadListQuery },
    responses: { 200: { description: "A page of leads", content: { "application/json": { schema: ZLeadList } } }, ...errors([400, "Invalid query"], [401, "invalid_api_key"]) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/leads/{id}",
    summary: "Get one lead",
    security: [{ [secret.name]: [] }],
    request: { params: idParam },
    responses: { 200: { description: "The lead", content: { "application/json": { schema: Lead } } }, ...errors([401, "invalid_api_key"], [404, "not_found (also another tenant's lead)"]) },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/leads/{id}",
    summary: "Change a lead's status and/or assignee",
    security: [{ [secret.name]: [] }],
    request: { params: idParam, body: { content: { "application/json": { schema: ZLeadPatch } } } },
    responses: { 200: { description: "The updated lead", content: { "application/json": { schema: Lead } } }, ...errors([400, "validation_error / invalid_json"], [401, "invalid_api_key"], [404, "not_found"], [415, "unsupported_media_type"]) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/intake",
    summary: "Submit a lead from a website form or a server",
    security: [{ [secret.name]: [] }, { [publicKey.name]: [] }],
    request: {
      headers: z.object({ "Idempotency-Key": z.string().max(255).optional().meta({ description: "Repeats within 24 h return the first answer" }) }),
      body: {
        content: {
          "application/json": { schema: ZIntakeBody },
          "application/x-www-form-urlencoded": { schema: ZIntakeBody },
          "multipart/form-data": { schema: ZIntakeBody },
        },
      },
    },
    responses: {
      201: { description: "A new lead", content: { "application/json": { schema: ZIntakeAnswer } } },
      200: { description: "Joined an existing lead (same e-mail or phone within the dedupe window)", content: { "application/json": { schema: ZIntakeAnswer } } },
      303: { description: "A plain form post: redirect to the thank-you page" },
      ...errors(
        [400, "validation_error / invalid_json"],
        [401, "invalid_api_key"],
        [403, "origin_not_allowed"],
        [413, "payload_too_large (64 KiB)"],
        [415, "unsupported_media_type"],
        [429, "rate_limited, with Retry-After"],
        [503, "unavailable, with Retry-After: retry, nothing was stored"],
      ),
    },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: { title: "LeadFlow API", version: "1.0.0", description: "Leads in (intake) and out (REST v1). Errors: {error: {code, message, issues?}}." },
    servers: [{ url: serverUrl }],
  });
}
