import { STAGE_COLORS, type StageColor } from "@/db/schema/enums";

// The one map from a stage's colour to classes: badges, board columns, swatches and charts all read
// it, so a status looks the same everywhere. Class names are written out whole for Tailwind's scan.

export { STAGE_COLORS, type StageColor };

const BADGE: Record<StageColor, string> = {
  blue: "bg-blue-50 text-blue-700 ring-blue-200",
  cyan: "bg-cyan-50 text-cyan-800 ring-cyan-200",
  indigo: "bg-indigo-50 text-indigo-700 ring-indigo-200",
  violet: "bg-violet-50 text-violet-700 ring-violet-200",
  fuchsia: "bg-fuchsia-50 text-fuchsia-700 ring-fuchsia-200",
  rose: "bg-rose-50 text-rose-700 ring-rose-200",
  orange: "bg-orange-50 text-orange-800 ring-orange-200",
  amber: "bg-amber-50 text-amber-800 ring-amber-200",
  lime: "bg-lime-50 text-lime-800 ring-lime-200",
  emerald: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  gray: "bg-gray-100 text-gray-700 ring-gray-200",
};

const SWATCH: Record<StageColor, string> = {
  blue: "bg-blue-500",
  cyan: "bg-cyan-500",
  indigo: "bg-indigo-500",
  violet: "bg-violet-500",
  fuchsia: "bg-fuchsia-500",
  rose: "bg-rose-500",
  orange: "bg-orange-500",
  amber: "bg-amber-500",
  lime: "bg-lime-500",
  emerald: "bg-emerald-500",
  gray: "bg-gray-400",
};

/** A stored colour, or gray when it is none of the palette's (an older or hand-edited row). */
export function stageColor(color: string | null | undefined): StageColor {
  return (STAGE_COLORS as readonly string[]).includes(color ?? "") ? (color as StageColor) : "gray";
}

/** Background, text and ring of a status badge. */
export const stageBadgeClass = (color: string | null | undefined) => BADGE[stageColor(color)];

/** A solid dot or swatch of the colour. */
export const stageSwatchClass = (color: string | null | undefined) => SWATCH[stageColor(color)];

/** The colour for Tremor's `colors` prop (its names are Tailwind's). */
export const stageChartColor = (color: string | null | undefined): StageColor => stageColor(color);
