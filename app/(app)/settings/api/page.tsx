import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { buildOpenApiDocument } from "@/lib/openapi";
import { publicOrigin } from "@/lib/http";
import { Panel } from "@/components/ui/card";

export const metadata: Metadata = { title: "API" };

type Op = { summary?: string; parameters?: { name: string; in: string; required?: boolean; schema?: { type?: string | string[]; maximum?: number } }[]; responses: Record<string, { description: string }> };

// A readable view of /api/openapi.json for integrators and site owners.
export default async function ApiDocsPage() {
  const t = await getTranslations("sites");
  const h = await headers();
  const doc = buildOpenApiDocument(publicOrigin(h)) as unknown as { paths: Record<string, Record<string, Op>> };
  return (
    <div className="space-y-4">
      <div className="flex items-baseline gap-3">
        <h1 className="text-xl font-semibold">{t("apiDocs")}</h1>
        <a href="/api/openapi.json" className="text-sm text-blue-700 hover:underline">
          openapi.json
        </a>
        <Link href="/settings" className="ml-auto text-sm text-blue-700 hover:underline">
          {t("api.back")}
        </Link>
      </div>
      {Object.entries(doc.paths).map(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => (
          <Panel
            key={`${method} ${path}`}
            title={
              <span>
                <span className="mr-2 rounded bg-gray-900 px-1.5 py-0.5 font-mono text-xs uppercase text-white">{method}</span>
                <code>{path}</code> <span className="font-normal text-gray-500">— {op.summary}</span>
              </span>
            }
          >
            {op.parameters?.length ? (
              <ul className="mb-3 space-y-0.5 text-sm">
                {op.parameters.map((p) => (
                  <li key={`${p.in}:${p.name}`}>
                    <code>{p.name}</code>{" "}
                    <span className="text-xs text-gray-500">
                      ({p.in === "path" ? t("api.inPath") : p.in === "query" ? t("api.inQuery") : t("api.inHeader")}
                      {p.required ? `, ${t("api.required")}` : ""})
                    </span>
                  </li>
                ))}
              </ul>
            ) : null}
            <ul className="space-y-0.5 text-sm text-gray-700">
              {Object.entries(op.responses).map(([code, r]) => (
                <li key={code}>
                  <span className="font-mono text-xs">{code}</span> {r.description}
                </li>
              ))}
            </ul>
          </Panel>
        )),
      )}
    </div>
  );
}
