"use client";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { INTAKE_FIELDS } from "@/lib/validators/intake";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";
import { Panel } from "@/components/ui/card";

type Preview = { id: string; headers: string[]; sample: string[][]; mapping: string[]; total: number };
type ErrorLike = { data?: { issues?: { path: string; message: string }[] } | null };

/** CSV import: choose a file → check where each column goes → watch it land (the URL keeps the import). */
export function ImportWizard() {
  const t = useTranslations("import");
  const tf = useTranslations("import.fields");
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const id = useSearchParams().get("id");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [filename, setFilename] = useState<string | null>(null);
  const previewMut = useMutation(
    trpc.imports.preview.mutationOptions({
      onSuccess: (p) => (setPreview(p), setMapping(p.mapping), setError(null)),
      onError: (e) => setError((e as ErrorLike).data?.issues?.[0]?.message ? t("unreadable") : t("failed")),
    }),
  );
  const start = useMutation(
    trpc.imports.start.mutationOptions({
      onSuccess: ({ id: started }) => router.replace(`${pathname}?id=${started}`),
      onError: (e) => setError((e as ErrorLike).data?.issues?.[0]?.message === "email or phone is required" ? t("needContact") : t("failed")),
    }),
  );
  const status = useQuery({
    ...trpc.imports.get.queryOptions({ id: id ?? "00000000-0000-4000-8000-000000000000" }),
    enabled: Boolean(id),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === "done" || q.state.data.status === "failed") ? false : 1000),
  });

  if (id) {
    const s = status.data;
    const percent = s && s.total ? Math.floor((s.processed / s.total) * 100) : 0;
    return (
      <Panel title={s ? t("progressTitle", { file: s.filename }) : t("loading")}>
        {s ? (
          <div className="space-y-3" data-testid="import-progress">
            <div className="h-3 w-full overflow-hidden rounded-full bg-gray-200" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={t("progress")}>
              <div className="h-full rounded-full bg-blue-600 transition-all" style={{ width: `${percent}%` }} />
            </div>
            <p className="text-sm text-gray-700" data-testid="import-status">
              {s.status === "done" ? t("done") : s.status === "failed" ? t("failedStatus") : t("running", { processed: s.processed, total: s.total })}
            </p>
            <dl className="grid grid-cols-3 gap-2 text-sm">
              <div className="rounded-md bg-emerald-50 p-2">
                <dt className="text-xs text-emerald-800">{t("created")}</dt>
                <dd className="text-lg font-semibold text-emerald-900" data-testid="import-created">{s.created}</dd>
              </div>
              <div className="rounded-md bg-blue-50 p-2">
                <dt className="text-xs text-blue-800">{t("joined")}</dt>
                <dd className="text-lg font-semibold text-blue-900" data-testid="import-joined">{s.joined}</dd>
              </div>
              <div className="rounded-md bg-red-50 p-2">
                <dt className="text-xs text-red-800">{t("failedRows")}</dt>
                <dd className="text-lg font-semibold text-red-900" data-testid="import-failed">{s.failed}</dd>
              </div>
            </dl>
            {s.errors.length ? (
              <div>
                <p className="mb-1 text-sm font-medium text-gray-800">{t("report")}</p>
                <ul className="max-h-64 space-y-1 overflow-y-auto text-xs text-gray-700" data-testid="import-errors">
                  {s.errors.map((e) => (
                    <li key={e.row}>
                      {t("row", { row: e.row })}: {e.issues.map((i) => `${i.path} — ${i.message}`).join("; ")}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {s.status === "done" ? (
              <div className="flex gap-2">
                <Link href="/leads?channel=import" className="text-sm text-blue-700 hover:underline">
                  {t("seeLeads")}
                </Link>
                <Link href={pathname} className="text-sm text-blue-700 hover:underline">
                  {t("another")}
                </Link>
              </div>
            ) : null}
          </div>
        ) : status.isError ? (
          <p className="text-sm text-red-700">{t("notFound")}</p>
        ) : (
          <div className="h-16 animate-pulse rounded-md bg-gray-100" />
        )}
      </Panel>
    );
  }

  return (
    <div className="space-y-4">
      <Panel title={t("step1")}>
        <p className="mb-3 text-sm text-gray-600">{t("hint")}</p>
        <label className="inline-flex cursor-pointer items-center gap-3 text-sm">
          <span className="rounded-md border border-gray-300 bg-white px-3.5 py-2 font-medium text-gray-800 shadow-sm hover:bg-gray-50 focus-within:ring-2 focus-within:ring-blue-300">
            {t("choose")}
            <input
              type="file"
              accept=".csv,text/csv"
              aria-label={t("file")}
              data-testid="import-file"
              className="sr-only"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                if (!file) return;
                setFilename(file.name);
                previewMut.mutate({ filename: file.name, text: await file.text() });
              }}
            />
          </span>
          <span className="text-gray-500">{filename ?? t("noFile")}</span>
        </label>
        {previewMut.isPending ? <p className="mt-2 text-sm text-gray-500">{t("reading")}</p> : null}
      </Panel>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      {preview ? (
        <Panel title={t("step2", { total: preview.total })}>
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm" data-testid="import-mapping">
              <thead className="text-left text-xs uppercase text-gray-500">
                <tr>
                  <th className="py-2 pr-3">{t("column")}</th>
                  <th className="py-2 pr-3">{t("target")}</th>
                  <th className="py-2">{t("sample")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-gray-100">
                {preview.headers.map((h, c) => (
                  <tr key={c}>
                    <td className="py-2 pr-3 font-medium text-gray-800">{h || t("noHeader", { n: c + 1 })}</td>
                    <td className="py-2 pr-3">
                      <Select aria-label={t("targetFor", { column: h || c + 1 })} value={mapping[c] ?? ""} onChange={(e) => setMapping(mapping.map((m, i) => (i === c ? e.target.value : m)))}>
                        <option value="">{t("skip")}</option>
                        {INTAKE_FIELDS.map((f) => (
                          <option key={f} value={f}>
                            {tf(f)}
                          </option>
                        ))}
                        <option value="custom">{t("custom")}</option>
                      </Select>
                    </td>
                    <td className="max-w-xs truncate py-2 text-gray-500">{preview.sample.map((r) => r[c]).filter(Boolean).slice(0, 3).join(" · ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="mt-3">
            <Button onClick={() => start.mutate({ id: preview.id, mapping: mapping as never })} disabled={start.isPending} data-testid="import-start">
              {t("start", { total: preview.total })}
            </Button>
          </div>
        </Panel>
      ) : null}
    </div>
  );
}
