"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { stringify } from "csv-stringify/browser/esm/sync";

export type Column<R> = { key: string; label: string; value: (row: R) => string | number | null; align?: "right" };

/** Rows → a CSV file the browser downloads: RFC 4180, UTF-8 with a BOM (Excel opens Russian text right). */
export function downloadCsv<R>(filename: string, columns: Column<R>[], rows: R[]) {
  const text = stringify([columns.map((c) => c.label), ...rows.map((r) => columns.map((c) => c.value(r) ?? ""))], { record_delimiter: "\r\n" });
  const url = URL.createObjectURL(new Blob(["\uFEFF", text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The accessible fallback of a chart: its numbers as a plain table. */
export function DataTable<R>({ columns, rows, caption }: { columns: Column<R>[]; rows: R[]; caption: string }) {
  return (
    <div className="max-h-96 overflow-auto">
      <table className="min-w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="sticky top-0 bg-white text-left text-xs uppercase text-gray-500">
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={`px-2 py-1.5 ${c.align === "right" ? "text-right" : ""}`}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {rows.map((r, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c.key} className={`px-2 py-1.5 ${c.align === "right" ? "text-right tabular-nums" : ""}`}>
                  {c.value(r) ?? "—"}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A dashboard card: a title, the chart, and beside it a "table" switch (the chart's numbers as an
 * accessible table) and a CSV download of the same rows.
 */
export function ChartCard<R>({
  title,
  hint,
  csvName,
  columns,
  rows,
  actions,
  children,
  testId,
  className = "",
}: {
  title: string;
  hint?: string;
  csvName: string;
  columns: Column<R>[];
  rows: R[];
  actions?: React.ReactNode;
  children: React.ReactNode;
  testId?: string;
  className?: string;
}) {
  const t = useTranslations("analytics");
  const [asTable, setAsTable] = useState(false);
  return (
    <section className={`min-w-0 rounded-lg border border-gray-200 bg-white p-4 shadow-sm ${className}`} data-testid={testId} aria-label={title}>
      <header className="mb-3 flex flex-wrap items-start gap-2">
        <div className="mr-auto">
          <h2 className="text-sm font-semibold text-gray-800">{title}</h2>
          {hint ? <p className="text-xs text-gray-500">{hint}</p> : null}
        </div>
        {actions}
        <button type="button" className="rounded-md border border-gray-300 px-2 py-1 text-xs font-medium text-gray-700 hover:bg-gray-50" onClick={() => setAsTable((v) => !v)} aria-pressed={asTable}>
          {asTable ? t("hideTable") : t("showTable")}
        </button>
        <button
          type="button"
          className="rounded-md border border-gray-300 px-2 py-1 text-xs font-medium text-gray-700 hover:bg-gray-50"
          onClick={() => downloadCsv(csvName, columns, rows)}
          title={t("csvTitle")}
          aria-label={`${t("csvTitle")}: ${title}`}
        >
          {t("csv")}
        </button>
      </header>
      {asTable ? <DataTable columns={columns} rows={rows} caption={title} /> : children}
    </section>
  );
}
