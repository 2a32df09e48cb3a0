"use client";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { archiveSiteAction, createSiteAction, revokeKeyAction, rotateKeyAction, updateSiteAction } from "@/app/(app)/settings/actions";
import type { ActionResult } from "@/lib/actions/result";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { CopyBlock, curlFor, snippetFor } from "./copy-block";

export type SiteView = {
  id: string;
  name: string;
  origins: string[];
  thankYouUrl: string | null;
  rateLimits: { perIpPerMinute: number; perSitePerMinute: number; secretPerMinute: number | null };
  keys: { id: string; kind: "public" | "secret"; prefix: string; key: string | null; createdAt: string; revokedAt: string | null; lastUsedAt: string | null; usageCount: number }[];
};

type Issues = Record<string, string>;
const issuesOf = (r: ActionResult<unknown>): Issues =>
  r.ok ? {} : Object.fromEntries((r.error.issues ?? [{ path: "_", message: r.error.message }]).map((i) => [i.path.split(".")[0]!, i.message]));
const lines = (s: string) => s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);

const FIELDS_WITH_MESSAGES = ["name", "origins", "thankYouUrl", "rateLimits", "_"] as const;

/** The field's error in the visitor's language (the server's own message for anything else). */
function FieldError({ issues, name }: { issues: Issues; name: string }) {
  const t = useTranslations("sites.invalid");
  if (!issues[name]) return null;
  const known = (FIELDS_WITH_MESSAGES as readonly string[]).includes(name);
  return (
    <p className="text-xs text-red-600" role="alert">
      {name === "_" ? `${t("_")}: ${issues[name]}` : known ? t(name as (typeof FIELDS_WITH_MESSAGES)[number]) : issues[name]}
    </p>
  );
}

/** Name, thank-you page and origins: the fields a new site and an edited one share. */
function SiteFields({ issues, site }: { issues: Issues; site?: SiteView }) {
  const t = useTranslations("sites");
  return (
    <>
      <label className="space-y-1 text-sm">
        <span className="font-medium text-gray-700">{t("name")}</span>
        <Input name="name" required placeholder={t("namePlaceholder")} defaultValue={site?.name} />
        <FieldError issues={issues} name="name" />
      </label>
      <label className="space-y-1 text-sm">
        <span className="font-medium text-gray-700">{t("thankYouUrl")}</span>
        <Input name="thankYouUrl" type="url" placeholder="https://" defaultValue={site?.thankYouUrl ?? ""} />
        <span className="block text-xs text-gray-500">{t("thankYouHint")}</span>
        <FieldError issues={issues} name="thankYouUrl" />
      </label>
      <label className="space-y-1 text-sm sm:col-span-2">
        <span className="font-medium text-gray-700">{t("origins")}</span>
        <textarea
          name="origins"
          rows={2}
          defaultValue={site?.origins.join("\n")}
          className="block w-full rounded-md border border-gray-300 px-3 py-2 text-sm"
          placeholder={`https://example.ru\nhttps://www.example.ru`}
        />
        <span className="block text-xs text-gray-500">{t("originsHint")}</span>
        <FieldError issues={issues} name="origins" />
      </label>
    </>
  );
}

const siteFieldsOf = (fd: FormData) => ({
  name: String(fd.get("name") ?? ""),
  origins: lines(String(fd.get("origins") ?? "")),
  thankYouUrl: String(fd.get("thankYouUrl") ?? "") || null,
});

function NewSiteForm({ onCreated }: { onCreated: (keys: { publicKey: string; secretKey: string }) => void }) {
  const t = useTranslations("sites");
  const [pending, start] = useTransition();
  const [issues, setIssues] = useState<Issues>({});
  return (
    <form
      className="grid gap-3 sm:grid-cols-2"
      data-testid="new-site-form"
      action={(fd) =>
        start(async () => {
          const r = await createSiteAction(siteFieldsOf(fd));
          setIssues(issuesOf(r));
          if (r.ok) onCreated(r.data);
        })
      }
    >
      <SiteFields issues={issues} />
      <div className="sm:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? t("creating") : t("create")}
        </Button>
        <FieldError issues={issues} name="_" />
      </div>
    </form>
  );
}

function KeysReveal({ appUrl, keys }: { appUrl: string; keys: { publicKey?: string; secretKey?: string } }) {
  const t = useTranslations("sites");
  return (
    <div className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="keys-reveal">
      <p className="text-sm font-medium text-amber-900">{keys.secretKey ? t("shownOnce") : t("newPublicKey")}</p>
      {keys.publicKey ? <CopyBlock label={t("public")} value={keys.publicKey} testId="public-key" /> : null}
      {keys.secretKey ? <CopyBlock label={t("secret")} value={keys.secretKey} testId="secret-key" /> : null}
      {keys.publicKey ? <CopyBlock label={t("snippet")} value={snippetFor(appUrl, keys.publicKey)} /> : null}
      {keys.secretKey ? <CopyBlock label={t("curl")} value={curlFor(appUrl, keys.secretKey)} /> : null}
    </div>
  );
}

function EditSite({ site, onDone }: { site: SiteView; onDone: () => void }) {
  const t = useTranslations("sites");
  const [pending, start] = useTransition();
  const [issues, setIssues] = useState<Issues>({});
  const num = (v: FormDataEntryValue | null) => (v === null || String(v).trim() === "" ? null : Number(v));
  return (
    <form
      className="grid gap-3 sm:grid-cols-2"
      action={(fd) =>
        start(async () => {
          const r = await updateSiteAction({
            siteId: site.id,
            ...siteFieldsOf(fd),
            rateLimits: { perIpPerMinute: num(fd.get("perIp")) ?? 0, perSitePerMinute: num(fd.get("perSite")) ?? 0, secretPerMinute: num(fd.get("perSecret")) },
          });
          setIssues(issuesOf(r));
          if (r.ok) onDone();
        })
      }
    >
      <SiteFields issues={issues} site={site} />
      <fieldset className="grid gap-3 sm:col-span-2 sm:grid-cols-3">
        <legend className="mb-1 text-sm font-medium text-gray-700">{t("rateLimits")}</legend>
        <label className="space-y-1 text-xs text-gray-600">
          {t("perIp")}
          <Input name="perIp" type="number" min={1} defaultValue={site.rateLimits.perIpPerMinute} />
        </label>
        <label className="space-y-1 text-xs text-gray-600">
          {t("perSite")}
          <Input name="perSite" type="number" min={1} defaultValue={site.rateLimits.perSitePerMinute} />
        </label>
        <label className="space-y-1 text-xs text-gray-600">
          {t("perSecret")}
          <Input name="perSecret" type="number" min={1} defaultValue={site.rateLimits.secretPerMinute ?? ""} />
        </label>
        <FieldError issues={issues} name="rateLimits" />
      </fieldset>
      <div className="flex gap-2 sm:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : t("save")}
        </Button>
        <Button type="button" variant="secondary" onClick={onDone}>
          {t("cancel")}
        </Button>
      </div>
    </form>
  );
}

function SiteCard({ site, appUrl }: { site: SiteView; appUrl: string }) {
  const t = useTranslations("sites");
  const format = useFormatter();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [revealed, setRevealed] = useState<{ publicKey?: string; secretKey?: string } | null>(null);
  const [pending, start] = useTransition();
  const date = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium" });
  const act = (fn: () => Promise<ActionResult<unknown>>, confirmText?: string) => {
    if (confirmText && !window.confirm(confirmText)) return;
    start(async () => {
      const r = await fn();
      if (r.ok) router.refresh();
      else window.alert(`${t("error")}: ${r.error.message}`);
    });
  };
  const active = site.keys.filter((k) => !k.revokedAt);
  const publicKey = active.find((k) => k.kind === "public");
  return (
    <li className="space-y-3 rounded-lg border border-gray-200 p-4" data-testid="site-card">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <p className="font-medium text-gray-900">{site.name}</p>
          <p className="text-sm text-gray-600">{site.origins.join(", ") || "—"}</p>
        </div>
        <div className="flex gap-2">
          <Button variant="secondary" onClick={() => setEditing((e) => !e)}>
            {t("edit")}
          </Button>
          <Button variant="ghost" disabled={pending} onClick={() => act(() => archiveSiteAction({ siteId: site.id }), t("archiveConfirm"))}>
            {t("archive")}
          </Button>
        </div>
      </div>
      {editing ? (
        <EditSite
          site={site}
          onDone={() => {
            setEditing(false);
            router.refresh();
          }}
        />
      ) : null}
      <div>
        <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-gray-500">{t("keys")}</p>
        <ul className="space-y-1 text-sm">
          {site.keys.map((k) => (
            <li key={k.id} className={`flex flex-wrap items-center gap-2 ${k.revokedAt ? "text-gray-400 line-through" : "text-gray-700"}`}>
              <span className="w-24">{k.kind === "public" ? t("public") : t("secret")}</span>
              <code className="rounded bg-gray-100 px-1.5 py-0.5 text-xs">{k.prefix}…</code>
              <span className="text-xs text-gray-500">
                {t("created")} {date(k.createdAt)} · {k.lastUsedAt ? `${t("lastUsed")} ${date(k.lastUsedAt)} · ${t("uses", { count: k.usageCount })}` : t("never")}
                {k.revokedAt ? ` · ${t("revoked")}` : ""}
              </span>
              {!k.revokedAt ? (
                <button type="button" className="text-xs text-red-700 underline" disabled={pending} onClick={() => act(() => revokeKeyAction({ keyId: k.id }), t("revokeConfirm"))}>
                  {t("revoke")}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
        <div className="mt-2 flex flex-wrap gap-2">
          {(["public", "secret"] as const).map((kind) => (
            <Button
              key={kind}
              variant="secondary"
              disabled={pending}
              onClick={() => {
                if (!window.confirm(t("rotateConfirm"))) return;
                start(async () => {
                  const r = await rotateKeyAction({ siteId: site.id, kind });
                  if (r.ok) {
                    setRevealed(kind === "public" ? { publicKey: r.data.key } : { secretKey: r.data.key });
                    router.refresh();
                  }
                });
              }}
            >
              {kind === "public" ? t("rotatePublic") : t("rotateSecret")}
            </Button>
          ))}
        </div>
      </div>
      {revealed ? <KeysReveal appUrl={appUrl} keys={revealed} /> : null}
      {publicKey?.key ? (
        <div className="space-y-2 text-sm" data-testid="site-snippet">
          <p className="text-xs text-gray-500">{t("snippetHint")}</p>
          <CopyBlock label={t("snippet")} value={snippetFor(appUrl, publicKey.key)} />
          <details>
            <summary className="cursor-pointer text-blue-700">{t("curl")}</summary>
            <p className="my-2 text-xs text-gray-500">{t("curlHint")}</p>
            <CopyBlock value={curlFor(appUrl, "sk_…")} />
          </details>
        </div>
      ) : publicKey ? (
        <p className="rounded-md bg-gray-50 p-3 text-sm text-gray-600" data-testid="rotate-to-see">
          {t("rotateToSee")}
        </p>
      ) : null}
    </li>
  );
}

export function SitesManager({ sites, appUrl }: { sites: SiteView[]; appUrl: string }) {
  const t = useTranslations("sites");
  const router = useRouter();
  const [created, setCreated] = useState<{ publicKey: string; secretKey: string } | null>(null);
  return (
    <div className="space-y-4">
      {sites.length === 0 ? <p className="text-sm text-gray-500">{t("empty")}</p> : null}
      <ul className="space-y-3" data-testid="sites-list">
        {sites.map((s) => (
          <SiteCard key={s.id} site={s} appUrl={appUrl} />
        ))}
      </ul>
      {created ? <KeysReveal appUrl={appUrl} keys={created} /> : null}
      <details className="rounded-lg border border-dashed border-gray-300 p-4" open={sites.length === 0}>
        <summary className="cursor-pointer text-sm font-medium text-blue-700">{t("newSite")}</summary>
        <div className="mt-3">
          <NewSiteForm
            onCreated={(keys) => {
              setCreated(keys);
              router.refresh();
            }}
          />
        </div>
      </details>
    </div>
  );
}
