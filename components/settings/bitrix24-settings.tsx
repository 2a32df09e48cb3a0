"use client";
import Link from "next/link";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState, useSyncExternalStore } from "react";
import { toast } from "sonner";
import { CHANNELS } from "@/db/schema/enums";
import { useTRPC } from "@/lib/trpc/client";
import { DEFAULT_SOURCE, defaultStageIn, STANDARD_SOURCES, ZBitrix24AppToken, ZBitrix24SourceId } from "@/lib/validators/bitrix24";
import { ZBitrixStatusId } from "@/lib/validators/pipeline";
import { Button } from "@/components/ui/button";
import { EmptyState, Panel } from "@/components/ui/card";
import { Input, Select } from "@/components/ui/input";
import { useErrorText, type AppErrorLike } from "@/components/ui/use-error-text";
import { CopyBlock } from "./copy-block";
import { HealthLine, LOG_HREF, Pill, RetryButton, useBitrix24Overview, useInvalidateBitrix24, type B24Connected } from "./bitrix24-health";

// Settings → Integrations → Bitrix24: connect an incoming webhook (checked by a real call), then the
// connection's health, what is synced, the stage and source mapping, and sending older leads.

type Member = { userId: string; name: string | null; email: string; active: boolean };
type Site = { id: string; name: string };

const CHANNEL_ORDER = ["web", "api", "email", "telegram", "manual", "import"] as const satisfies readonly (typeof CHANNELS)[number][];
const CUSTOM = "__custom";

const subscribeNothing = () => () => {};
/** False in the server's HTML, true once hydrated: a form cannot be sent the browser's way (a GET with the secret URL in it) before React owns it. */
function useHydrated(): boolean {
  return useSyncExternalStore(subscribeNothing, () => true, () => false);
}

function Hint({ children, id }: { children: React.ReactNode; id?: string }) {
  return (
    <p id={id} className="text-xs text-gray-500">
      {children}
    </p>
  );
}

function FieldError({ id, message }: { id?: string; message?: string }) {
  return message ? (
    <p id={id} className="text-xs text-red-600" role="alert">
      {message}
    </p>
  ) : null;
}

function issuesOf(e: unknown): { path: string; message: string }[] {
  return (e as AppErrorLike)?.data?.issues ?? [];
}

/** The two-column mapping tables: a table from `sm` up, one block per row (label above its control) on a phone. */
const M = {
  table: "block w-full text-sm sm:table",
  thead: "hidden text-left text-xs uppercase text-gray-500 sm:table-header-group",
  thFirst: "w-2/5 py-2 pr-3 font-medium",
  th: "py-2 font-medium",
  tbody: "block divide-y divide-gray-100 sm:table-row-group",
  tr: "block py-3 sm:table-row sm:py-0",
  rowHead: "block pb-1.5 text-left font-normal sm:table-cell sm:py-2 sm:pr-3 sm:align-middle",
  td: "block sm:table-cell sm:py-2",
};

/** The frame of a two-column mapping form (sources, users): heading, hint, and a table that stacks on a phone. */
function MapFrame({ id, title, hint, first, second, children }: { id?: string; title: string; hint: string; first: string; second: string; children: React.ReactNode }) {
  return (
    <>
      <h3 id={id} className="text-sm font-semibold text-gray-800">
        {title}
      </h3>
      <p className="mb-2 mt-0.5 max-w-3xl text-xs text-gray-500">{hint}</p>
      <div className="overflow-x-auto">
        <table className={M.table}>
          <thead className={M.thead}>
            <tr>
              <th scope="col" className={M.thFirst}>
                {first}
              </th>
              <th scope="col" className={M.th}>
                {second}
              </th>
            </tr>
          </thead>
          <tbody className={M.tbody}>{children}</tbody>
        </table>
      </div>
    </>
  );
}

const shown = (labels: { ru?: string; en?: string }, locale: string) => (locale === "en" ? labels.en?.trim() || labels.ru : labels.ru) || "…";

export function Bitrix24Settings({ handlerUrl, members, sites, period }: { handlerUrl: string; members: Member[]; sites: Site[]; period: { from: string; to: string } }) {
  const t = useTranslations("bitrix24");
  const overview = useBitrix24Overview();
  if (!overview.data) return <EmptyState title={t("loadFailed")} hint={t("loadFailedHint")} />;
  if (!overview.data.connected) return <NotConnected handlerUrl={handlerUrl} />;
  const o = overview.data;
  return (
    <div className="space-y-6" data-testid="b24-connected">
      <ConnectionPanel o={o} />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <SyncToggles o={o} />
        <EventsPanel o={o} handlerUrl={handlerUrl} />
      </div>
      {/* Remounted when the portal's stages change (a reconnect), so the form starts from them. */}
      <StatusMapping key={o.portalStages.map((s) => s.statusId).join(",")} o={o} />
      <BackfillPanel period={period} />
      <details className="group rounded-lg border border-gray-200 bg-white shadow-sm" data-testid="b24-advanced">
        <summary className="flex cursor-pointer list-none items-center justify-between gap-3 rounded-lg px-4 py-3 text-sm font-semibold text-gray-800 hover:bg-gray-50 focus-visible:outline-2 focus-visible:outline-blue-600">
          <span>
            {t("advanced.title")}
            <span className="ml-2 font-normal text-gray-500">{t("advanced.summary")}</span>
          </span>
          <span aria-hidden className="text-gray-400 transition-transform group-open:rotate-90">
            ›
          </span>
        </summary>
        <div className="space-y-8 border-t border-gray-100 p-4">
          <SourceMapping o={o} sites={sites} />
          <UserMapping o={o} members={members} />
        </div>
      </details>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------
// Not connected: what it does, how to connect, the form

function NotConnected({ handlerUrl }: { handlerUrl: string }) {
  const t = useTranslations("bitrix24");
  const b = (chunks: React.ReactNode) => <strong className="font-semibold text-gray-900">{chunks}</strong>;
  const code = (chunks: React.ReactNode) => <code className="rounded bg-gray-100 px-1 py-0.5 font-mono text-xs text-gray-800">{chunks}</code>;
  return (
    <div className="space-y-6" data-testid="b24-not-connected">
      <Panel title={t("title")}>
        <p className="max-w-3xl text-sm text-gray-700">{t("intro")}</p>
        <ul className="mt-3 max-w-3xl list-disc space-y-1 pl-5 text-sm text-gray-600">
          <li>{t("introLeads")}</li>
          <li>{t("introStatus")}</li>
          <li>{t("introSafe")}</li>
        </ul>
      </Panel>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Panel title={t("steps.title")}>
          <ol className="space-y-5 text-sm text-gray-700">
            <Step n={1}>
              <p>{t.rich("steps.one", { b, code })}</p>
            </Step>
            <Step n={2}>
              <p>{t.rich("steps.two", { b, code })}</p>
            </Step>
            <Step n={3}>
              <p>{t.rich("steps.three", { b, code })}</p>
              <div className="mt-2">
                <CopyBlock label={t("events.handlerUrl")} value={handlerUrl} testId="b24-handler-url" />
              </div>
            </Step>
          </ol>
        </Panel>
        <Panel title={t("connect.title")}>
          <ConnectForm withToken />
        </Panel>
      </div>
    </div>
  );
}

function Step({ n, children }: { n: number; children: React.ReactNode }) {
  return (
    <li className="flex gap-3">
      <span aria-hidden className="flex h-6 w-6 shrink-0 items-center justify-center rounded-full bg-blue-600 text-xs font-semibold text-white">
        {n}
      </span>
      <div className="min-w-0 flex-1 pt-0.5">{children}</div>
    </li>
  );
}

type ConnectErrors = { webhookUrl?: string; applicationToken?: string; _?: string };

/** The webhook URL (and the outgoing webhook's token): checked by one real call to the portal before it is saved. */
function ConnectForm({ withToken, onDone }: { withToken?: boolean; onDone?: () => void }) {
  const t = useTranslations("bitrix24");
  const trpc = useTRPC();
  const invalidate = useInvalidateBitrix24();
  const hydrated = useHydrated();
  const id = useId();
  const [url, setUrl] = useState("");
  const [token, setToken] = useState("");
  const [errors, setErrors] = useState<ConnectErrors>({});
  // The server's words about the URL are the portal's; the fixed ones are said in the UI's language.
  const urlMessage = (m: string) => {
    if (m === "required") return t("invalid.urlRequired");
    if (m.startsWith("at most")) return t("invalid.urlTooLong");
    if (m.startsWith("not a URL")) return t("invalid.notUrl");
    if (m.startsWith("must be an https")) return t("invalid.https");
    if (m.startsWith("must look like")) return t("invalid.shape");
    return t("invalid.refused", { reason: m });
  };
  const connect = useMutation(
    trpc.bitrix24.connect.mutationOptions({
      onSuccess: (r) => {
        setErrors({});
        setUrl("");
        setToken("");
        toast.success(t("connect.done", { portal: r.portal }));
        void invalidate();
        onDone?.();
      },
      onError: (e) => {
        const out: ConnectErrors = {};
        for (const i of issuesOf(e)) {
          if (i.path === "webhookUrl") out.webhookUrl ??= urlMessage(i.message);
          else if (i.path === "applicationToken") out.applicationToken ??= t("invalid.token");
        }
        if (!out.webhookUrl && !out.applicationToken) {
          const code = (e as AppErrorLike)?.data?.appCode;
          out._ = code === "rate_limited" ? t("connect.busy") : code === "forbidden" ? t("connect.forbidden") : t("connect.unreachable");
        }
        setErrors(out);
      },
    }),
  );
  return (
    <form
      className="space-y-4"
      method="post"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const next: ConnectErrors = {};
        if (!url.trim()) next.webhookUrl = t("invalid.urlRequired");
        if (token.trim() && !ZBitrix24AppToken.safeParse(token).success) next.applicationToken = t("invalid.token");
        setErrors(next);
        if (Object.keys(next).length) return;
        connect.mutate({ webhookUrl: url.trim(), applicationToken: token.trim() || undefined });
      }}
      data-testid="b24-connect-form"
    >
      <div className="space-y-1">
        <label htmlFor={`${id}-url`} className="block text-sm font-medium text-gray-700">
          {t("connect.webhookUrl")}
        </label>
        <Input
          id={`${id}-url`}
          name="webhookUrl"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="off"
          placeholder="https://your-portal.bitrix24.ru/rest/1/abc123xyz/"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          aria-invalid={errors.webhookUrl ? true : undefined}
          aria-describedby={`${id}-url-hint ${errors.webhookUrl ? `${id}-url-error` : ""}`}
          className="font-mono"
          data-testid="b24-webhook-url"
        />
        <FieldError id={`${id}-url-error`} message={errors.webhookUrl} />
        <Hint id={`${id}-url-hint`}>{t("connect.webhookUrlHint")}</Hint>
      </div>
      {withToken ? (
        <div className="space-y-1">
          <label htmlFor={`${id}-token`} className="block text-sm font-medium text-gray-700">
            {t("connect.token")} <span className="font-normal text-gray-500">{t("connect.optional")}</span>
          </label>
          <Input
            id={`${id}-token`}
            name="applicationToken"
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-invalid={errors.applicationToken ? true : undefined}
            aria-describedby={`${id}-token-hint ${errors.applicationToken ? `${id}-token-error` : ""}`}
            className="font-mono"
            data-testid="b24-connect-token"
          />
          <FieldError id={`${id}-token-error`} message={errors.applicationToken} />
          <Hint id={`${id}-token-hint`}>{t("connect.tokenHint")}</Hint>
        </div>
      ) : null}
      {errors._ ? (
        <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" role="alert">
          {errors._}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={!hydrated || connect.isPending} aria-busy={connect.isPending || undefined} data-testid="b24-connect">
          {connect.isPending ? (
            <>
              <Spinner />
              {t("connect.checking")}
            </>
          ) : withToken ? (
            t("connect.submit")
          ) : (
            t("connect.replace")
          )}
        </Button>
        {onDone ? (
          <Button type="button" variant="ghost" onClick={onDone} disabled={connect.isPending}>
            {t("cancel")}
          </Button>
        ) : null}
      </div>
    </form>
  );
}

function Spinner() {
  return <span aria-hidden className="h-3.5 w-3.5 animate-spin rounded-full border-2 border-white/40 border-t-white" />;
}

// ---------------------------------------------------------------------------------------------------
// Connected: the header card

function ConnectionPanel({ o }: { o: B24Connected }) {
  const t = useTranslations("bitrix24");
  const trpc = useTRPC();
  const invalidate = useInvalidateBitrix24();
  const errorText = useErrorText();
  const [confirming, setConfirming] = useState(false);
  const [replacing, setReplacing] = useState(false);
  const disconnect = useMutation(
    trpc.bitrix24.disconnect.mutationOptions({
      onSuccess: () => {
        toast.success(t("header.disconnected"));
        setConfirming(false);
        void invalidate();
      },
      onError: (e) => toast.error(errorText(e)),
    }),
  );
  const actsAs = o.portalUserName ? t("header.user", { name: o.portalUserName, id: o.portalUserId }) : `#${o.portalUserId}`;
  return (
    <Panel
      title={t("title")}
      actions={
        <Link href={LOG_HREF} className="text-sm text-blue-700 hover:underline" data-testid="b24-log-link">
          {t("header.log")}
        </Link>
      }
    >
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_minmax(0,1fr)] sm:gap-y-2">
        <dt className="mt-2 text-gray-500 first:mt-0 sm:mt-0">{t("header.portal")}</dt>
        <dd className="break-all font-medium text-gray-900" data-testid="b24-portal">
          {o.portal}
        </dd>
        <dt className="mt-2 text-gray-500 first:mt-0 sm:mt-0">{t("header.actsAs")}</dt>
        <dd className="text-gray-900">{actsAs}</dd>
        <dt className="mt-2 text-gray-500 first:mt-0 sm:mt-0">{t("header.webhook")}</dt>
        <dd className="break-all font-mono text-xs leading-5 text-gray-700" data-testid="b24-masked-url">
          {o.webhookUrl}
        </dd>
      </dl>
      <div className="mt-4 border-t border-gray-100 pt-4">
        <HealthLine overview={o} />
        {o.brokenReason ? <p className="mt-2 text-sm text-red-800">{t("header.brokenHint")}</p> : null}
      </div>
      {replacing ? (
        <div className="mt-4 rounded-md border border-gray-200 bg-gray-50 p-4">
          <p className="mb-3 text-sm text-gray-600">{t("header.replaceHint")}</p>
          <ConnectForm onDone={() => setReplacing(false)} />
        </div>
      ) : null}
      <div className="mt-4 flex flex-wrap items-center gap-2">
        {o.failed > 0 || o.brokenReason ? <RetryButton variant="primary" /> : null}
        {!replacing ? (
          <Button type="button" variant="secondary" onClick={() => setReplacing(true)} data-testid="b24-replace">
            {t("header.replace")}
          </Button>
        ) : null}
        <div className="flex flex-wrap items-center gap-2 sm:ml-auto">
          {confirming ? (
            <>
              <span className="text-xs text-gray-500">{t("header.disconnectHint")}</span>
              <Button
                type="button"
                className="bg-red-600 text-white hover:bg-red-700 disabled:bg-red-300"
                onClick={() => disconnect.mutate()}
                disabled={disconnect.isPending}
                autoFocus
                data-testid="b24-disconnect-confirm"
              >
                {disconnect.isPending ? t("header.disconnecting") : t("header.disconnectConfirm")}
              </Button>
              <Button type="button" variant="ghost" onClick={() => setConfirming(false)} disabled={disconnect.isPending}>
                {t("cancel")}
              </Button>
            </>
          ) : (
            <Button type="button" variant="secondary" className="text-red-700" onClick={() => setConfirming(true)} data-testid="b24-disconnect">
              {t("header.disconnect")}
            </Button>
          )}
        </div>
      </div>
    </Panel>
  );
}

// ---------------------------------------------------------------------------------------------------
// What is synced

type ToggleKey = "enabled" | "syncLeads" | "syncStatusOut" | "syncStatusIn";

function SyncToggles({ o }: { o: B24Connected }) {
  const t = useTranslations("bitrix24.toggles");
  const trpc = useTRPC();
  const invalidate = useInvalidateBitrix24();
  const errorText = useErrorText();
  // The value just chosen, until the refreshed overview says the same (or the save failed).
  const [local, setLocal] = useState<Partial<Record<ToggleKey, boolean>>>({});
  const update = useMutation(trpc.bitrix24.update.mutationOptions());
  const drop = (k: ToggleKey) =>
    setLocal((l) => {
      const { [k]: _gone, ...rest } = l;
      return rest;
    });
  const set = (k: ToggleKey, value: boolean) => {
    setLocal((l) => ({ ...l, [k]: value }));
    update.mutate(
      { [k]: value },
      {
        onSuccess: async () => {
          toast.success(t(value ? `${k}.on` : `${k}.off`));
          await invalidate();
          drop(k);
        },
        onError: (e) => {
          drop(k);
          toast.error(errorText(e));
        },
      },
    );
  };
  const value = (k: ToggleKey) => local[k] ?? o[k];
  const row = (k: ToggleKey, main?: boolean) => (
    <label key={k} className={`flex items-start gap-3 ${main ? "" : value("enabled") ? "" : "opacity-60"}`}>
      <input type="checkbox" className="mt-0.5 h-4 w-4 shrink-0 rounded border-gray-300" checked={value(k)} onChange={(e) => set(k, e.target.checked)} data-testid={`b24-toggle-${k}`} />
      <span className="space-y-0.5">
        <span className={`block text-sm ${main ? "font-medium text-gray-900" : "text-gray-800"}`}>{t(`${k}.label`)}</span>
        <span className="block text-xs text-gray-500">{t(`${k}.hint`)}</span>
      </span>
    </label>
  );
  return (
    <Panel title={t("title")}>
      <div className="space-y-4">
        {row("enabled", true)}
        <div className="space-y-4 border-t border-gray-100 pt-4">{(["syncLeads", "syncStatusOut", "syncStatusIn"] as const).map((k) => row(k))}</div>
      </div>
    </Panel>
  );
}

// ---------------------------------------------------------------------------------------------------
// Events from the portal: the handler URL and the application token

function EventsPanel({ o, handlerUrl }: { o: B24Connected; handlerUrl: string }) {
  const t = useTranslations("bitrix24.events");
  const trpc = useTRPC();
  const invalidate = useInvalidateBitrix24();
  const errorText = useErrorText();
  const hydrated = useHydrated();
  const id = useId();
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | undefined>();
  const save = useMutation(
    trpc.bitrix24.update.mutationOptions({
      onSuccess: () => {
        setToken("");
        setError(undefined);
        toast.success(t("tokenSaved"));
        void invalidate();
      },
      onError: (e) => (issuesOf(e).some((i) => i.path === "applicationToken") ? setError(t("tokenInvalid")) : toast.error(errorText(e))),
    }),
  );
  return (
    <Panel title={t("title")}>
      <p className="mb-3 text-sm text-gray-600">{t("hint")}</p>
      <CopyBlock label={t("handlerUrl")} value={handlerUrl} testId="b24-handler-url" />
      <div className="mt-4 flex flex-wrap items-center gap-2 text-sm">
        {o.tokenSet ? <Pill tone="green">{t("tokenSet")}</Pill> : <Pill tone="amber">{t("tokenMissing")}</Pill>}
        <span className="text-xs text-gray-500">{o.memberId ? t("eventsSeen") : t("noEventsYet")}</span>
      </div>
      <form
        className="mt-3 space-y-1"
        method="post"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!ZBitrix24AppToken.safeParse(token).success) return setError(t("tokenInvalid"));
          save.mutate({ applicationToken: token.trim() });
        }}
      >
        <label htmlFor={`${id}-token`} className="block text-sm font-medium text-gray-700">
          {o.tokenSet ? t("tokenChange") : t("token")}
        </label>
        <div className="flex flex-col gap-2 sm:flex-row">
          <Input
            id={`${id}-token`}
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            className="font-mono"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-token-error` : undefined}
            data-testid="b24-token"
          />
          <Button type="submit" variant="secondary" className="shrink-0" disabled={!hydrated || !token.trim() || save.isPending}>
            {save.isPending ? t("saving") : t("tokenSave")}
          </Button>
        </div>
        <FieldError id={`${id}-token-error`} message={error} />
      </form>
    </Panel>
  );
}

// ---------------------------------------------------------------------------------------------------
// Status mapping, both ways

function StatusMapping({ o }: { o: B24Connected }) {
  const t = useTranslations("bitrix24.mapping");
  const locale = useLocale();
  const trpc = useTRPC();
  const invalidate = useInvalidateBitrix24();
  const errorText = useErrorText();
  const portal = o.portalStages;
  const known = new Set(o.stages.map((s) => s.key));
  const labelOf = (key: string) => {
    const s = o.stages.find((x) => x.key === key);
    return s ? shown(s.labels, locale) : key;
  };
  const initialOut = Object.fromEntries(o.stages.map((s) => [s.key, s.statusId]));
  const defaults = Object.fromEntries(portal.map((p) => [p.statusId, defaultStageIn(p.statusId, p.semantics)]));
  const initialIn = Object.fromEntries(
    portal.map((p) => {
      const over = o.statusMapIn[p.statusId];
      return [p.statusId, over && known.has(over) ? over : defaults[p.statusId]!];
    }),
  );
  const [out, setOut] = useState<Record<string, string>>(initialOut);
  const [inn, setIn] = useState<Record<string, string>>(initialIn);
  const [invalid, setInvalid] = useState<Set<string>>(new Set());
  const dirty = JSON.stringify(out) !== JSON.stringify(initialOut) || JSON.stringify(inn) !== JSON.stringify(initialIn);
  const save = useMutation(
    trpc.bitrix24.update.mutationOptions({
      onSuccess: () => {
        setInvalid(new Set());
        toast.success(t("saved"));
        void invalidate();
      },
      onError: (e) => {
        const bad = issuesOf(e)
          .map((i) => i.path.match(/^statusMapOut\.(.+)$/)?.[1])
          .filter((k): k is string => Boolean(k));
        setInvalid(new Set(bad));
        toast.error(errorText(e));
      },
    }),
  );
  const submit = () => {
    const bad = Object.entries(out)
      .filter(([, v]) => !ZBitrixStatusId.safeParse(v).success)
      .map(([k]) => k);
    setInvalid(new Set(bad));
    if (bad.length) return;
    // Overrides only where the owner chose other than the default; those of stages the portal no longer lists stay.
    const statusMapIn = {
      ...Object.fromEntries(Object.entries(o.statusMapIn).filter(([id]) => !portal.some((p) => p.statusId === id))),
      ...Object.fromEntries(Object.entries(inn).filter(([id, key]) => key !== defaults[id])),
    };
    save.mutate({ statusMapOut: Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.trim().toUpperCase()])), statusMapIn });
  };
  const portalName = (statusId: string) => portal.find((p) => p.statusId === statusId)?.name;

  return (
    <Panel title={t("title")}>
      <form
        method="post"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        data-testid="b24-mapping"
      >
        {portal.length === 0 ? <p className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">{t("noPortalStages")}</p> : null}
        <div className="grid grid-cols-1 gap-8 xl:grid-cols-2">
          <section aria-labelledby="b24-map-out" className="min-w-0">
            <MapFrame id="b24-map-out" title={t("outTitle")} hint={t("outHint")} first={t("leadflowStage")} second={t("bitrixStatus")}>
                  {o.stages.map((s) => {
                    const value = out[s.key] ?? "";
                    const label = shown(s.labels, locale);
                    return (
                      <tr key={s.key} className={M.tr}>
                        <th scope="row" className={`${M.rowHead} text-gray-900`}>
                          {label}
                        </th>
                        <td className={M.td}>
                          {portal.length ? (
                            <Select className="w-full" value={value} onChange={(e) => setOut({ ...out, [s.key]: e.target.value })} aria-label={t("outFor", { stage: label })} data-testid={`b24-out-${s.key}`}>
                              {!portalName(value) ? <option value={value}>{t("unknownStatus", { id: value })}</option> : null}
                              {portal.map((p) => (
                                <option key={p.statusId} value={p.statusId}>
                                  {p.name} ({p.statusId})
                                </option>
                              ))}
                            </Select>
                          ) : (
                            <Input
                              value={value}
                              onChange={(e) => setOut({ ...out, [s.key]: e.target.value })}
                              className="font-mono uppercase"
                              aria-label={t("outFor", { stage: label })}
                              aria-invalid={invalid.has(s.key) ? true : undefined}
                              data-testid={`b24-out-${s.key}`}
                            />
                          )}
                          {invalid.has(s.key) ? <FieldError message={t("invalidStatus")} /> : null}
                        </td>
                      </tr>
                    );
                  })}
            </MapFrame>
          </section>
          {portal.length ? (
            <section aria-labelledby="b24-map-in" className="min-w-0">
              <MapFrame id="b24-map-in" title={t("inTitle")} hint={o.syncStatusIn ? t("inHint") : t("inOff")} first={t("bitrixStage")} second={t("leadflowStage")}>
                    {portal.map((p) => (
                      <tr key={p.statusId} className={M.tr}>
                        <th scope="row" className={M.rowHead}>
                          <span className="block text-gray-900">{p.name}</span>
                          <span className="block text-xs text-gray-500">
                            <span className="font-mono">{p.statusId}</span> · {t(`semantics.${p.semantics}`)}
                          </span>
                        </th>
                        <td className={M.td}>
                          <Select className="w-full" value={inn[p.statusId] ?? ""} onChange={(e) => setIn({ ...inn, [p.statusId]: e.target.value })} aria-label={t("inFor", { stage: p.name })} data-testid={`b24-in-${p.statusId}`}>
                            {o.stages.map((s) => (
                              <option key={s.key} value={s.key}>
                                {s.key === defaults[p.statusId] ? t("byDefault", { stage: labelOf(s.key) }) : labelOf(s.key)}
                              </option>
                            ))}
                          </Select>
                        </td>
                      </tr>
                    ))}
              </MapFrame>
            </section>
          ) : null}
        </div>
        <div className="mt-4 flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={!dirty || save.isPending} data-testid="b24-mapping-save">
            {save.isPending ? t("saving") : t("save")}
          </Button>
          {dirty ? <span className="text-xs text-gray-500">{t("unsaved")}</span> : null}
        </div>
      </form>
    </Panel>
  );
}

// ---------------------------------------------------------------------------------------------------
// Advanced: sources and responsible users

function SourceMapping({ o, sites }: { o: B24Connected; sites: Site[] }) {
  const t = useTranslations("bitrix24.sources");
  const tc = useTranslations("channel");
  const trpc = useTRPC();
  const invalidate = useInvalidateBitrix24();
  const errorText = useErrorText();
  const rows = [
    ...CHANNEL_ORDER.map((c) => ({ key: c, label: tc(c), fallback: t("default", { id: DEFAULT_SOURCE[c]!, name: t(`names.${DEFAULT_SOURCE[c]}`) }), site: false })),
    ...sites.map((s) => ({ key: `site:${s.id}`, label: s.name, fallback: t("byChannel"), site: true })),
  ];
  const initial = Object.fromEntries(rows.map((r) => [r.key, o.sourceMap[r.key] ?? ""]));
  const [v, setV] = useState<Record<string, string>>(initial);
  const [custom, setCustom] = useState<Set<string>>(() => new Set(rows.filter((r) => initial[r.key] && !(STANDARD_SOURCES as readonly string[]).includes(initial[r.key]!)).map((r) => r.key)));
  const [invalid, setInvalid] = useState<Set<string>>(new Set());
  const dirty = JSON.stringify(v) !== JSON.stringify(initial);
  const save = useMutation(
    trpc.bitrix24.update.mutationOptions({
      onSuccess: () => {
        setInvalid(new Set());
        toast.success(t("saved"));
        void invalidate();
      },
      onError: (e) => {
        setInvalid(new Set(issuesOf(e).map((i) => i.path.replace(/^sourceMap\./, ""))));
        toast.error(errorText(e));
      },
    }),
  );
  return (
    <form
      method="post"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const filled = Object.entries(v).filter(([, x]) => x.trim());
        const bad = filled.filter(([, x]) => !ZBitrix24SourceId.safeParse(x).success).map(([k]) => k);
        setInvalid(new Set(bad));
        if (bad.length) return;
        // Keys of archived sites stay as they were.
        const kept = Object.fromEntries(Object.entries(o.sourceMap).filter(([k]) => !(k in v)));
        save.mutate({ sourceMap: { ...kept, ...Object.fromEntries(filled.map(([k, x]) => [k, x.trim().toUpperCase()])) } });
      }}
      data-testid="b24-sources"
    >
      <MapFrame title={t("title")} hint={t("hint")} first={t("from")} second={t("source")}>
            {rows.map((r) => {
              const value = v[r.key] ?? "";
              const isCustom = custom.has(r.key);
              return (
                <tr key={r.key} className={M.tr}>
                  <th scope="row" className={`${M.rowHead} text-gray-900`}>
                    {r.site ? <span className="block text-xs text-gray-500">{t("site")}</span> : null}
                    <span className="break-words">{r.label}</span>
                  </th>
                  <td className={M.td}>
                    <div className="flex flex-col gap-2 sm:flex-row">
                      <Select
                        className="w-full sm:w-64"
                        value={isCustom ? CUSTOM : value}
                        onChange={(e) => {
                          const x = e.target.value;
                          const next = new Set(custom);
                          if (x === CUSTOM) next.add(r.key);
                          else next.delete(r.key);
                          setCustom(next);
                          setV({ ...v, [r.key]: x === CUSTOM ? "" : x });
                        }}
                        aria-label={t("sourceFor", { from: r.label })}
                        data-testid={`b24-source-${r.key}`}
                      >
                        <option value="">{r.fallback}</option>
                        {STANDARD_SOURCES.map((s) => (
                          <option key={s} value={s}>
                            {t(`names.${s}`)} ({s})
                          </option>
                        ))}
                        <option value={CUSTOM}>{t("custom")}</option>
                      </Select>
                      {isCustom ? (
                        <Input
                          value={value}
                          onChange={(e) => setV({ ...v, [r.key]: e.target.value })}
                          placeholder="UC_1A2B3C"
                          className="font-mono uppercase sm:w-44"
                          aria-label={t("customFor", { from: r.label })}
                          aria-invalid={invalid.has(r.key) ? true : undefined}
                          autoFocus
                        />
                      ) : null}
                    </div>
                    {invalid.has(r.key) ? <FieldError message={t("invalid")} /> : null}
                  </td>
                </tr>
              );
            })}
      </MapFrame>
      <Button type="submit" className="mt-3" disabled={!dirty || save.isPending} data-testid="b24-sources-save">
        {save.isPending ? t("saving") : t("save")}
      </Button>
    </form>
  );
}

const MAX_USER_ID = 2_147_483_647;

function UserMapping({ o, members }: { o: B24Connected; members: Member[] }) {
  const t = useTranslations("bitrix24.users");
  const trpc = useTRPC();
  const invalidate = useInvalidateBitrix24();
  const errorText = useErrorText();
  const active = members.filter((m) => m.active);
  const initial = Object.fromEntries(active.map((m) => [m.userId, o.userMap[m.userId] ? String(o.userMap[m.userId]) : ""]));
  const [v, setV] = useState<Record<string, string>>(initial);
  const [invalid, setInvalid] = useState<Set<string>>(new Set());
  const dirty = JSON.stringify(v) !== JSON.stringify(initial);
  const ok = (x: string) => /^\d+$/.test(x) && Number(x) >= 1 && Number(x) <= MAX_USER_ID;
  const save = useMutation(
    trpc.bitrix24.update.mutationOptions({
      onSuccess: () => {
        setInvalid(new Set());
        toast.success(t("saved"));
        void invalidate();
      },
      onError: (e) => toast.error(errorText(e)),
    }),
  );
  return (
    <form
      method="post"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const filled = Object.entries(v).filter(([, x]) => x.trim());
        const bad = filled.filter(([, x]) => !ok(x.trim())).map(([k]) => k);
        setInvalid(new Set(bad));
        if (bad.length) return;
        // Deactivated members keep their mapping (their leads may still be sent).
        const kept = Object.fromEntries(Object.entries(o.userMap).filter(([k]) => !(k in v)));
        save.mutate({ userMap: { ...kept, ...Object.fromEntries(filled.map(([k, x]) => [k, Number(x.trim())])) } });
      }}
      data-testid="b24-users"
    >
      <MapFrame title={t("title")} hint={t("hint")} first={t("member")} second={t("bitrixUser")}>
            {active.map((m) => (
              <tr key={m.userId} className={M.tr}>
                <th scope="row" className={M.rowHead}>
                  <span className="block text-gray-900">{m.name || m.email}</span>
                  {m.name ? <span className="hidden break-all text-xs text-gray-500 sm:block">{m.email}</span> : null}
                </th>
                <td className={M.td}>
                  <div className="sm:w-40">
                    <Input
                      type="text"
                      inputMode="numeric"
                      pattern="[0-9]*"
                      placeholder={t("placeholder")}
                      value={v[m.userId] ?? ""}
                      onChange={(e) => setV({ ...v, [m.userId]: e.target.value.replace(/\s+/g, "") })}
                      aria-label={t("idFor", { name: m.name || m.email })}
                      aria-invalid={invalid.has(m.userId) ? true : undefined}
                      data-testid="b24-user-id"
                    />
                  </div>
                  {invalid.has(m.userId) ? <FieldError message={t("invalid")} /> : null}
                </td>
              </tr>
            ))}
      </MapFrame>
      <Button type="submit" className="mt-3" disabled={!dirty || save.isPending} data-testid="b24-users-save">
        {save.isPending ? t("saving") : t("save")}
      </Button>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------------
// Backfill: older leads of a period, with progress

function BackfillPanel({ period }: { period: { from: string; to: string } }) {
  const t = useTranslations("bitrix24.backfill");
  const format = useFormatter();
  const trpc = useTRPC();
  const invalidate = useInvalidateBitrix24();
  const errorText = useErrorText();
  const hydrated = useHydrated();
  const id = useId();
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const [error, setError] = useState<string | undefined>();
  const list = useQuery({
    ...trpc.bitrix24.backfills.queryOptions(),
    refetchInterval: (q) => (q.state.data?.some((b) => b.state === "running") ? 2_000 : false),
  });
  const running = list.data?.some((b) => b.state === "running") ?? false;
  const start = useMutation(
    trpc.bitrix24.startBackfill.mutationOptions({
      onSuccess: (b) => {
        setError(undefined);
        toast.success(t("started", { count: b.total }));
        void invalidate();
      },
      onError: (e) => {
        const code = (e as AppErrorLike)?.data?.appCode;
        if (code === "conflict") return setError(t("conflict"));
        if (issuesOf(e).length) return setError(t("invalidRange"));
        toast.error(errorText(e));
      },
    }),
  );
  const day = (d: string) => format.dateTime(new Date(`${d}T12:00:00Z`), { dateStyle: "medium", timeZone: "UTC" });
  return (
    <Panel title={t("title")}>
      <p className="mb-3 max-w-3xl text-sm text-gray-600">{t("hint")}</p>
      <form
        className="flex flex-wrap items-end gap-3"
        method="post"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!from || !to || from > to) return setError(t("invalidRange"));
          setError(undefined);
          start.mutate({ from, to });
        }}
        data-testid="b24-backfill-form"
      >
        <div className="space-y-1">
          <label htmlFor={`${id}-from`} className="block text-xs font-medium text-gray-600">
            {t("from")}
          </label>
          <Input id={`${id}-from`} type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} className="w-44" />
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-to`} className="block text-xs font-medium text-gray-600">
            {t("to")}
          </label>
          <Input id={`${id}-to`} type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} className="w-44" />
        </div>
        <Button type="submit" disabled={!hydrated || running || start.isPending} data-testid="b24-backfill-start">
          {start.isPending ? t("starting") : t("start")}
        </Button>
        {running ? <span className="self-center text-xs text-gray-500">{t("oneAtATime")}</span> : null}
      </form>
      <FieldError message={error} />
      {list.data?.length ? (
        <ul className="mt-5 space-y-4 border-t border-gray-100 pt-4" aria-live="polite" data-testid="b24-backfills">
          {list.data.map((b) => {
            const pct = b.total ? Math.round((b.done / b.total) * 100) : b.state === "done" ? 100 : 0;
            const tone = b.state === "running" ? "blue" : b.state === "done" ? "green" : "gray";
            return (
              <li key={b.id} className="space-y-1.5">
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
                  <span className="font-medium text-gray-900">{t("period", { from: day(b.from), to: day(b.to) })}</span>
                  <Pill tone={tone}>{t(`state.${b.state}`)}</Pill>
                  <span className="text-gray-600 tabular-nums">{t("progress", { done: b.done, total: b.total })}</span>
                  {b.failed > 0 ? (
                    <Link href={`${LOG_HREF}?failed=1`} className="text-red-700 hover:underline">
                      {t("failed", { count: b.failed })}
                    </Link>
                  ) : null}
                  <span className="text-xs text-gray-400">{format.dateTime(new Date(b.createdAt), { dateStyle: "short", timeStyle: "short" })}</span>
                </div>
                <div
                  role="progressbar"
                  aria-label={t("period", { from: day(b.from), to: day(b.to) })}
                  aria-valuemin={0}
                  aria-valuemax={b.total}
                  aria-valuenow={b.done}
                  aria-valuetext={t("progress", { done: b.done, total: b.total })}
                  className="h-2 w-full overflow-hidden rounded-full bg-gray-100"
                >
                  <div className={`h-full rounded-full transition-[width] duration-500 ${b.state === "cancelled" ? "bg-gray-400" : b.state === "done" ? "bg-emerald-500" : "bg-blue-600"}`} style={{ width: `${pct}%` }} />
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
    </Panel>
  );
}
