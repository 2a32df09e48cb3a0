import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { zText } from "@/lib/validators/common";
import { MAX_CUSTOM_FIELDS, MAX_CUSTOM_VALUE, ZCustomFieldValue, ZIdempotencyKey, ZIntakeFields } from "@/lib/validators/intake";
import { ZApiLeadListQuery, ZLead, ZLeadList, ZLeadPatch, ZNote, ZNoteCreate } from "@/lib/validators/leads";
import { ZAnalyticsSummary, ZApiAnalyticsQuery } from "@/lib/validators/analytics";

// The OpenAPI 3.1 description of the REST API, generated from the same zod schemas the routes use.

const ZError = z
  .object({
    error: z.object({
      code: zText().meta({ example: "validation_error" }),
      message: zText(),
      issues: z.array(z.object({ path: zText(), message: zText() })).optional(),
    }),
  })
  .meta({ id: "Error" });

/**
 * The intake body as clients send it, straight from the intake schema's wire shape (its input side:
 * text fields also take numbers and booleans); any other field is a custom field.
 */
function intakeBodySchema() {
  const { $schema: _schema, ...json } = z.toJSONSchema(ZIntakeFields.omit({ customFields: true }).catchall(ZCustomFieldValue), {
    io: "input",
    unrepresentable: "any",
  });
  return {
    ...json,
    description: `At least one of email, phone. Any other field (at most ${MAX_CUSTOM_FIELDS}, values up to ${MAX_CUSTOM_VALUE} characters) is kept as a custom field.`,
  };
}

const ZIntakeAnswer = z.object({ id: z.uuid(), duplicate: z.boolean() }).meta({ id: "IntakeAnswer" });

const errors = (...codes: [number, string][]) =>
  Object.fromEntries(codes.map(([status, description]) => [status, { description, content: { "application/json": { schema: ZError } } }]));

export function buildOpenApiDocument(serverUrl: string) {
  const registry = new OpenAPIRegistry();
  const secret = registry.registerComponent("securitySchemes", "secretKey", { type: "http", scheme: "bearer", description: "A site's secret key, sk_…" });
  const publicKey = registry.registerComponent("securitySchemes", "publicKey", { type: "apiKey", in: "header", name: "X-Api-Key", description: "A site's public key, pk_… (or ?key=); only from the site's origins" });
  const Lead = ZLead;
  const idParam = z.object({ id: z.uuid() });
  const intakeBody = registry.registerComponent("schemas", "IntakeLead", intakeBodySchema() as never);
  const IntakeLead = { $ref: `#/components/schemas/${intakeBody.name}` };

  registry.registerPath({
    method: "get",
    path: "/api/v1/leads",
    operationId: "listLeads",
    summary: "List leads, newest first",
    security: [{ [secret.name]: [] }],
    request: { query: ZApiLeadListQuery },
    responses: { 200: { description: "A page of leads", content: { "application/json": { schema: ZLeadList } } }, ...errors([400, "Invalid query"], [401, "invalid_api_key"]) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/leads/{id}",
    operationId: "getLead",
    summary: "Get one lead",
    security: [{ [secret.name]: [] }],
    request: { params: idParam },
    responses: { 200: { description: "The lead", content: { "application/json": { schema: Lead } } }, ...errors([401, "invalid_api_key"], [404, "not_found (also another tenant's lead)"]) },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/leads/{id}",
    operationId: "updateLead",
    summary: "Change a lead's status, assignee and/or category",
    security: [{ [secret.name]: [] }],
    request: { params: idParam, body: { content: { "application/json": { schema: ZLeadPatch } } } },
    responses: { 200: { description: "The updated lead", content: { "application/json": { schema: Lead } } }, ...errors([400, "validation_error / invalid_json"], [401, "invalid_api_key"], [404, "not_found"], [415, "unsupported_media_type"]) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/leads/{id}/notes",
    operationId: "createLeadNote",
    summary: "Add a note to a lead's timeline",
    security: [{ [secret.name]: [] }],
    request: { params: idParam, body: { content: { "application/json": { schema: ZNoteCreate } } } },
    responses: { 201: { description: "The note", content: { "application/json": { schema: ZNote } } }, ...errors([400, "validation_error / invalid_json"], [401, "invalid_api_key"], [404, "not_found"], [415, "unsupported_media_type"]) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/analytics/summary",
    operationId: "getAnalyticsSummary",
    summary: "The period's figures: leads, spam, won, conversion, statuses, first response, days, channels, sources, funnel",
    description:
      "Days are the tenant's time zone, both ends inclusive; default the last 30 days ending today; at most 731 days. Spam counts only in `spam`; every other figure counts the non-spam leads created in the period.",
    security: [{ [secret.name]: [] }],
    request: { query: ZApiAnalyticsQuery },
    responses: { 200: { description: "The summary", content: { "application/json": { schema: ZAnalyticsSummary } } }, ...errors([400, "validation_error (bad date, from after to, more than 731 days)"], [401, "invalid_api_key"]) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/intake",
    operationId: "submitLead",
    summary: "Submit a lead from a website form or a server",
    security: [{ [secret.name]: [] }, { [publicKey.name]: [] }],
    request: {
      headers: z.object({ "Idempotency-Key": ZIdempotencyKey.optional().meta({ description: "Repeats within 24 h return the first answer" }) }),
      body: {
        content: {
          "application/json": { schema: IntakeLead },
          "application/x-www-form-urlencoded": { schema: IntakeLead },
          "multipart/form-data": { schema: IntakeLead },
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
    info: {
      title: "LeadFlow API",
      version: "1.0.0",
      description: "Leads in (intake) and out (REST v1). Errors: {error: {code, message, issues?}}. An unsupported method answers 405 method_not_allowed with Allow.",
    },
    servers: [{ url: serverUrl }],
  });
}
