import "server-only";
import { parse } from "csv-parse/sync";
import { desc, eq } from "drizzle-orm";
import { DEFAULT_TENANT_SETTINGS, leadImports, tenants, type ImportRowError } from "@/db/schema";
import { withTenant, type Tx } from "@/db/tenant";
import { AppError, issuesFromZod } from "@/lib/errors";
import { enqueue } from "@/lib/jobs/enqueue";
import { kickRelay } from "@/lib/jobs/relay";
import { recordIntake } from "@/lib/services/intake/write";
import { isStorableText, UNSTORABLE_TEXT } from "@/lib/validators/common";
import { INTAKE_FIELDS, splitFields, ZIntakeSchema } from "@/lib/validators/intake";
import { EXPORT_COLUMNS } from "./export";

export const MAX_IMPORT_ROWS = 50_000;
/** Where a column can go: an intake field, a custom field named by its header, or nowhere. */
export const IMPORT_TARGETS = [...INTAKE_FIELDS, "custom", ""] as const;

// Headers people (and our own export) write, Russian and English, → the intake field.
const ALIASES: Record<string, (typeof INTAKE_FIELDS)[number]> = {};
const alias = (field: (typeof INTAKE_FIELDS)[number], ...names: string[]) => names.forEach((n) => (ALIASES[normaliseHeader(n)] = field));
alias("name", "name", "имя", "фио", "ф.и.о.", "контакт", "контактное лицо", "клиент", "full name", "contact");
alias("email", "email", "e-mail", "почта", "эл. почта", "электронная почта", "емейл", "mail");
alias("phone", "phone", "телефон", "тел", "тел.", "мобильный", "номер телефона", "mobile", "phone number");
alias("company", "company", "компания", "организация", "фирма", "organisation", "organization");
alias("message", "message", "сообщение", "комментарий", "текст", "описание", "запрос", "comment", "notes", "description");
alias("form", "form", "форма");
alias("pageUrl", "pageurl", "page url", "страница", "url");
alias("referrer", "referrer", "реферер", "источник перехода");
alias("utm_source", "utm_source", "utm source", "источник");
alias("utm_medium", "utm_medium", "utm medium", "канал рекламы");
alias("utm_campaign", "utm_campaign", "utm campaign", "кампания");
alias("utm_term", "utm_term", "utm term");
alias("utm_content", "utm_content", "utm content");
alias("consent", "consent", "согласие");

function normaliseHeader(h: string): string {
  return h.trim().toLowerCase().replace(/\s+/g, " ");
}

/** The mapping a header row suggests; our own export's extra columns (id, status…) are skipped. */
export function autoMapping(headers: string[]): string[] {
  const exportOnly = new Set(EXPORT_COLUMNS.filter((c) => !ALIASES[normaliseHeader(c.ru)] && !ALIASES[normaliseHeader(c.en)]).flatMap((c) => [normaliseHeader(c.ru), normaliseHeader(c.en)]));
  const used = new Set<string>();
  return headers.map((h) => {
    const key = normaliseHeader(h);
    const field = ALIASES[key];
    if (field && !used.has(field)) {
      used.add(field);
      return field;
    }
    return exportOnly.has(key) || !key ? "" : "custom";
  });
}

function parseCsv(text: string): string[][] {
  try {
    return parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    throw new AppError("validation_error", "The file is not a readable CSV", { issues: [{ path: "file", message: e instanceof Error ? e.message.slice(0, 200) : "malformed CSV" }] });
  }
}

export type ImportPreview = { id: string; headers: string[]; sample: string[][]; mapping: string[]; total: number };

/** Step one: keep the file, read its header and first rows, suggest where each column goes. */
export async function previewImport(tx: Tx, tenantId: string, userId: string, filename: string, text: string): Promise<ImportPreview> {
  if (!isStorableText(text)) throw new AppError("validation_error", "The file holds characters that cannot be stored", { issues: [{ path: "file", message: UNSTORABLE_TEXT }] });
  const rows = parseCsv(text);
  if (rows.length < 2) throw new AppError("validation_error", "The file has no rows under its header", { issues: [{ path: "file", message: "no data rows" }] });
  if (rows.length - 1 > MAX_IMPORT_ROWS) throw new AppError("validation_error", `At most ${MAX_IMPORT_ROWS} rows per import`, { issues: [{ path: "file", message: `at most ${MAX_IMPORT_ROWS} rows` }] });
  const headers = rows[0]!;
  const mapping = autoMapping(headers);
  const [row] = await tx.insert(leadImports).values({ tenantId, createdBy: userId, filename, csv: text, headers, mapping, total: rows.length - 1 }).returning({ id: leadImports.id });
  return { id: row!.id, headers, sample: rows.slice(1, 6), mapping, total: rows.length - 1 };
}

/** Step two: the confirmed mapping; the import runs as a job (progress in the row it updates). */
export async function startImport(tx: Tx, tenantId: string, id: string, mapping: string[]): Promise<void> {
  const [imp] = await tx.select().from(leadImports).where(eq(leadImports.id, id)).for("update").limit(1);
  if (!imp) throw new AppError("not_found", "Import not found");
  if (imp.status !== "draft") throw new AppError("conflict", "This import has already started");
  if (mapping.length !== imp.headers.length) throw new AppError("validation_error", "One target per column", { issues: [{ path: "mapping", message: "one target per column" }] });
  const fields = mapping.filter((m) => m && m !== "custom");
  if (new Set(fields).size !== fields.length) throw new AppError("validation_error", "A field can take one column only", { issues: [{ path: "mapping", message: "a field is mapped twice" }] });
  if (!fields.includes("email") && !fields.includes("phone")) throw new AppError("validation_error", "Map a column to e-mail or phone", { issues: [{ path: "mapping", message: "email or phone is required" }] });
  await tx.update(leadImports).set({ mapping, status: "queued", updatedAt: new Date() }).where(eq(leadImports.id, id));
  await enqueue(tx, (await import("@/lib/jobs/leads-import")).leadsImport, { tenantId, importId: id });
}

export async function getImport(tx: Tx, id: string) {
  const [imp] = await tx
    .select({
      id: leadImports.id,
      filename: leadImports.filename,
      status: leadImports.status,
      total: leadImports.total,
      processed: leadImports.processed,
      created: leadImports.created,
      joined: leadImports.joined,
      failed: leadImports.failed,
      errors: leadImports.errors,
      createdAt: leadImports.createdAt,
      finishedAt: leadImports.finishedAt,
    })
    .from(leadImports)
    .where(eq(leadImports.id, id))
    .limit(1);
  if (!imp) throw new AppError("not_found", "Import not found");
  return imp;
}

export async function findImports(tx: Tx) {
  return tx
    .select({ id: leadImports.id, filename: leadImports.filename, status: leadImports.status, total: leadImports.total, processed: leadImports.processed, createdAt: leadImports.createdAt })
    .from(leadImports)
    .orderBy(desc(leadImports.createdAt))
    .limit(10);
}

const CONCURRENCY = 4;
const PROGRESS_EVERY = 200;
const MAX_REPORTED_ERRORS = 200;

/**
 * The job: each row through the intake schema (the same rules as a website form) and the intake
 * write (dedupe joins repeats to existing leads), channel `import`, a few rows at a time; progress
 * is written every few hundred rows in its own short transaction.
 */
export async function runImport(tenantId: string, importId: string): Promise<void> {
  const imp = await withTenant(tenantId, async (tx) => {
    const [row] = await tx.select().from(leadImports).where(eq(leadImports.id, importId)).limit(1);
    if (!row || (row.status !== "queued" && row.status !== "running")) return null;
    await tx.update(leadImports).set({ status: "running", updatedAt: new Date() }).where(eq(leadImports.id, importId));
    const [t] = await tx.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
    return { ...row, dedupeWindowDays: t?.settings.dedupeWindowDays ?? DEFAULT_TENANT_SETTINGS.dedupeWindowDays };
  });
  if (!imp) return;
  const rows = parseCsv(imp.csv).slice(1);
  const counts = { processed: 0, created: 0, joined: 0, failed: 0 };
  const errors: ImportRowError[] = [];
  const flush = (extra: Partial<typeof leadImports.$inferInsert> = {}) =>
    withTenant(tenantId, (tx) =>
      tx
        .update(leadImports)
        .set({ ...counts, errors: errors.slice(0, MAX_REPORTED_ERRORS), updatedAt: new Date(), ...extra })
        .where(eq(leadImports.id, importId)),
    );
  const one = async (cells: string[], index: number) => {
    const fields: Record<string, unknown> = {};
    imp.mapping.forEach((target, c) => {
      // Undo the export's formula guard ('+7 916…, '=…): the value is text here, and the export guards it again.
      const value = cells[c]?.replace(/^'(?=[=+\-@\t\r])/, "");
      if (!target || value === undefined || value === "") return;
      if (target === "custom") fields[imp.headers[c] || `column ${c + 1}`] = value;
      else fields[target] = value;
    });
    const parsed = (() => {
      try {
        return ZIntakeSchema.safeParse(splitFields(fields));
      } catch (e) {
        return { success: false as const, error: e };
      }
    })();
    if (!parsed.success) {
      counts.failed++;
      const issues = parsed.error instanceof AppError ? (parsed.error.issues ?? []) : issuesFromZod(parsed.error as never);
      errors.push({ row: index + 2, issues }); // spreadsheet row numbers: 1 is the header
      return;
    }
    const result = await recordIntake({ tenantId, siteId: null, channel: "import", dedupeWindowDays: imp.dedupeWindowDays }, parsed.data, { answer: { created: 201, joined: 200 } });
    if (result.kind === "recorded" && result.outcome.duplicate) counts.joined++;
    else counts.created++;
  };
  try {
    for (let i = 0; i < rows.length; i += CONCURRENCY) {
      await Promise.all(rows.slice(i, i + CONCURRENCY).map((cells, k) => one(cells, i + k)));
      counts.processed = Math.min(rows.length, i + CONCURRENCY);
      if (counts.processed % PROGRESS_EVERY < CONCURRENCY || counts.processed === rows.length) await flush();
    }
    await flush({ status: "done", finishedAt: new Date() });
    kickRelay(); // the new leads' follow-up jobs (assignment)
  } catch (e) {
    await flush({ status: "failed", finishedAt: new Date() }).catch(() => {});
    throw e;
  }
}

/** Rows processed of total, as a whole percent (for the progress bar). */
export function importPercent(imp: { processed: number; total: number }): number {
  return imp.total ? Math.floor((imp.processed / imp.total) * 100) : 0;
}

