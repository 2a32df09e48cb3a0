// The domain's fixed vocabularies, one place each. Plain constants with no imports, so the schema,
// the zod validators, the services and client components can all read them (imports point down here).

/** Where a lead came from (the contract's `Lead.channel`). */
export const CHANNELS = ["web", "email", "telegram", "api", "manual", "import"] as const;
export type Channel = (typeof CHANNELS)[number];

/** Membership roles (the contract's roles). */
export const ROLES = ["owner", "manager", "sales"] as const;
export type Role = (typeof ROLES)[number];

/** UI and tenant languages; the first is the default. */
export const LOCALES = ["ru", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "ru";

/** A new tenant's time zone (the Russian market's business hours). */
export const DEFAULT_TIMEZONE = "Europe/Moscow";

/** API key kinds: `pk_…` for browsers (origin-restricted), `sk_…` for servers. */
export const KEY_KINDS = ["public", "secret"] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

export const AI_STATUSES = ["pending", "done", "failed"] as const;
export type AiStatus = (typeof AI_STATUSES)[number];

/** A pipeline stage's colour: Tailwind/Tremor colour names, so badges, board columns and charts agree. */
export const STAGE_COLORS = ["blue", "cyan", "indigo", "violet", "fuchsia", "rose", "orange", "amber", "lime", "emerald", "gray"] as const;
export type StageColor = (typeof STAGE_COLORS)[number];

/** The contract's stages: renamed, recoloured and reordered per tenant, never deleted (`new` stays first). */
export const CONTRACT_STAGE_KEYS = ["new", "in_progress", "qualified", "won", "lost", "junk"] as const;

/** The contract's default pipeline, in order; `won`, `lost` and `junk` are terminal. */
export const DEFAULT_STAGES = [
  { key: "new", labels: { ru: "Новая", en: "New" }, terminal: false, bitrixStatusId: "NEW", color: "blue" },
  { key: "in_progress", labels: { ru: "В работе", en: "In progress" }, terminal: false, bitrixStatusId: "IN_PROCESS", color: "amber" },
  { key: "qualified", labels: { ru: "Квалифицирована", en: "Qualified" }, terminal: false, bitrixStatusId: "PROCESSED", color: "violet" },
  { key: "won", labels: { ru: "Успешно", en: "Won" }, terminal: true, bitrixStatusId: "CONVERTED", color: "emerald" },
  { key: "lost", labels: { ru: "Проиграна", en: "Lost" }, terminal: true, bitrixStatusId: "JUNK", color: "rose" },
  { key: "junk", labels: { ru: "Мусор", en: "Junk" }, terminal: true, bitrixStatusId: "JUNK", color: "gray" },
] as const;

/** The canonical textual UUID (any version); zod's `z.uuid()` is the stricter RFC check for input. */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A lead's next step: what the salesperson will do next. */
export const NEXT_STEP_KINDS = ["call", "email", "meeting", "other"] as const;
export type NextStepKind = (typeof NEXT_STEP_KINDS)[number];

/** Working hours of the first-response timer, in the tenant's time zone (computed by lib/working-hours.ts). */
export type WorkingHours = {
  /** Off: the timer runs around the clock. */
  enabled: boolean;
  /** ISO weekdays the team works: 1 = Monday … 7 = Sunday. */
  days: number[];
  /** "HH:MM", local time; `end` is after `start` (no shifts across midnight). */
  start: string;
  end: string;
};

export const DEFAULT_WORKING_HOURS: WorkingHours = { enabled: false, days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" };
