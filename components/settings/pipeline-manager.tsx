"use client";
import { useLocale, useTranslations } from "next-intl";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { STAGE_LABEL_MAX, ZStageCreate, ZStageUpdate, type TPipelineStage } from "@/lib/validators/pipeline";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { StatusBadge } from "@/components/leads/status-badge";
import { STAGE_COLORS, stageColor, stageSwatchClass, type StageColor } from "@/components/ui/stage-colors";

type Issues = Partial<Record<"labels.ru" | "labels.en" | "bitrixStatusId" | "color" | "_", string>>;
type TrpcErrorLike = { data?: { appCode?: string; issues?: { path: string; message: string }[] } | null };
type Action = "create" | "update" | "reorder" | "delete";

const FIELD_MESSAGE = { "labels.ru": "label", "labels.en": "labelEn", bitrixStatusId: "bitrix", color: "color" } as const;

/** A failed call (or a failed check before it) → messages in the UI's language, per field where there is one. */
function useIssues() {
  const t = useTranslations("pipeline");
  const fromPaths = (paths: string[]): Issues => {
    const out: Issues = {};
    for (const p of paths) {
      const field = (Object.keys(FIELD_MESSAGE) as (keyof typeof FIELD_MESSAGE)[]).find((f) => p === f || p.startsWith(`${f}.`));
      if (field) out[field] ??= t(`invalid.${FIELD_MESSAGE[field]}`);
    }
    return Object.keys(out).length ? out : { _: t("errors.generic") };
  };
  const fromError = (e: unknown, action: Action): Issues => {
    const data = (e as TrpcErrorLike)?.data;
    const code = data?.appCode;
    if (code === "forbidden") return { _: t("errors.forbidden") };
    if (code === "not_found") return { _: t("errors.notFound") };
    if (code === "conflict") return { _: t(action === "delete" ? "errors.inUse" : action === "create" ? "errors.tooMany" : "errors.stale") };
    if (code === "validation_error" && action === "reorder") return { _: t("errors.stale") };
    if (data?.issues?.length) return fromPaths(data.issues.map((i) => i.path));
    return { _: t("errors.generic") };
  };
  return { fromPaths, fromError };
}

function FieldError({ id, text }: { id: string; text?: string }) {
  if (!text) return null;
  return (
    <p id={id} className="text-xs text-red-600" role="alert">
      {text}
    </p>
  );
}

/** The palette as a radio group: arrow keys move between swatches, each has its colour's name. */
function ColorSwatches({ value, onChange, error }: { value: StageColor; onChange: (c: StageColor) => void; error?: string }) {
  const t = useTranslations("pipeline");
  const name = useId();
  return (
    <fieldset className="space-y-1">
      <legend className="text-sm font-medium text-gray-700">{t("color")}</legend>
      <div className="flex flex-wrap gap-2 pt-1">
        {STAGE_COLORS.map((c) => (
          <label key={c} className="relative cursor-pointer" title={t(`colors.${c}`)}>
            <input type="radio" name={name} value={c} checked={value === c} onChange={() => onChange(c)} aria-label={t(`colors.${c}`)} className="peer sr-only" data-testid={`swatch-${c}`} />
            <span
              aria-hidden
              className={`flex h-8 w-8 items-center justify-center rounded-full ring-2 ring-transparent ring-offset-2 transition peer-checked:ring-gray-900 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-4 peer-focus-visible:outline-blue-600 hover:scale-110 ${stageSwatchClass(c)}`}
            >
              {value === c ? (
                <svg viewBox="0 0 20 20" className="h-4 w-4 fill-white" aria-hidden>
                  <path d="M7.7 13.3 4.4 10l-1.1 1.1 4.4 4.4 9-9-1.1-1.1z" />
                </svg>
              ) : null}
            </span>
          </label>
        ))}
      </div>
      <FieldError id={`${name}-error`} text={error} />
    </fieldset>
  );
}

/** The label the UI's language shows (what the badge on the board will read). */
const shown = (labels: { ru: string; en?: string }, locale: string) => (locale === "en" ? labels.en?.trim() || labels.ru : labels.ru) || "…";

/** Names in both languages, colour, and (advanced) the Bitrix24 STATUS_ID, with a live badge preview. */
function StageFields({
  ru,
  en,
  color,
  bitrix,
  issues,
  onChange,
  idPrefix,
}: {
  ru: string;
  en: string;
  color: StageColor;
  bitrix?: string;
  issues: Issues;
  onChange: (patch: Partial<{ ru: string; en: string; color: StageColor; bitrix: string }>) => void;
  idPrefix: string;
}) {
  const t = useTranslations("pipeline");
  const locale = useLocale();
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <label className="space-y-1 text-sm">
        <span className="font-medium text-gray-700">{t("labelRu")}</span>
        <Input
          value={ru}
          onChange={(e) => onChange({ ru: e.target.value })}
          maxLength={STAGE_LABEL_MAX}
          required
          aria-invalid={issues["labels.ru"] ? true : undefined}
          aria-describedby={issues["labels.ru"] ? `${idPrefix}-ru-error` : undefined}
          placeholder={t("newLabelPlaceholder")}
          data-testid="stage-label-ru"
        />
        <FieldError id={`${idPrefix}-ru-error`} text={issues["labels.ru"]} />
      </label>
      <label className="space-y-1 text-sm">
        <span className="font-medium text-gray-700">{t("labelEn")}</span>
        <Input
          value={en}
          onChange={(e) => onChange({ en: e.target.value })}
          maxLength={STAGE_LABEL_MAX}
          placeholder={ru}
          aria-invalid={issues["labels.en"] ? true : undefined}
          aria-describedby={`${idPrefix}-en-hint`}
          data-testid="stage-label-en"
        />
        <span id={`${idPrefix}-en-hint`} className="block text-xs text-gray-500">
          {t("labelEnHint")}
        </span>
        <FieldError id={`${idPrefix}-en-error`} text={issues["labels.en"]} />
      </label>
      <div className="sm:col-span-2">
        <ColorSwatches value={color} onChange={(c) => onChange({ color: c })} error={issues.color} />
      </div>
      {bitrix !== undefined ? (
        <label className="space-y-1 text-sm sm:col-span-2">
          <span className="font-medium text-gray-700">{t("bitrix")}</span>
          <Input
            value={bitrix}
            onChange={(e) => onChange({ bitrix: e.target.value.toUpperCase() })}
            maxLength={50}
            spellCheck={false}
            autoCapitalize="characters"
            className="font-mono sm:max-w-xs"
            aria-invalid={issues.bitrixStatusId ? true : undefined}
            aria-describedby={`${idPrefix}-bitrix-hint`}
            data-testid="stage-bitrix"
          />
          <span id={`${idPrefix}-bitrix-hint`} className="block text-xs text-gray-500">
            {t("bitrixHint")}
          </span>
          <FieldError id={`${idPrefix}-bitrix-error`} text={issues.bitrixStatusId} />
        </label>
      ) : null}
      <div className="flex flex-wrap items-center gap-2 text-sm text-gray-500 sm:col-span-2" aria-live="polite">
        <span>{t("preview")}:</span>
        <span data-testid="stage-preview">
          <StatusBadge label={shown({ ru, en }, locale)} color={color} />
        </span>
      </div>
    </div>
  );
}

function StageEditor({ stage, advanced, onDone }: { stage: TPipelineStage; advanced: boolean; onDone: (saved: boolean) => void }) {
  const t = useTranslations("pipeline");
  const trpc = useTRPC();
  const { fromPaths, fromError } = useIssues();
  const [form, setForm] = useState({ ru: stage.labels.ru, en: stage.labels.en === stage.labels.ru ? "" : stage.labels.en, color: stageColor(stage.color), bitrix: stage.bitrixStatusId ?? "" });
  const [issues, setIssues] = useState<Issues>({});
  const update = useMutation(trpc.settings.updateStage.mutationOptions());
  const submit = () => {
    const input = {
      key: stage.key,
      labels: { ru: form.ru, en: form.en },
      color: form.color,
      // An unmapped stage stays unmapped until a STATUS_ID is typed.
      ...(form.bitrix.trim() || stage.bitrixStatusId ? { bitrixStatusId: form.bitrix } : {}),
    };
    const checked = ZStageUpdate.safeParse(input);
    if (!checked.success) return setIssues(fromPaths(checked.error.issues.map((i) => i.path.join("."))));
    setIssues({});
    update.mutate(input, { onSuccess: () => onDone(true), onError: (e) => setIssues(fromError(e, "update")) });
  };
  const id = `stage-${stage.key}`;
  return (
    <form
      noValidate
      className="mt-3 space-y-3 border-t border-gray-100 pt-3"
      aria-label={t("editStage", { label: stage.labels.ru })}
      data-testid={`stage-editor-${stage.key}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <StageFields {...form} bitrix={advanced ? form.bitrix : undefined} issues={issues} idPrefix={id} onChange={(p) => setForm((f) => ({ ...f, ...p }))} />
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={update.isPending} aria-busy={update.isPending || undefined}>
          {update.isPending ? t("saving") : t("save")}
        </Button>
        <Button type="button" variant="secondary" onClick={() => onDone(false)} disabled={update.isPending}>
          {t("cancel")}
        </Button>
        <FieldError id={`${id}-error`} text={issues._} />
      </div>
    </form>
  );
}

function NewStageForm({ onAdded }: { onAdded: (stage: TPipelineStage) => void }) {
  const t = useTranslations("pipeline");
  const trpc = useTRPC();
  const { fromPaths, fromError } = useIssues();
  const empty = { ru: "", en: "", color: "cyan" as StageColor };
  const [form, setForm] = useState(empty);
  const [issues, setIssues] = useState<Issues>({});
  const create = useMutation(trpc.settings.createStage.mutationOptions());
  const submit = () => {
    const input = { labels: { ru: form.ru, en: form.en }, color: form.color };
    const checked = ZStageCreate.safeParse(input);
    if (!checked.success) return setIssues(fromPaths(checked.error.issues.map((i) => i.path.join("."))));
    setIssues({});
    create.mutate(input, {
      onSuccess: (stage) => {
        setForm(empty);
        onAdded(stage);
      },
      onError: (e) => setIssues(fromError(e, "create")),
    });
  };
  return (
    <form
      noValidate
      className="space-y-3 rounded-lg border border-dashed border-gray-300 bg-gray-50/60 p-4"
      aria-labelledby="new-stage-title"
      data-testid="new-stage-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div>
        <h3 id="new-stage-title" className="text-sm font-semibold text-gray-800">
          {t("add")}
        </h3>
        <p className="text-xs text-gray-500">{t("addHint")}</p>
      </div>
      <StageFields {...form} issues={issues} idPrefix="new-stage" onChange={(p) => setForm((f) => ({ ...f, ...p }))} />
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={create.isPending} aria-busy={create.isPending || undefined}>
          {create.isPending ? t("adding") : t("addButton")}
        </Button>
        <FieldError id="new-stage-error" text={issues._} />
      </div>
    </form>
  );
}

function ArrowButton({ direction, label, disabled, onClick, id }: { direction: "up" | "down"; label: string; disabled: boolean; onClick: () => void; id: string }) {
  return (
    <button
      type="button"
      id={id}
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
      className="inline-flex h-8 w-8 items-center justify-center rounded-md border border-gray-300 bg-white text-gray-700 hover:bg-gray-50 disabled:cursor-not-allowed disabled:border-gray-200 disabled:text-gray-300"
    >
      <svg viewBox="0 0 20 20" className={`h-4 w-4 fill-current ${direction === "down" ? "rotate-180" : ""}`} aria-hidden>
        <path d="M10 5.5 4.5 11l1.1 1.1L10 7.7l4.4 4.4 1.1-1.1z" />
      </svg>
    </button>
  );
}

/** Settings → Pipeline: rename, recolour, reorder, add and delete stages; the Bitrix24 mapping on demand. */
export function PipelineManager() {
  const t = useTranslations("pipeline");
  const locale = useLocale();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { fromError } = useIssues();
  const stagesKey = trpc.settings.stages.queryKey();
  const { data: stages = [], isPending } = useQuery(trpc.settings.stages.queryOptions());
  const [advanced, setAdvanced] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const focusAfterMove = useRef<{ key: string; direction: "up" | "down" } | null>(null);

  // The board, the list's status filter and the lead page read the stages too: refresh them all.
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: stagesKey }),
      qc.invalidateQueries({ queryKey: trpc.leads.stages.queryKey() }),
      qc.invalidateQueries({ queryKey: trpc.leads.board.queryKey() }),
    ]);

  const reorder = useMutation(
    trpc.settings.reorderStages.mutationOptions({
      onMutate: async ({ keys }) => {
        // Optimistic: the row moves at once; the server's answer confirms it or puts it back.
        await qc.cancelQueries({ queryKey: stagesKey });
        const before = qc.getQueryData(stagesKey);
        qc.setQueryData(stagesKey, (old) => {
          if (!old) return old;
          const order = [...keys, ...old.filter((s) => s.terminal).map((s) => s.key)];
          return order.flatMap((k, position) => old.filter((s) => s.key === k).map((s) => ({ ...s, position })));
        });
        return { before };
      },
      onError: (e, _input, ctx) => {
        if (ctx?.before) qc.setQueryData(stagesKey, ctx.before);
        setError(fromError(e, "reorder")._ ?? t("errors.generic"));
      },
      onSettled: () => void refresh(),
    }),
  );
  const remove = useMutation(trpc.settings.deleteStage.mutationOptions({ onSettled: () => void refresh() }));

  const movable = stages.filter((s) => !s.terminal);
  const move = (stage: TPipelineStage, direction: "up" | "down") => {
    const keys = movable.map((s) => s.key);
    const i = keys.indexOf(stage.key);
    const j = direction === "up" ? i - 1 : i + 1;
    if (reorder.isPending || i < 1 || j < 1 || j >= keys.length) return;
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
    setError(null);
    focusAfterMove.current = { key: stage.key, direction };
    setStatus(t("moved", { label: shown(stage.labels, locale), position: j + 1, total: stages.length }));
    reorder.mutate({ keys });
  };

  // Keep the keyboard on the moved row's arrow (or its other arrow once that end is reached).
  useEffect(() => {
    if (!focusAfterMove.current) return;
    const { key, direction } = focusAfterMove.current;
    focusAfterMove.current = null;
    const same = document.getElementById(`move-${direction}-${key}`) as HTMLButtonElement | null;
    const other = document.getElementById(`move-${direction === "up" ? "down" : "up"}-${key}`) as HTMLButtonElement | null;
    (same && !same.disabled ? same : other)?.focus();
  }, [stages]);

  const del = (stage: TPipelineStage) => {
    const label = shown(stage.labels, locale);
    if (!window.confirm(t("deleteConfirm", { label }))) return;
    setError(null);
    remove.mutate(
      { key: stage.key },
      {
        onSuccess: () => setStatus(t("deleted", { label })),
        onError: (e) => setError(fromError(e, "delete")._ ?? t("errors.generic")),
      },
    );
  };

  const first = stages.find((s) => s.key === "new");

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-gray-600">{t("orderHint", { first: first ? shown(first.labels, locale) : "new" })}</p>
        <Button variant="secondary" aria-pressed={advanced} onClick={() => setAdvanced((a) => !a)} data-testid="toggle-advanced">
          {advanced ? t("hideAdvanced") : t("showAdvanced")}
        </Button>
      </div>

      <p className="sr-only" role="status" aria-live="polite">
        {status}
      </p>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-testid="pipeline-error">
          {error}
        </p>
      ) : null}

      <div>
        <div className="hidden items-center gap-3 border-b border-gray-100 px-3 pb-2 text-xs font-medium uppercase tracking-wide text-gray-500 sm:flex" aria-hidden>
          <span className="w-[4.5rem]">{t("colOrder")}</span>
          <span className="flex-1">{t("colStage")}</span>
          {advanced ? <span className="w-44">{t("colBitrix")}</span> : null}
          <span className="w-48 text-right">{t("colActions")}</span>
        </div>
        {isPending ? (
          <div className="space-y-2 pt-2" aria-busy="true">
            {Array.from({ length: 6 }, (_, i) => (
              <div key={i} className="h-14 animate-pulse rounded-lg bg-gray-100" />
            ))}
          </div>
        ) : (
          <ol className="space-y-2 pt-2" aria-label={t("listLabel")} data-testid="pipeline-stages">
            {stages.map((stage) => {
              const i = movable.findIndex((s) => s.key === stage.key);
              const label = shown(stage.labels, locale);
              const other = locale === "en" ? stage.labels.ru : stage.labels.en;
              const deletable = !stage.contract;
              const deletingThis = remove.isPending && remove.variables?.key === stage.key;
              return (
                <li key={stage.key} className="rounded-lg border border-gray-200 bg-white p-3" data-testid={`stage-${stage.key}`}>
                  <div className="flex flex-wrap items-center gap-3 sm:flex-nowrap">
                    <div className="flex w-[4.5rem] shrink-0 gap-1">
                      <ArrowButton
                        id={`move-up-${stage.key}`}
                        direction="up"
                        label={t("moveUp", { label })}
                        disabled={stage.terminal || i < 2}
                        onClick={() => move(stage, "up")}
                      />
                      <ArrowButton
                        id={`move-down-${stage.key}`}
                        direction="down"
                        label={t("moveDown", { label })}
                        disabled={stage.terminal || i < 1 || i >= movable.length - 1}
                        onClick={() => move(stage, "down")}
                      />
                    </div>
                    <div className="min-w-0 flex-1">
                      <div className="flex flex-wrap items-center gap-1.5">
                        <StatusBadge label={label} color={stage.color} />
                        {stage.contract ? (
                          <span className="rounded bg-gray-100 px-1.5 py-0.5 text-[11px] text-gray-600" title={t("builtInHint")}>
                            {t("builtIn")}
                          </span>
                        ) : null}
                        {stage.terminal ? <span className="rounded bg-gray-100 px-1.5 py-0.5 text-[11px] text-gray-600">{t("terminal")}</span> : null}
                      </div>
                      <p className="mt-1 truncate text-xs text-gray-500">
                        {other !== label ? <span>{other} · </span> : null}
                        <span className="sr-only">{t("key")}: </span>
                        <code className="text-gray-600">{stage.key}</code> · <span data-testid="stage-leads">{t("leadsCount", { count: stage.leads })}</span>
                      </p>
                      {advanced ? (
                        <p className="mt-1 text-xs text-gray-500 sm:hidden">
                          {t("colBitrix")}: <code className="text-gray-700">{stage.bitrixStatusId ?? t("notMapped")}</code>
                        </p>
                      ) : null}
                    </div>
                    {advanced ? (
                      <code className="hidden w-44 shrink-0 truncate text-xs text-gray-700 sm:block" data-testid="stage-bitrix-value">
                        {stage.bitrixStatusId ?? t("notMapped")}
                      </code>
                    ) : null}
                    <div className="flex w-full shrink-0 justify-end gap-2 sm:w-48">
                      <Button
                        variant="secondary"
                        aria-expanded={editing === stage.key}
                        aria-label={t("editStage", { label })}
                        onClick={() => setEditing((k) => (k === stage.key ? null : stage.key))}
                      >
                        {t("edit")}
                      </Button>
                      {deletable ? (
                        <Button
                          variant="ghost"
                          className="text-red-700 hover:bg-red-50 disabled:text-gray-400"
                          aria-label={t("deleteStage", { label })}
                          title={stage.leads > 0 ? t("inUseHint") : undefined}
                          aria-describedby={stage.leads > 0 ? `in-use-${stage.key}` : undefined}
                          disabled={stage.leads > 0 || remove.isPending}
                          aria-busy={deletingThis || undefined}
                          onClick={() => del(stage)}
                        >
                          {deletingThis ? t("deleting") : t("delete")}
                        </Button>
                      ) : null}
                    </div>
                  </div>
                  {deletable && stage.leads > 0 ? (
                    <p id={`in-use-${stage.key}`} className="mt-1 text-xs text-gray-500 sm:text-right">
                      {t("inUseHint")}
                    </p>
                  ) : null}
                  {editing === stage.key ? (
                    <StageEditor
                      stage={stage}
                      advanced={advanced}
                      onDone={(saved) => {
                        setEditing(null);
                        if (saved) {
                          setStatus(t("saved"));
                          void refresh();
                        }
                      }}
                    />
                  ) : null}
                </li>
              );
            })}
          </ol>
        )}
      </div>

      <NewStageForm
        onAdded={(stage) => {
          setError(null);
          setStatus(t("added", { label: shown(stage.labels, locale) }));
          void refresh();
        }}
      />
    </div>
  );
}
