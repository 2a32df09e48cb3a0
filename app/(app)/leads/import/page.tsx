import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getTenantSession } from "@/lib/auth/session";
import { EmptyState } from "@/components/ui/card";
import { ImportWizard } from "@/components/leads/import-wizard";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("import"))("title") };
}

// CSV import of leads (managers and owners): map the columns, then watch the job land them.
export default async function ImportPage() {
  const t = await getTranslations("import");
  const member = await getTenantSession();
  return (
    <div className="space-y-4">
      <Link href="/leads" className="text-sm text-blue-700 hover:underline">
        {t("back")}
      </Link>
      <h1 className="text-xl font-semibold">{t("title")}</h1>
      {member?.role === "sales" ? <EmptyState title={t("forbidden")} /> : <ImportWizard />}
    </div>
  );
}
