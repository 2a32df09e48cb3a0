// An in-memory Bitrix24 portal for tests: the REST surface LeadFlow uses through an incoming webhook,
// the portal's leaky bucket, injectable faults, and outbound events to an outgoing webhook. It follows
// ../shared/BITRIX24_CONTRACT.md (cited below as §n) and nothing of the app, so it behaves like an outside
// black box. Details the contract leaves open are marked [~] where this file had to pick something.
//
// Run directly to get a portal for manual tries:
//   node --import tsx test/bitrix24-portal.ts [--rate N] [--burst N]
import { randomBytes } from "node:crypto";
import http, { type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import qs from "qs";

export type PortalOptions = {
  /** The employee who created the webhook (default 1). */
  userId?: number;
  /** The webhook's secret code (default: 16 random hex digits). */
  code?: string;
  /** How fast the leaky bucket drains, requests per second (default 2, §7). */
  ratePerSec?: number;
  /** The bucket's size: requests above it are refused (default 50, §7). */
  burst?: number;
  /** `auth[member_id]` of outbound events (default: 32 random hex digits). */
  memberId?: string;
  /** Delay before an outbound event is delivered (default 20 ms; §8: events come through a queue). */
  eventDelayMs?: number;
  /** Add the portal-specific stages UC_NEGOTIATION (in progress) and UC_LOSTPRICE (failure) (default true, §3). */
  customStages?: boolean;
};

export type Fault =
  | "query_limit"
  | "operation_limit"
  | "internal_error"
  | "html_502"
  | "timeout_after_create"
  | "drop_after_commit"
  | "invalid_credentials"
  | "hang";

export interface Portal {
  /** `http://127.0.0.1:PORT/rest/<userId>/<code>/` (with the trailing slash). */
  webhookUrl: string;
  /** `127.0.0.1:PORT`, what `auth[domain]` of outbound events carries. */
  domain: string;
  memberId: string;
  /** Stored leads by ID, in crm.lead.get form (strings or null, multifields as item lists). */
  leads: Map<number, Record<string, unknown>>;
  /** Every HTTP request, refused ones included; `status` is 0 when no answer was sent (hang, drop, timeout). */
  requests: { method: string; params: unknown; status: number; at: number }[];
  /** `refused`: QUERY_LIMIT_EXCEEDED answers caused by the bucket; `maxLevel`: the highest bucket level seen. */
  stats: { refused: number; maxLevel: number };
  /** Inject faults for the next `times` calls of `method` ("*" = any method, incl. batch). Faults queue FIFO per method. */
  fault(method: string, kind: Fault, times?: number): void;
  clearFaults(): void;
  /** Revoke/restore the webhook (all calls → 401 INVALID_CREDENTIALS while revoked). */
  setRevoked(revoked: boolean): void;
  /** The outgoing webhook the admin configured: where ONCRMLEADUPDATE / ONCRMLEADADD go, and its token. */
  setOutgoingWebhook(w: { handlerUrl: string; applicationToken: string; events?: string[] } | null): void;
  /** A person changes a lead in the portal UI (e.g. moves its stage): updates it (DATE_MODIFY, MODIFY_BY_ID) and fires ONCRMLEADUPDATE like an API update does. */
  uiUpdate(id: number, fields: Record<string, unknown>): void;
  /** Deliveries made to the outgoing webhook: {event, body (raw form string), status}; status 0 = no answer. */
  deliveries: { event: string; body: string; status: number }[];
  /** Wait until all scheduled event deliveries have been attempted. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// Wire format

type Params = Record<string, unknown>;
type Lead = Record<string, unknown>;
type MultiItem = { ID: string; VALUE_TYPE: string; VALUE: string; TYPE_ID: string };

/** A REST error: HTTP status, `error` code and `error_description` (§1 error envelope). */
class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    description: string,
  ) {
    super(description);
  }
}

/** §1: the legacy CRM methods throw message-only exceptions, which arrive as HTTP 400 with `error: ""`. */
const legacy = (description: string) => new RestError(400, "", description);

const ERRORS = {
  queryLimit: new RestError(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"),
  operationLimit: new RestError(429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit."),
  internal: new RestError(500, "INTERNAL_SERVER_ERROR", "Internal server error"),
  invalidCredentials: new RestError(401, "INVALID_CREDENTIALS", "Invalid request credentials"),
  noAuth: new RestError(401, "NO_AUTH_FOUND", "Wrong authorization data"),
  methodNotFound: new RestError(404, "ERROR_METHOD_NOT_FOUND", "Method not found!"),
  batchLength: new RestError(400, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded"),
  // The docs' system-error table: 405 "Method is not allowed for batch usage".
  batchMethod: new RestError(405, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage"),
};

/** Faults that replace the answer with an error envelope (inside batch: that command's result_error). */
const ANSWER_FAULTS: Partial<Record<Fault, RestError>> = {
  query_limit: ERRORS.queryLimit,
  operation_limit: ERRORS.operationLimit,
  internal_error: ERRORS.internal,
  invalid_credentials: ERRORS.invalidCredentials,
};
/** Transport faults that strike before the call runs (nothing is committed by it). */
const BEFORE_COMMIT: ReadonlySet<Fault> = new Set(["hang", "html_502"]);

/** How an HTTP exchange ends. */
type Outcome =
  | { kind: "answer"; status: number; body: string; contentType: string }
  /** hang / timeout_after_create: no answer; the socket stays open until the client gives up or close(). */
  | { kind: "silent" }
  /** drop_after_commit: the connection is cut without an answer. */
  | { kind: "drop" };

const HTML_502: Outcome = { kind: "answer", status: 502, body: "<html><body>502 Bad Gateway</body></html>", contentType: "text/html; charset=utf-8" };

/** The exchange a transport fault leaves behind. */
function transportOutcome(fault: Fault): Outcome {
  if (fault === "html_502") return HTML_502;
  return fault === "drop_after_commit" ? { kind: "drop" } : { kind: "silent" };
}

/** §1: PHP's json_encode escapes "/" as "\/" ("/" only ever occurs inside JSON strings, so this is safe). */
function phpJson(value: unknown): string {
  return JSON.stringify(value).replace(/\//g, "\\/");
}

const json = (status: number, value: unknown): Outcome => ({ kind: "answer", status, body: phpJson(value), contentType: "application/json; charset=utf-8" });
const errorOutcome = (e: RestError): Outcome => json(e.status, { error: e.code, error_description: e.message });

/** §1: a PHP array with keys 0..n-1 is encoded as a JSON list (an empty one as `[]`), any other as an object. */
function phpArray(map: Record<string, unknown>): unknown {
  const keys = Object.keys(map);
  return keys.every((k, i) => k === String(i)) ? Object.values(map) : map;
}

/** What PHP's is_array() accepts: JSON arrays and objects, qs-parsed brackets. */
function isPhpArray(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

/** PHP's (string) cast for scalars; undefined for arrays (which a scalar field cannot take). */
function phpString(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return v;
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "1" : "";
  return undefined;
}

/** PHP truthiness of a request parameter ("0", "" and empty arrays are false). */
function phpTruthy(v: unknown): boolean {
  if (isPhpArray(v)) return Object.keys(v).length > 0;
  return v !== undefined && v !== null && v !== false && v !== 0 && v !== "" && v !== "0";
}

/** §1: parameter names are resolved leniently: `fields`/`FIELDS`/`Fields`/`arFields`, `id`/`ID`. PHP's isset() skips null. */
function param(p: Params, name: string): unknown {
  const cap = name.charAt(0).toUpperCase() + name.slice(1);
  for (const key of [name, name.toUpperCase(), cap, `ar${cap}`]) {
    if (p[key] !== undefined && p[key] !== null) return p[key];
  }
  return undefined;
}

/** An array parameter; a present non-array one is refused like the module does (§2 crm.lead.list). */
function arrayParam(p: Params, name: string): Record<string, unknown> | undefined {
  const v = param(p, name);
  if (v === undefined) return undefined;
  if (!isPhpArray(v)) throw legacy(`Parameter '${name}' must be array.`);
  return v;
}

function idParam(p: Params): number {
  const raw = phpString(param(p, "id"));
  const id = raw && /^\d+$/.test(raw.trim()) ? Number(raw) : 0;
  if (id <= 0) throw legacy("ID is not defined or invalid.");
  return id;
}

/** PHP bracket syntax, generous enough for batches of 50 commands with nested fields. */
const QS_OPTIONS = { depth: 20, arrayLimit: 1000, parameterLimit: 10_000 } as const;

/** §1 encodings: GET query, then a JSON or form body (PHP merges both into the request). */
function parseParams(url: URL, contentType: string | undefined, body: string): Params {
  const params: Params = { ...qs.parse(url.search.slice(1), QS_OPTIONS) };
  const type = (contentType ?? "").toLowerCase();
  if (type.includes("application/json")) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (isPhpArray(parsed) && !Array.isArray(parsed)) Object.assign(params, parsed);
    } catch {
      // [~] an unparsable body contributes no parameters; the method then reports what is missing.
    }
  } else if (type.includes("application/x-www-form-urlencoded")) {
    Object.assign(params, qs.parse(body, QS_OPTIONS));
  }
  return params;
}

/** PHP urlencode(): RFC 1738 (space → "+"), everything but [A-Za-z0-9_.-] percent-encoded. */
function phpUrlencode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

/** PHP http_build_query() of already flattened keys (brackets get percent-encoded too). */
function httpBuildQuery(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${phpUrlencode(k)}=${phpUrlencode(v)}`).join("&");
}

// ---------------------------------------------------------------------------------------------------
// Time (§1 `time` block) — the portal runs on Moscow time

const OFFSET_MS = 3 * 3600_000;
const nowMs = () => performance.timeOrigin + performance.now();

/** ISO 8601 with the portal's offset, seconds precision: `2024-01-20T18:35:32+03:00`. */
function portalDate(ms: number): string {
  return `${new Date(ms + OFFSET_MS).toISOString().slice(0, 19)}+03:00`;
}

type TimeBlock = {
  start: number;
  finish: number;
  duration: number;
  processing: number;
  date_start: string;
  date_finish: string;
  operating_reset_at: number;
  operating: number;
};

// ---------------------------------------------------------------------------------------------------
// Lead fields (§2) and directories (§3)

type FieldType =
  | "integer"
  | "string"
  | "char"
  | "double"
  | "date"
  | "datetime"
  | "user"
  | "crm_status"
  | "crm_currency"
  | "crm_company"
  | "crm_contact"
  | "crm_multifield";
type FieldDef = { type: FieldType; title: string; readOnly?: boolean; statusType?: string };

const LEAD_FIELDS: Record<string, FieldDef> = {
  ID: { type: "integer", title: "ID", readOnly: true },
  TITLE: { type: "string", title: "Название лида" },
  HONORIFIC: { type: "crm_status", title: "Обращение", statusType: "HONORIFIC" },
  NAME: { type: "string", title: "Имя" },
  SECOND_NAME: { type: "string", title: "Отчество" },
  LAST_NAME: { type: "string", title: "Фамилия" },
  BIRTHDATE: { type: "date", title: "Дата рождения" },
  COMPANY_TITLE: { type: "string", title: "Название компании" },
  POST: { type: "string", title: "Должность" },
  ADDRESS: { type: "string", title: "Адрес" },
  SOURCE_ID: { type: "crm_status", title: "Источник", statusType: "SOURCE" },
  SOURCE_DESCRIPTION: { type: "string", title: "Дополнительно об источнике" },
  STATUS_ID: { type: "crm_status", title: "Стадия", statusType: "STATUS" },
  STATUS_DESCRIPTION: { type: "string", title: "Дополнительно о стадии" },
  STATUS_SEMANTIC_ID: { type: "string", title: "Семантика стадии", readOnly: true },
  CURRENCY_ID: { type: "crm_currency", title: "Валюта" },
  OPPORTUNITY: { type: "double", title: "Сумма" },
  IS_MANUAL_OPPORTUNITY: { type: "char", title: "Сумма заполнена вручную" },
  OPENED: { type: "char", title: "Доступен для всех" },
  COMMENTS: { type: "string", title: "Комментарий" },
  HAS_PHONE: { type: "char", title: "Есть телефон", readOnly: true },
  HAS_EMAIL: { type: "char", title: "Есть e-mail", readOnly: true },
  HAS_IMOL: { type: "char", title: "Есть открытая линия", readOnly: true },
  ASSIGNED_BY_ID: { type: "user", title: "Ответственный" },
  CREATED_BY_ID: { type: "user", title: "Кем создан", readOnly: true },
  MODIFY_BY_ID: { type: "user", title: "Кем изменён", readOnly: true },
  MOVED_BY_ID: { type: "user", title: "Кем перемещён", readOnly: true },
  DATE_CREATE: { type: "datetime", title: "Дата создания", readOnly: true },
  DATE_MODIFY: { type: "datetime", title: "Дата изменения", readOnly: true },
  MOVED_TIME: { type: "datetime", title: "Дата перемещения", readOnly: true },
  COMPANY_ID: { type: "crm_company", title: "Компания" },
  CONTACT_ID: { type: "crm_contact", title: "Контакт" },
  IS_RETURN_CUSTOMER: { type: "char", title: "Повторный лид", readOnly: true },
  DATE_CLOSED: { type: "datetime", title: "Дата завершения", readOnly: true },
  ORIGINATOR_ID: { type: "string", title: "Внешний источник" },
  ORIGIN_ID: { type: "string", title: "Идентификатор элемента во внешнем источнике" },
  UTM_SOURCE: { type: "string", title: "Рекламная система" },
  UTM_MEDIUM: { type: "string", title: "Тип трафика" },
  UTM_CAMPAIGN: { type: "string", title: "Обозначение рекламной кампании" },
  UTM_CONTENT: { type: "string", title: "Содержание кампании" },
  UTM_TERM: { type: "string", title: "Условие поиска кампании" },
  LAST_ACTIVITY_TIME: { type: "datetime", title: "Последняя активность", readOnly: true },
  LAST_ACTIVITY_BY: { type: "user", title: "Автор последней активности", readOnly: true },
  PHONE: { type: "crm_multifield", title: "Телефон" },
  EMAIL: { type: "crm_multifield", title: "E-mail" },
  WEB: { type: "crm_multifield", title: "Сайт" },
  IM: { type: "crm_multifield", title: "Мессенджер" },
};

/** How filters and orders compare a field's values. */
type Kind = "number" | "date" | "string" | "multi";
const KIND_OF_TYPE: Record<FieldType, Kind> = {
  integer: "number",
  double: "number",
  user: "number",
  crm_company: "number",
  crm_contact: "number",
  date: "date",
  datetime: "date",
  crm_multifield: "multi",
  string: "string",
  char: "string",
  crm_status: "string",
  crm_currency: "string",
};
const leadKind = (name: string): Kind | undefined => {
  const def = LEAD_FIELDS[name];
  return def && KIND_OF_TYPE[def.type];
};

type Semantics = "process" | "success" | "failure";
type Stage = { statusId: string; name: string; sort: number; color: string; semantics: Semantics; system: boolean };
const SEMANTIC_LETTER: Record<Semantics, string> = { process: "P", success: "S", failure: "F" };

const DEFAULT_STAGES: Stage[] = [
  { statusId: "NEW", name: "Не обработан", sort: 10, color: "#2FC6F6", semantics: "process", system: true },
  { statusId: "IN_PROCESS", name: "В работе", sort: 20, color: "#FFA900", semantics: "process", system: true },
  { statusId: "PROCESSED", name: "Обработан", sort: 30, color: "#FFCB00", semantics: "process", system: true },
  { statusId: "CONVERTED", name: "Качественный лид", sort: 50, color: "#7BD500", semantics: "success", system: true },
  { statusId: "JUNK", name: "Некачественный лид", sort: 60, color: "#FF5752", semantics: "failure", system: true },
];
/** §3: portals add their own stages; these two sit between the defaults. */
const CUSTOM_STAGES: Stage[] = [
  { statusId: "UC_NEGOTIATION", name: "Переговоры", sort: 25, color: "#55D0E0", semantics: "process", system: false },
  { statusId: "UC_LOSTPRICE", name: "Не устроила цена", sort: 70, color: "#E0E0E0", semantics: "failure", system: false },
];

const SOURCES: [string, string][] = [
  ["CALL", "Звонок"],
  ["EMAIL", "Электронная почта"],
  ["WEB", "Веб-сайт"],
  ["ADVERTISING", "Реклама"],
  ["PARTNER", "Существующий клиент"],
  ["RECOMMENDATION", "По рекомендации"],
  ["TRADE_SHOW", "Выставка"],
  ["WEBFORM", "CRM-форма"],
  ["CALLBACK", "Обратный звонок"],
  ["RC_GENERATOR", "Генератор продаж"],
  ["STORE", "Интернет-магазин"],
  ["OTHER", "Другое"],
];

/** The crm.status.list items of both directories, in directory then SORT order. */
function statusItems(stages: Stage[]): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (const s of stages) {
    items.push({
      ID: String(items.length + 1),
      ENTITY_ID: "STATUS",
      STATUS_ID: s.statusId,
      NAME: s.name,
      NAME_INIT: s.system ? s.name : "",
      SORT: String(s.sort),
      SYSTEM: s.system ? "Y" : "N",
      CATEGORY_ID: null,
      COLOR: s.color,
      // §3: in-progress stages have SEMANTICS null and EXTRA.SEMANTICS "process".
      SEMANTICS: s.semantics === "process" ? null : SEMANTIC_LETTER[s.semantics],
      EXTRA: { SEMANTICS: s.semantics, COLOR: s.color },
    });
  }
  SOURCES.forEach(([statusId, name], i) => {
    // [~] sources carry no semantics, so no EXTRA block.
    items.push({ ID: String(items.length + 1), ENTITY_ID: "SOURCE", STATUS_ID: statusId, NAME: name, NAME_INIT: name, SORT: String((i + 1) * 10), SYSTEM: "Y", CATEGORY_ID: null, COLOR: null, SEMANTICS: null });
  });
  return items;
}

/** The person who moves leads in the portal UI (uiUpdate) — not the webhook's owner. */
const UI_USER_ID = 2;

// ---------------------------------------------------------------------------------------------------
// Filters and orders (§2 crm.lead.list)

// Longest prefixes first: "!%=" before "!%", ">=" before ">".
const FILTER_KEY = /^(!@|!=|!%=|!%|>=|<=|=%|%=|[!@<>=%])?(.+)$/;

/** Compares two values as `kind`; undefined when one side is empty or unparsable (such rows never match a range). */
function compare(a: unknown, b: unknown, kind: Exclude<Kind, "multi">): number | undefined {
  const sa = a == null ? "" : String(a);
  const sb = b == null ? "" : String(b);
  if (kind === "string") return sa < sb ? -1 : sa > sb ? 1 : 0;
  if (sa === "" || sb === "") return sa === sb ? 0 : undefined;
  const na = kind === "number" ? Number(sa) : Date.parse(sa);
  const nb = kind === "number" ? Number(sb) : Date.parse(sb);
  return Number.isNaN(na) || Number.isNaN(nb) ? undefined : Math.sign(na - nb);
}

/** SQL LIKE with `%` wildcards, case-insensitive (MySQL collation). */
function like(value: string, pattern: string): boolean {
  const re = pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, "[\\s\\S]*");
  return new RegExp(`^${re}$`, "i").test(value);
}

/** One positive filter operation (the "!" forms negate it). */
function test(op: string, stored: unknown, value: unknown, kind: Exclude<Kind, "multi">): boolean {
  const c = () => compare(stored, value, kind);
  const text = stored == null ? "" : String(stored);
  switch (op) {
    case "=":
    case "@": // `=` with a list means IN as well
      return (isPhpArray(value) ? Object.values(value) : [value]).some((v) => compare(stored, v, kind) === 0);
    case ">":
      return (c() ?? 0) > 0;
    case ">=":
      return (c() ?? -1) >= 0;
    case "<":
      return (c() ?? 0) < 0;
    case "<=":
      return (c() ?? 1) <= 0;
    case "%":
      return text.toLowerCase().includes(String(value ?? "").toLowerCase());
    default: // "=%" / "%=": LIKE with the caller's wildcards
      return like(text, String(value ?? ""));
  }
}

function matchesFilter(row: Record<string, unknown>, filter: Record<string, unknown>, kindOf: (name: string) => Kind | undefined): boolean {
  return Object.entries(filter).every(([key, value]) => {
    const [, prefix = "", field = ""] = FILTER_KEY.exec(key) ?? [];
    const kind = kindOf(field);
    if (!kind) return true; // [~] unknown filter fields are ignored, like the old CRM filter does
    const negate = prefix.startsWith("!");
    const op = (negate ? prefix.slice(1) : prefix) || "=";
    if (kind !== "multi") return test(op, row[field], value, kind) !== negate;
    // Multifields match when any of their values does.
    const values = ((row[field] as MultiItem[] | undefined) ?? []).map((i) => i.VALUE);
    return values.some((v) => test(op, v, value, "string")) !== negate;
  });
}

function sortRows<T extends Record<string, unknown>>(rows: T[], order: Record<string, unknown>, kindOf: (name: string) => Kind | undefined): T[] {
  const keys = Object.entries(order).flatMap(([field, dir]) => {
    const kind = kindOf(field);
    return kind && kind !== "multi" ? [{ field, kind, sign: String(dir).toUpperCase() === "DESC" ? -1 : 1 }] : [];
  });
  // Stable sort over rows kept in ID order: ties stay in ID order.
  return rows.sort((a, b) => {
    for (const { field, kind, sign } of keys) {
      const c = compare(a[field], b[field], kind) ?? (a[field] == null || a[field] === "" ? -1 : 1);
      if (c !== 0) return c * sign;
    }
    return 0;
  });
}

// ---------------------------------------------------------------------------------------------------
// Lead writes (§2 crm.lead.add / crm.lead.update, multifields)

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NUMBER_RE = /^\s*-?\d+(\.\d+)?\s*$/;

function checkMultiValue(typeId: string, value: string): string | undefined {
  if (value.length > 250) return `Field "${typeId}" value is too long (maximum 250 characters).`;
  if (typeId === "EMAIL" && !EMAIL_RE.test(value)) return `Invalid e-mail address: ${value}`;
  return undefined;
}

/** [~] "HTML is sanitised by the portal": script/style elements and on* handlers are dropped. */
function sanitizeHtml(s: string): string {
  return s.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, "").replace(/\son\w+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, "");
}

/**
 * §2 multifield semantics: an item without a known `ID` is added; `ID` + `VALUE` edits that entry; `ID`
 * with `DELETE: "Y"` or an empty `VALUE` deletes it; entries not mentioned stay. A non-array value and
 * items that are not arrays/objects are silently ignored.
 */
function applyMulti(typeId: string, current: MultiItem[], raw: unknown, errors: string[], newId: () => string): MultiItem[] {
  const items = current.map((i) => ({ ...i }));
  if (!isPhpArray(raw)) return items;
  for (const entry of Object.values(raw)) {
    if (!isPhpArray(entry)) continue;
    const id = phpString(entry.ID) ?? "";
    const value = phpString(entry.VALUE) ?? "";
    const at = id ? items.findIndex((i) => i.ID === id) : -1;
    if (phpString(entry.DELETE) === "Y" || value === "") {
      if (at >= 0) items.splice(at, 1);
      continue;
    }
    const problem = checkMultiValue(typeId, value);
    if (problem) {
      errors.push(problem);
      continue;
    }
    const existing = items[at];
    // [~] an omitted VALUE_TYPE keeps the entry's type, or is WORK for a new one.
    const valueType = phpString(entry.VALUE_TYPE) || (existing?.VALUE_TYPE ?? "WORK");
    if (existing) items[at] = { ...existing, VALUE_TYPE: valueType, VALUE: value };
    else items.push({ ID: newId(), VALUE_TYPE: valueType, VALUE: value, TYPE_ID: typeId });
  }
  return items;
}

/** A lead with every scalar field present: null, or "" for dates (§2 crm.lead.get). */
function blankLead(): Lead {
  const lead: Lead = {};
  for (const [name, def] of Object.entries(LEAD_FIELDS)) {
    if (def.type !== "crm_multifield") lead[name] = def.type === "date" || def.type === "datetime" ? "" : null;
  }
  return lead;
}

/** §2 `select`: field names, `*` = all non-multiple fields (also when empty or omitted). */
function selectNames(select: Record<string, unknown> | undefined): Set<string> {
  const names = new Set(select ? Object.values(select).map(String) : []);
  if (names.size === 0) names.add("*");
  return names;
}
/** crm.lead.get shows everything. */
const ALL_FIELDS: ReadonlySet<string> = new Set(Object.keys(LEAD_FIELDS));

/** A lead as crm.lead.get / crm.lead.list show it: the named fields, ID always; multifields only when named and not empty (§2). */
function project(lead: Lead, names: ReadonlySet<string>): Lead {
  const out: Lead = {};
  for (const [name, def] of Object.entries(LEAD_FIELDS)) {
    const multi = def.type === "crm_multifield";
    if (!(name === "ID" || names.has(name) || (!multi && names.has("*")))) continue;
    if (!multi) out[name] = lead[name];
    else if (lead[name]) out[name] = (lead[name] as MultiItem[]).map((i) => ({ ...i }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// batch (§5)

const RESULT_REF = /\$result\[([^\]]+)\]((?:\[[^\]]*\])*)/g;
const WHOLE_RESULT_REF = new RegExp(`^${RESULT_REF.source}$`);

function resolveRef(results: Record<string, unknown>, key: string, path: string): unknown {
  let cur: unknown = results[key];
  for (const [, seg = ""] of path.matchAll(/\[([^\]]*)\]/g)) cur = isPhpArray(cur) ? cur[seg] : undefined;
  return cur;
}

/**
 * Replaces `$result[key]`, `$result[key][FIELD]`, `$result[key][0][ID]` in a command's parameters with
 * earlier results. [~] A value that is one whole reference takes the referenced value as it is (a list
 * stays a list); references inside longer text are interpolated; unresolved ones become "".
 */
function substitute(value: unknown, results: Record<string, unknown>): unknown {
  if (typeof value === "string") {
    const whole = WHOLE_RESULT_REF.exec(value);
    if (whole) return resolveRef(results, whole[1] ?? "", whole[2] ?? "") ?? "";
    return value.replace(RESULT_REF, (_m, key: string, path: string) => phpString(resolveRef(results, key, path)) ?? "");
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, results));
  if (isPhpArray(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, results)]));
  return value;
}

// ---------------------------------------------------------------------------------------------------
// The portal

type MethodResult = { result: unknown; next?: number; total?: number };
type Route = { method: string; auth: { userId: string; code: string } | null } | null;

const WEBHOOK_PATH = /^\/rest\/([^/]+)\/([^/]+)\/([^/]+)$/;
const OAUTH_PATH = /^\/rest\/([^/]+)$/;
const methodName = (segment: string) => segment.toLowerCase().replace(/\.json$/, "");

/** §1 URL: `/rest/<user_id>/<code>/<method>[.json]`; `/rest/<method>` carries no credentials. */
function parseRoute(pathname: string): Route {
  const hook = WEBHOOK_PATH.exec(pathname);
  if (hook) return { method: methodName(hook[3] ?? ""), auth: { userId: hook[1] ?? "", code: hook[2] ?? "" } };
  const bare = OAUTH_PATH.exec(pathname);
  return bare ? { method: methodName(bare[1] ?? ""), auth: null } : null;
}

type OutgoingWebhook = { handlerUrl: string; applicationToken: string; events: string[]; handlerId: number };

class FakePortal implements Portal {
  readonly webhookUrl: string;
  readonly domain: string;
  readonly memberId: string;
  readonly leads = new Map<number, Lead>();
  readonly requests: Portal["requests"] = [];
  readonly stats = { refused: 0, maxLevel: 0 };
  readonly deliveries: Portal["deliveries"] = [];

  private readonly userId: number;
  private readonly code: string;
  private readonly rate: number;
  private readonly burst: number;
  private readonly eventDelayMs: number;
  private readonly stages: Stage[];
  private readonly methods: Record<string, (p: Params) => MethodResult>;

  private level = 0;
  private drainedAt = nowMs();
  private nextLeadId = 1001;
  private nextMultiId = 11001;
  private nextHandlerId = 975;
  private revoked = false;
  private outgoing: OutgoingWebhook | null = null;
  private readonly faults = new Map<string, Fault[]>();
  /** §7 operating time: seconds spent per method, kept for 10 minutes. */
  private readonly operating = new Map<string, { at: number; seconds: number }[]>();
  private readonly pending = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();

  constructor(
    private readonly server: Server,
    port: number,
    opts: PortalOptions,
  ) {
    this.userId = opts.userId ?? 1;
    this.code = opts.code ?? randomBytes(8).toString("hex");
    this.rate = opts.ratePerSec ?? 2;
    this.burst = opts.burst ?? 50;
    this.memberId = opts.memberId ?? randomBytes(16).toString("hex");
    this.eventDelayMs = opts.eventDelayMs ?? 20;
    this.stages = [...DEFAULT_STAGES, ...(opts.customStages === false ? [] : CUSTOM_STAGES)].sort((a, b) => a.sort - b.sort);
    this.domain = `127.0.0.1:${port}`;
    this.webhookUrl = `http://${this.domain}/rest/${this.userId}/${this.code}/`;
    this.methods = {
      "crm.lead.add": (p) => ({ result: this.addLead(arrayParam(p, "fields") ?? {}) }),
      "crm.lead.update": (p) => {
        this.updateLead(idParam(p), arrayParam(p, "fields") ?? {}, this.userId);
        return { result: true };
      },
      "crm.lead.get": (p) => {
        const lead = this.leads.get(idParam(p));
        if (!lead) throw legacy("Not found");
        return { result: project(lead, ALL_FIELDS) };
      },
      "crm.lead.list": (p) => this.listLeads(p),
      "crm.lead.fields": () => ({ result: this.leadFields() }),
      "crm.status.list": (p) => this.listStatuses(p),
      "crm.duplicate.findbycomm": (p) => ({ result: this.findByComm(p) }),
      "user.current": () => ({ result: this.currentUser() }),
    };
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch(() => res.destroy());
    });
  }

  // --- test controls -------------------------------------------------------------------------------

  fault(method: string, kind: Fault, times = 1): void {
    const key = method === "*" ? "*" : methodName(method);
    const queue = this.faults.get(key) ?? [];
    for (let i = 0; i < times; i++) queue.push(kind);
    this.faults.set(key, queue);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setRevoked(revoked: boolean): void {
    this.revoked = revoked;
  }

  setOutgoingWebhook(w: { handlerUrl: string; applicationToken: string; events?: string[] } | null): void {
    this.outgoing = w && {
      handlerUrl: w.handlerUrl,
      applicationToken: w.applicationToken,
      events: (w.events ?? ["ONCRMLEADUPDATE"]).map((e) => e.toUpperCase()),
      handlerId: this.nextHandlerId++,
    };
  }

  uiUpdate(id: number, fields: Record<string, unknown>): void {
    this.updateLead(id, fields, UI_USER_ID);
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  async close(): Promise<void> {
    this.shutdown.abort(); // in-flight deliveries end now (recorded with status 0)
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections(); // includes the sockets left open by hang / timeout_after_create
    });
    await this.idle();
  }

  // --- HTTP ----------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const entry = { method: "", params: {} as unknown, status: 0, at: Date.now() };
    this.requests.push(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://portal");
    const params = parseParams(url, req.headers["content-type"], Buffer.concat(chunks).toString("utf8"));
    const route = parseRoute(url.pathname);
    entry.method = route?.method ?? url.pathname;
    entry.params = params;

    let outcome: Outcome;
    try {
      outcome = this.respond(route, params);
    } catch (e) {
      console.error("bitrix24-portal:", e); // a bug in the stand-in, answered like the portal would
      outcome = errorOutcome(ERRORS.internal);
    }
    if (outcome.kind === "answer") {
      entry.status = outcome.status;
      res.writeHead(outcome.status, { "Content-Type": outcome.contentType });
      res.end(outcome.body);
    } else if (outcome.kind === "drop") {
      req.socket.destroy();
    }
  }

  /** One HTTP request: the bucket (§7), credentials (§1), injected faults, then the method or batch. */
  private respond(route: Route, params: Params): Outcome {
    if (!this.takeToken()) {
      this.stats.refused++;
      return errorOutcome(ERRORS.queryLimit);
    }
    if (!route) return errorOutcome(ERRORS.methodNotFound);
    if (!route.auth) return errorOutcome(ERRORS.noAuth);
    if (this.revoked || route.auth.userId !== String(this.userId) || route.auth.code !== this.code) {
      return errorOutcome(ERRORS.invalidCredentials);
    }
    const fault = this.takeFault(route.method) ?? this.takeFault("*");
    const answerFault = fault && ANSWER_FAULTS[fault];
    if (answerFault) return errorOutcome(answerFault);
    if (fault && BEFORE_COMMIT.has(fault)) return transportOutcome(fault);

    let answer: Outcome;
    if (route.method === "batch") {
      answer = this.batch(params);
    } else {
      const run = this.run(route.method, params);
      answer = "error" in run ? errorOutcome(run.error) : json(200, { ...run.ok, time: run.time });
    }
    // timeout_after_create / drop_after_commit: the call has committed, its answer is lost.
    return fault ? transportOutcome(fault) : answer;
  }

  /** §7 leaky bucket: +1 per HTTP request, draining continuously; a request above `burst` is refused and not counted. */
  private takeToken(): boolean {
    const now = nowMs();
    this.level = Math.max(0, this.level - ((now - this.drainedAt) / 1000) * this.rate);
    this.drainedAt = now;
    if (this.level + 1 > this.burst) return false;
    this.level += 1;
    this.stats.maxLevel = Math.max(this.stats.maxLevel, this.level);
    return true;
  }

  private takeFault(method: string): Fault | undefined {
    return this.faults.get(method)?.shift();
  }

  /** Runs one method (at the top level or inside batch) and times it; the time counts toward its operating budget (§7). */
  private run(method: string, params: Params): { ok: MethodResult; time: TimeBlock } | { error: RestError } {
    const handler = Object.hasOwn(this.methods, method) ? this.methods[method] : undefined;
    if (!handler) return { error: ERRORS.methodNotFound };
    const start = nowMs();
    try {
      const ok = handler(params);
      return { ok, time: this.timeBlock(start, nowMs(), method) };
    } catch (e) {
      if (e instanceof RestError) return { error: e };
      throw e;
    }
  }

  /** §1 `time`; `method` = null for the outer batch call, which is not counted (§7). */
  private timeBlock(start: number, finish: number, method: string | null): TimeBlock {
    const seconds = (finish - start) / 1000;
    let operating = 0;
    let resetAt = finish + 600_000;
    if (method) {
      const log = (this.operating.get(method) ?? []).filter((e) => e.at > finish - 600_000);
      log.push({ at: finish, seconds });
      this.operating.set(method, log);
      operating = log.reduce((sum, e) => sum + e.seconds, 0);
      resetAt = (log[0]?.at ?? finish) + 600_000;
    }
    return {
      start: start / 1000,
      finish: finish / 1000,
      duration: seconds,
      processing: seconds,
      date_start: portalDate(start),
      date_finish: portalDate(finish),
      operating_reset_at: Math.ceil(resetAt / 1000),
      operating,
    };
  }

  /**
   * §5 batch: up to 50 commands ("method?query", query PHP-style), one bucket token for all, `$result[…]`
   * references to earlier results, halt=1 stops at the first failure. Faults registered for an inner
   * method (by its exact name; "*" faults strike the outer HTTP call) apply inside too: answer faults
   * become that command's result_error; transport faults take the
   * whole HTTP answer — hang / html_502 before the command runs (the batch stops there), the "after
   * commit" ones once the batch has finished.
   */
  private batch(params: Params): Outcome {
    const start = nowMs();
    const cmd = param(params, "cmd");
    const commands = isPhpArray(cmd) ? Object.entries(cmd) : [];
    if (commands.length > 50) return errorOutcome(ERRORS.batchLength);
    const halt = phpTruthy(param(params, "halt"));
    const parts: Record<"result" | "result_error" | "result_total" | "result_next" | "result_time", Record<string, unknown>> = {
      result: {},
      result_error: {},
      result_total: {},
      result_next: {},
      result_time: {},
    };
    let lost: Fault | undefined;
    for (const [key, command] of commands) {
      const text = phpString(command) ?? "";
      const q = text.indexOf("?");
      const method = methodName(q < 0 ? text : text.slice(0, q));
      const commandFault = this.takeFault(method);
      if (commandFault && BEFORE_COMMIT.has(commandFault)) return transportOutcome(commandFault);
      if (commandFault && !ANSWER_FAULTS[commandFault]) lost ??= commandFault;

      const inner = qs.parse(q < 0 ? "" : text.slice(q + 1), QS_OPTIONS);
      const error = (commandFault && ANSWER_FAULTS[commandFault]) ?? (method === "batch" ? ERRORS.batchMethod : undefined);
      const run = error ? { error } : this.run(method, substitute(inner, parts.result) as Params);
      if ("error" in run) {
        parts.result_error[key] = { error: run.error.code, error_description: run.error.message };
        if (halt) break;
        continue;
      }
      parts.result[key] = run.ok.result;
      parts.result_time[key] = run.time;
      if (run.ok.total !== undefined) parts.result_total[key] = run.ok.total;
      if (run.ok.next !== undefined) parts.result_next[key] = run.ok.next;
    }
    if (lost) return transportOutcome(lost);
    const result = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, phpArray(v)]));
    return json(200, { result, time: this.timeBlock(start, nowMs(), null) });
  }

  // --- leads ---------------------------------------------------------------------------------------

  private stage(statusId: unknown): Stage | undefined {
    return this.stages.find((s) => s.statusId === statusId);
  }

  /**
   * Applies `fields` to a copy of `base` like crm.lead.add/update (§2): unknown and read-only keys are
   * dropped silently; validation messages are collected and thrown together, joined by `<br />`.
   */
  private applyFields(base: Lead, fields: Record<string, unknown>, isUpdate: boolean): Lead {
    const lead: Lead = { ...base };
    const errors: string[] = [];
    for (const [name, raw] of Object.entries(fields)) {
      const def = LEAD_FIELDS[name];
      if (!def || def.readOnly) continue;
      if (def.type === "crm_multifield") {
        const items = applyMulti(name, (lead[name] as MultiItem[] | undefined) ?? [], raw, errors, () => String(this.nextMultiId++));
        if (items.length > 0) lead[name] = items;
        else delete lead[name]; // §2: a group is absent when empty
        continue;
      }
      let value = phpString(raw);
      if (value === undefined) continue; // [~] an array in a scalar field is dropped
      if (name === "TITLE" && isUpdate && !value) errors.push('Field "TITLE" is required.');
      if (name === "OPPORTUNITY") {
        if (!value) value = "0.00";
        else if (NUMBER_RE.test(value)) value = Number(value).toFixed(2); // §2: returned as "12500.00"
        else errors.push('Field "OPPORTUNITY" must be a number.');
      }
      if (name === "COMMENTS" && value) value = sanitizeHtml(value);
      lead[name] = value;
    }
    if (errors.length > 0) throw legacy(errors.join("<br />"));
    return lead;
  }

  /** Stamps what the portal derives on every write: modification, stage semantics and moves, HAS_* flags. */
  private stamp(lead: Lead, previousStatus: unknown, by: number): void {
    const now = portalDate(Date.now());
    lead.DATE_MODIFY = now;
    lead.MODIFY_BY_ID = String(by);
    const semantics = this.stage(lead.STATUS_ID)?.semantics ?? "process"; // [~] unknown stages count as in progress
    lead.STATUS_SEMANTIC_ID = SEMANTIC_LETTER[semantics];
    if (lead.STATUS_ID !== previousStatus) {
      lead.MOVED_TIME = now;
      lead.MOVED_BY_ID = String(by);
      lead.DATE_CLOSED = semantics === "process" ? "" : now;
    }
    lead.HAS_PHONE = lead.PHONE ? "Y" : "N";
    lead.HAS_EMAIL = lead.EMAIL ? "Y" : "N";
    // §2: a lead bound to a company or contact is a repeat lead.
    lead.IS_RETURN_CUSTOMER = Number(lead.COMPANY_ID) > 0 || Number(lead.CONTACT_ID) > 0 ? "Y" : "N";
  }

  /** §2 crm.lead.add; `params.REGISTER_SONET_EVENT` has nothing to post to here. */
  private addLead(fields: Record<string, unknown>): number {
    const base = { ...blankLead(), OPPORTUNITY: "0.00", IS_MANUAL_OPPORTUNITY: "N", OPENED: "Y", HAS_IMOL: "N" };
    const lead = this.applyFields(base, fields, false);
    const id = this.nextLeadId++;
    lead.ID = String(id);
    // §2 defaults when omitted: first stage, base currency, the webhook's user, "Lead #<ID>".
    lead.STATUS_ID ||= "NEW";
    lead.CURRENCY_ID ||= "RUB";
    lead.ASSIGNED_BY_ID ||= String(this.userId);
    lead.TITLE ||= `Lead #${id}`;
    lead.CREATED_BY_ID = String(this.userId);
    this.stamp(lead, undefined, this.userId);
    lead.DATE_CREATE = lead.DATE_MODIFY;
    this.leads.set(id, lead);
    this.emit("ONCRMLEADADD", id);
    return id;
  }

  /** §2 crm.lead.update (API or UI): any update fires ONCRMLEADUPDATE — that is how loops happen (§8). */
  private updateLead(id: number, fields: Record<string, unknown>, by: number): void {
    const current = this.leads.get(id);
    if (!current) throw legacy("Not found");
    const lead = this.applyFields(current, fields, true);
    this.stamp(lead, current.STATUS_ID, by);
    this.leads.set(id, lead);
    this.emit("ONCRMLEADUPDATE", id);
  }

  /** §2 crm.lead.list: pages of 50 with `next`/`total`; `start=-1` skips counting. */
  private listLeads(p: Params): MethodResult {
    const filter = arrayParam(p, "filter") ?? {};
    const order = arrayParam(p, "order") ?? { ID: "ASC" };
    const select = selectNames(arrayParam(p, "select"));
    const start = Number.parseInt(phpString(param(p, "start")) ?? "0", 10) || 0;
    const rows = sortRows(
      [...this.leads.values()].filter((lead) => matchesFilter(lead, filter, leadKind)),
      order,
      leadKind,
    );
    const offset = Math.max(start, 0);
    const result = rows.slice(offset, offset + 50).map((lead) => project(lead, select));
    if (start === -1) return { result };
    return { result, total: rows.length, ...(offset + 50 < rows.length && { next: offset + 50 }) };
  }

  private leadFields(): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(LEAD_FIELDS).map(([name, def]) => [
        name,
        {
          type: def.type,
          isRequired: false, // TITLE falls back to "Lead #<ID>"; no custom required fields on this portal
          isReadOnly: def.readOnly ?? false,
          isImmutable: false,
          isMultiple: def.type === "crm_multifield",
          isDynamic: false,
          title: def.title,
          ...(def.statusType && { statusType: def.statusType }),
        },
      ]),
    );
  }

  /** §3 crm.status.list: both directories, filtered like a list (`ENTITY_ID`), with `total`. */
  private listStatuses(p: Params): MethodResult {
    const filter = arrayParam(p, "filter") ?? {};
    const order = arrayParam(p, "order") ?? {};
    const items = statusItems(this.stages);
    const kindOf = (name: string): Kind | undefined => (name === "ID" || name === "SORT" ? "number" : items[0] && name in items[0] ? "string" : undefined);
    const result = sortRows(
      items.filter((item) => matchesFilter(item, filter, kindOf)),
      order,
      kindOf,
    );
    return { result, total: result.length };
  }

  /**
   * §4 crm.duplicate.findbycomm: `{"LEAD": [ids]}`, or `[]` when nothing matches. [~] Phones match on
   * their digits, e-mails case-insensitively (the portal's normalisation is not documented).
   */
  private findByComm(p: Params): unknown {
    const type = phpString(param(p, "type")) ?? "";
    if (!type) throw legacy("Communication type is not defined.");
    const typeId = type.toUpperCase();
    if (typeId !== "PHONE" && typeId !== "EMAIL") throw legacy(`Communication type '${type}' is not supported in current context.`);
    const raw = param(p, "values");
    const values = isPhpArray(raw) ? Object.values(raw).flatMap((v) => phpString(v) || []) : [];
    if (values.length === 0) throw legacy("Communication values is not defined.");
    const entityType = (phpString(param(p, "entity_type")) ?? "").toUpperCase();
    // Only leads live on this portal: a CONTACT/COMPANY search finds nothing.
    if (entityType && entityType !== "LEAD") return [];
    const norm = (v: string) => (typeId === "PHONE" ? v.replace(/\D/g, "") : v.trim().toLowerCase());
    const wanted = new Set(values.map(norm).filter(Boolean));
    const ids = [...this.leads.entries()]
      .filter(([, lead]) => ((lead[typeId] as MultiItem[] | undefined) ?? []).some((i) => wanted.has(norm(i.VALUE))))
      .map(([id]) => id);
    return ids.length > 0 ? { LEAD: ids } : [];
  }

  private currentUser(): Record<string, unknown> {
    return {
      ID: String(this.userId),
      XML_ID: null,
      ACTIVE: true,
      NAME: "Админ",
      LAST_NAME: "Портала",
      SECOND_NAME: "",
      EMAIL: "admin@portal.test",
      LAST_LOGIN: portalDate(Date.now()),
      DATE_REGISTER: "2024-01-10T00:00:00+03:00",
      TIME_ZONE: "",
      IS_ONLINE: "Y",
      TIME_ZONE_OFFSET: "10800",
      PERSONAL_GENDER: "",
      WORK_POSITION: "Администратор",
      UF_DEPARTMENT: [1],
      USER_TYPE: "employee",
    };
  }

  // --- outbound events (§8) ------------------------------------------------------------------------

  /**
   * Queues an event for the outgoing webhook when it subscribes to it: a form POST built like PHP
   * http_build_query, after the queue's delay; a failed delivery is not retried.
   */
  private emit(event: "ONCRMLEADADD" | "ONCRMLEADUPDATE", id: number): void {
    const hook = this.outgoing;
    if (!hook?.events.includes(event)) return;
    const body = httpBuildQuery([
      ["event", event],
      ["event_handler_id", String(hook.handlerId)],
      ["data[FIELDS][ID]", String(id)], // the only data: handlers re-read the lead
      ["ts", String(Math.floor(Date.now() / 1000))],
      ["auth[domain]", this.domain],
      ["auth[client_endpoint]", `http://${this.domain}/rest/`],
      ["auth[server_endpoint]", "https://oauth.bitrix.info/rest/"],
      ["auth[member_id]", this.memberId],
      ["auth[application_token]", hook.applicationToken],
    ]);
    const delivery = (async () => {
      await new Promise((r) => setTimeout(r, this.eventDelayMs));
      let status = 0;
      try {
        const res = await fetch(hook.handlerUrl, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body,
          signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(5000)]),
        });
        status = res.status;
        await res.arrayBuffer();
      } catch {
        // unreachable, timed out or closed: recorded with status 0, never retried
      }
      this.deliveries.push({ event, body, status });
    })();
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }
}

/** Starts a portal on 127.0.0.1 at a free port. */
export async function startPortal(opts: PortalOptions = {}): Promise<Portal> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return new FakePortal(server, (server.address() as AddressInfo).port, opts);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { rate: { type: "string" }, burst: { type: "string" } } });
  const portal = await startPortal({
    ratePerSec: values.rate === undefined ? undefined : Number(values.rate),
    burst: values.burst === undefined ? undefined : Number(values.burst),
  });
  process.stdout.write(`${JSON.stringify({ webhookUrl: portal.webhookUrl, domain: portal.domain, memberId: portal.memberId })}\n`);
  const stop = () => void portal.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
