import type { Metadata } from "next";
import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { getTenantSession } from "@/lib/auth/session";
import { buildOpenApiDocument } from "@/lib/openapi";
import { publicOrigin } from "@/lib/http/request";
import { EmptyState, Panel } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("sites"))("apiDocs") };
}

type Op = {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { description: string }>;
};

// A readable view of /api/openapi.json for the owner, who hands keys to integrators (beside Settings).
export default async function ApiDocsPage() {
  const t = await getTranslations("sites");
  const ts = await getTranslations("settings");
  const member = await getTenantSession();
  if (member?.role !== "owner") {
    return (
      <div data-testid="settings-forbidden">
        <EmptyState title={ts("forbidden")} hint={t("api.forbiddenHint")} />
      </div>
    );
  }
  const h = await headers();
  const doc = buildOpenApiDocument(publicOrigin(h)) as unknown as { paths: Record<string, Record<string, Op>> };
  const where = (p: { in: string }) => (p.in === "path" ? t("api.inPath") : p.in === "query" ? t("api.inQuery") : t("api.inHeader"));
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <h2 className="text-lg font-semibold">{t("apiDocs")}</h2>
        <a href="/api/openapi.json" className="text-sm text-blue-700 hover:underline">
          openapi.json
        </a>
      </div>
      <p className="max-w-3xl text-sm text-gray-600">{t("api.intro")}</p>
      {Object.entries(doc.paths).map(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => (
          <Panel
            key={`${method} ${path}`}
            title={
              <span className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
                <span className="rounded bg-gray-900 px-1.5 py-0.5 font-mono text-xs uppercase text-white">{method}</span>
                <code className="break-all">{path}</code>
                <span className="font-normal text-gray-500">— {t(`api.ops.${op.operationId}.summary` as never)}</span>
              </span>
            }
          >
            {op.parameters?.length ? (
              <ul className="mb-3 space-y-0.5 text-sm">
                {op.parameters.map((p) => (
                  <li key={`${p.in}:${p.name}`}>
                    <code>{p.name}</code>{" "}
                    <span className="text-xs text-gray-500">
                      ({where(p)}
                      {p.required ? `, ${t("api.required")}` : ""})
                    </span>
                  </li>
                ))}
              </ul>
            ) : null}
            <ul className="space-y-0.5 text-sm text-gray-700">
              {Object.keys(op.responses).map((code) => (
                <li key={code}>
                  <span className="font-mono text-xs">{code}</span> {t(`api.ops.${op.operationId}.responses.${code}` as never)}
                </li>
              ))}
            </ul>
          </Panel>
        )),
      )}
    </div>
  );
}
