import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function NotFound() {
  const t = await getTranslations("errors");
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center gap-4 p-8 text-center">
      <h1 className="text-2xl font-semibold">{t("notFound")}</h1>
      <Link href="/leads" className="text-blue-700 underline">
        {t("home")}
      </Link>
    </main>
  );
}
