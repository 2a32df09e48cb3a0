import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

export const metadata: Metadata = { title: "Спасибо! · Thank you!", robots: { index: false } };

// The built-in thank-you page a plain HTML form lands on when its site has no thank-you URL.
export default async function ThanksPage({ searchParams }: { searchParams: Promise<{ lang?: string }> }) {
  const { lang } = await searchParams;
  const t = await getTranslations({ locale: lang === "en" ? "en" : "ru", namespace: "thanks" });
  return (
    <main className="flex min-h-screen items-center justify-center bg-gray-50 p-6">
      <div className="max-w-md rounded-xl border border-gray-200 bg-white p-8 text-center shadow-sm">
        <div className="mx-auto mb-4 flex h-12 w-12 items-center justify-center rounded-full bg-emerald-100 text-2xl text-emerald-700" aria-hidden>
          ✓
        </div>
        <h1 className="text-xl font-semibold text-gray-900">{t("title")}</h1>
        <p className="mt-2 text-sm text-gray-600">{t("body")}</p>
        <button type="button" className="mt-6 text-sm text-blue-700 underline" data-back>
          {t("back")}
        </button>
        <script dangerouslySetInnerHTML={{ __html: "document.querySelector('[data-back]').onclick=function(){history.back()}" }} />
      </div>
    </main>
  );
}
