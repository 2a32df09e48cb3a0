import { z } from "zod";
import { CONTRACT_STAGE_KEYS, STAGE_COLORS } from "@/db/schema/enums";
import { zText } from "./common";

// A tenant's pipeline stages as Settings edits them: labels, colour, order, Bitrix24 STATUS_ID.

/** A stage key: stable forever once made (leads, events, integrations and the REST API carry it). */
export const STAGE_KEY_RE = /^[a-z][a-z0-9_]{1,39}$/;
/** A Bitrix24 lead STATUS_ID: built-in ones (`NEW`, `IN_PROCESS`…) and custom ones (`UC_1A2B3C`, `C1:NEW`). */
export const BITRIX_STATUS_RE = /^[A-Z0-9_:]{1,50}$/;
/** A custom stage's Bitrix24 mapping (CONTRACT: any custom in-progress stage ↔ `in_progress`). */
export const DEFAULT_CUSTOM_BITRIX_STATUS = "IN_PROCESS";
/** More columns than this stop being a board anyone reads. */
export const MAX_STAGES = 20;
export const STAGE_LABEL_MAX = 40;

export const isContractStage = (key: string) => (CONTRACT_STAGE_KEYS as readonly string[]).includes(key);

export const ZStageKey = zText().regex(STAGE_KEY_RE, "not a stage key");
export const ZStageColor = z.enum(STAGE_COLORS);
export const ZStageLabel = zText().trim().min(1, "required").max(STAGE_LABEL_MAX, `at most ${STAGE_LABEL_MAX} characters`);
/** The English label may be left empty: it then reads as the Russian one. */
const ZOptionalStageLabel = zText()
  .trim()
  .max(STAGE_LABEL_MAX, `at most ${STAGE_LABEL_MAX} characters`)
  .optional()
  .transform((v) => v || undefined);
export const ZBitrixStatusId = zText()
  .trim()
  .toUpperCase()
  .regex(BITRIX_STATUS_RE, "A–Z, 0–9, _ and : only, at most 50 characters");

export const ZStageLabels = z.object({ ru: ZStageLabel, en: ZOptionalStageLabel });
export type TStageLabels = z.infer<typeof ZStageLabels>;

export const ZStageCreate = z.object({ labels: ZStageLabels, color: ZStageColor.default("gray") });
export type TStageCreate = z.infer<typeof ZStageCreate>;

export const ZStageUpdate = z.object({
  key: ZStageKey,
  labels: ZStageLabels.optional(),
  color: ZStageColor.optional(),
  bitrixStatusId: ZBitrixStatusId.optional(),
});
export type TStageUpdate = z.infer<typeof ZStageUpdate>;

/** The non-terminal stages, every one, in their new order (`new` first); terminal ones keep theirs after them. */
export const ZStageReorder = z.object({ keys: z.array(ZStageKey).min(1).max(MAX_STAGES) });
export type TStageReorder = z.infer<typeof ZStageReorder>;

export const ZStageRef = z.object({ key: ZStageKey });

/** A stage as Settings shows it. */
export type TPipelineStage = {
  key: string;
  labels: { ru: string; en: string };
  position: number;
  terminal: boolean;
  color: string;
  bitrixStatusId: string | null;
  /** One of the contract's six: cannot be deleted. */
  contract: boolean;
  /** Leads in this stage now (spam included): a stage with any cannot be deleted. */
  leads: number;
};

const CYRILLIC: Record<string, string> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "e", ж: "zh", з: "z", и: "i", й: "y", к: "k", л: "l", м: "m", н: "n",
  о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f", х: "kh", ц: "ts", ч: "ch", ш: "sh", щ: "shch", ъ: "", ы: "y", ь: "",
  э: "e", ю: "yu", я: "ya", і: "i", ї: "yi", є: "ye", ґ: "g", ў: "u",
};

/**
 * A key from a label: Russian transliterated to latin ("Переговоры" → "peregovory"), accents
 * dropped, anything else an underscore; always matching `STAGE_KEY_RE` (a "stage_" prefix when the
 * label starts with no letter or is too short).
 */
export function stageKeyFrom(label: string, maxLength = 40): string {
  const latin = [...label.toLowerCase()]
    .map((ch) => CYRILLIC[ch] ?? ch)
    .join("")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "");
  let key = latin.replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  if (!/^[a-z]/.test(key) || key.length < 2) key = key ? `stage_${key}` : "stage";
  return key.slice(0, maxLength).replace(/_+$/, "");
}

/** `base`, else `base_2`, `base_3`… — the first that no existing stage has (and still at most 40 chars). */
export function uniqueStageKey(label: string, taken: ReadonlySet<string>): string {
  const base = stageKeyFrom(label);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const key = `${stageKeyFrom(label, 40 - suffix.length)}${suffix}`;
    if (!taken.has(key)) return key;
  }
}
