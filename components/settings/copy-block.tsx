"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";

export function CopyBlock({ label, value, testId }: { label?: string; value: string; testId?: string }) {
  const t = useTranslations("sites");
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-1">
      {label ? <p className="text-xs font-medium text-gray-600">{label}</p> : null}
      <div className="flex flex-col items-stretch gap-2 sm:flex-row sm:items-start">
        <pre className="min-w-0 flex-1 overflow-x-auto rounded-md bg-gray-900 px-3 py-2 text-xs text-gray-100" data-testid={testId}>
          {value}
        </pre>
        <button
          type="button"
          className="shrink-0 self-end rounded-md border border-gray-300 bg-white px-2 py-1 text-xs text-gray-700 hover:bg-gray-50 sm:self-auto"
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            });
          }}
        >
          {copied ? t("copied") : t("copy")}
        </button>
      </div>
    </div>
  );
}

export function snippetFor(appUrl: string, publicKey: string): string {
  return `<script src="${appUrl}/embed.js" data-key="${publicKey}" async></script>

<form data-leadflow="Заявка с сайта">
  <input name="name" placeholder="Имя">
  <input name="phone" placeholder="Телефон">
  <input name="email" type="email" placeholder="Email">
  <textarea name="message"></textarea>
  <input name="_gotcha" style="display:none" tabindex="-1" autocomplete="off">
  <button type="submit">Отправить</button>
  <p data-leadflow-success hidden>Спасибо! Мы скоро свяжемся.</p>
  <p data-leadflow-pending hidden>Нет связи: заявка сохранена и будет отправлена.</p>
  <p data-leadflow-error hidden>Проверьте поля формы.</p>
</form>`;
}

export function curlFor(appUrl: string, secretKey: string): string {
  return `curl -X POST ${appUrl}/api/intake \\
  -H 'Authorization: Bearer ${secretKey}' \\
  -H 'Content-Type: application/json' \\
  -H 'Idempotency-Key: order-12345' \\
  -d '{"name":"Иван Петров","phone":"+7 916 123-45-67","message":"Нужен сайт"}'`;
}
