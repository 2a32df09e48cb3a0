"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Panel } from "@/components/ui/card";
import { useErrorText } from "@/components/ui/use-error-text";

type Provider = { kind: "openai" | "compatible" | "offline"; model: string; baseUrl: string | null };

/** Settings → AI: which model is active (and whether it answers), and the tenant's categories. */
export function AiSettings({ provider, categories }: { provider: Provider; categories: string[] }) {
  const t = useTranslations("aiSettings");
  const tcat = useTranslations("category");
  const trpc = useTRPC();
  const router = useRouter();
  const errorText = useErrorText();
  const [list, setList] = useState(categories);
  const [adding, setAdding] = useState("");
  const check = useMutation(trpc.settings.aiCheck.mutationOptions());
  const save = useMutation(
    trpc.settings.setAiCategories.mutationOptions({
      onSuccess: (saved) => (setList(saved), toast.success(t("saved")), router.refresh()),
      onError: (e) => toast.error(errorText(e), { description: e.message }),
    }),
  );
  const label = (c: string) => (tcat.has(c) ? tcat(c) : c);
  const dirty = JSON.stringify(list) !== JSON.stringify(categories);
  const key = adding.trim().toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");

  return (
    <div className="space-y-6">
      <Panel title={t("providerTitle")}>
        <dl className="grid gap-2 text-sm sm:grid-cols-3">
          <dt className="text-gray-500">{t("provider")}</dt>
          <dd className="sm:col-span-2" data-testid="ai-provider">
            {t(`kind.${provider.kind}`)}
          </dd>
          <dt className="text-gray-500">{t("model")}</dt>
          <dd className="font-mono text-xs sm:col-span-2">{provider.model}</dd>
          {provider.baseUrl ? (
            <>
              <dt className="text-gray-500">{t("baseUrl")}</dt>
              <dd className="break-all font-mono text-xs sm:col-span-2">{provider.baseUrl}</dd>
            </>
          ) : null}
        </dl>
        <p className="mt-3 text-xs text-gray-500">{provider.kind === "offline" ? t("offlineHint") : t("remoteHint")}</p>
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <Button variant="secondary" onClick={() => check.mutate()} disabled={check.isPending} data-testid="ai-check">
            {check.isPending ? t("checking") : t("check")}
          </Button>
          {check.data ? (
            <span className={`text-sm ${check.data.ok ? "text-emerald-700" : "text-red-700"}`} role="status">
              {check.data.ok ? t("answers", { ms: check.data.ms, category: label(check.data.category ?? "") }) : t("noAnswer", { error: check.data.error ?? "" })}
            </span>
          ) : null}
        </div>
      </Panel>
      <Panel title={t("categoriesTitle")}>
        <p className="mb-3 text-sm text-gray-500">{t("categoriesHint")}</p>
        <ul className="flex flex-wrap gap-2">
          {list.map((c) => (
            <li key={c} className="inline-flex items-center gap-1 rounded-full border border-gray-300 bg-white px-3 py-1 text-sm">
              <span>{label(c)}</span>
              <span className="font-mono text-xs text-gray-400">{c}</span>
              {c !== "other" ? (
                <button type="button" className="ml-1 text-gray-400 hover:text-red-700" aria-label={t("remove", { name: label(c) })} onClick={() => setList(list.filter((x) => x !== c))}>
                  ×
                </button>
              ) : null}
            </li>
          ))}
        </ul>
        <form
          className="mt-3 flex flex-wrap items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (key.length >= 2 && !list.includes(key)) setList([...list, key]);
            setAdding("");
          }}
        >
          <div className="w-64">
            <Input value={adding} onChange={(e) => setAdding(e.target.value)} placeholder={t("addPlaceholder")} aria-label={t("add")} />
          </div>
          <Button type="submit" variant="secondary" disabled={key.length < 2}>
            {t("add")}
          </Button>
          <Button type="button" onClick={() => save.mutate({ categories: list })} disabled={!dirty || save.isPending}>
            {save.isPending ? t("saving") : t("save")}
          </Button>
        </form>
      </Panel>
    </div>
  );
}
