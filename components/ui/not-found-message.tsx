import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** The "page not found" message, for the root not-found page and the signed-in area's. */
export async function NotFoundMessage() {
  const t = await getTranslations("errors");
  return (
    <div className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center gap-4 p-8 text-center">
      <p className="text-5xl font-bold text-gray-300" aria-hidden>
        404
      </p>
      <h1 className="text-2xl font-semibold">{t("notFound")}</h1>
      <Link href="/leads" className="text-blue-700 underline">
        {t("home")}
      </Link>
    </div>
  );
}
