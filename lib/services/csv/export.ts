import "server-only";
import { stringify } from "csv-stringify/sync";
import { withTenant } from "@/db/tenant";
import { findLeads, type Viewer } from "@/lib/services/leads";
import type { TLead, TLeadFilters } from "@/lib/validators/leads";

/** Columns of the export (and the headers a re-import maps back), Russian first. */
export const EXPORT_COLUMNS: { key: string; ru: string; en: string; value: (l: TLead) => string }[] = [
  { key: "id", ru: "ID", en: "ID", value: (l) => l.id },
  { key: "createdAt", ru: "Создана", en: "Created", value: (l) => l.createdAt },
  { key: "status", ru: "Статус", en: "Status", value: (l) => l.status },
  { key: "name", ru: "Имя", en: "Name", value: (l) => l.name ?? "" },
  { key: "email", ru: "Почта", en: "Email", value: (l) => l.email ?? "" },
  { key: "phone", ru: "Телефон", en: "Phone", value: (l) => l.phone ?? "" },
  { key: "company", ru: "Компания", en: "Company", value: (l) => l.company ?? "" },
  { key: "message", ru: "Сообщение", en: "Message", value: (l) => l.message ?? "" },
  { key: "channel", ru: "Канал", en: "Channel", value: (l) => l.channel },
  { key: "utm_source", ru: "UTM source", en: "UTM source", value: (l) => l.utm.source ?? "" },
  { key: "utm_medium", ru: "UTM medium", en: "UTM medium", value: (l) => l.utm.medium ?? "" },
  { key: "utm_campaign", ru: "UTM campaign", en: "UTM campaign", value: (l) => l.utm.campaign ?? "" },
  { key: "assignee", ru: "Ответственный", en: "Assignee", value: (l) => l.assignee?.email ?? "" },
  { key: "firstResponseAt", ru: "Первый ответ", en: "First response", value: (l) => l.firstResponseAt ?? "" },
  { key: "spam", ru: "Спам", en: "Spam", value: (l) => (l.spam ? "да" : "") },
];

/**
 * A spreadsheet must never run a cell: text starting with = + - @ (or a tab / carriage return
 * that some programs skip first) gets a leading apostrophe, as OWASP recommends for CSV injection.
 */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180 lines (CRLF, quotes doubled, fields with separators quoted). */
export function csvLines(rows: string[][]): string {
  return stringify(rows.map((r) => r.map(neutraliseFormula)), { record_delimiter: "\r\n", quoted_match: /[",\r\n]/ });
}

const BATCH = 1000;

/**
 * The filtered view as a CSV stream: UTF-8 with a BOM (Excel then opens Russian text right), one
 * page of leads per pull through the same service and visibility rules as the list, each page in
 * its own short tenant transaction — constant memory whatever the size.
 */
export function exportLeadsCsv(tenantId: string, viewer: Viewer & { userId: string }, filters: TLeadFilters, locale: "ru" | "en"): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | null | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(`\uFEFF${csvLines([EXPORT_COLUMNS.map((c) => c[locale])])}`));
          return;
        }
        if (cursor === null) {
          controller.close();
          return;
        }
        const page = await withTenant(tenantId, (tx) => findLeads(tx, viewer, { ...filters, cursor, limit: BATCH }), { userId: viewer.userId });
        if (page.items.length) controller.enqueue(encoder.encode(csvLines(page.items.map((l) => EXPORT_COLUMNS.map((c) => c.value(l))))));
        cursor = page.nextCursor;
      } catch (e) {
        controller.error(e);
      }
    },
  });
}
