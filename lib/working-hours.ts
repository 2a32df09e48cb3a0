// Working hours for the first-response timer: the clock runs only on working days, between the
// start and end time, in the tenant's time zone. Pure (no server imports): the lead-received job
// fixes each lead's deadline with it, and the lead page's live timer runs it in the browser.

import type { WorkingHours } from "@/db/schema/enums";

export { DEFAULT_WORKING_HOURS, type WorkingHours } from "@/db/schema/enums";

type LocalParts = { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The wall-clock reading of an instant in a time zone. */
export function localParts(at: Date, timeZone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? ""] ?? 1,
  };
}

function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(new Date(ms), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/** The instant a wall-clock time happens in a time zone (a time skipped by DST moves forward with the clock). */
export function zonedTime(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return new Date(second);
}

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function active(wh: WorkingHours | undefined): wh is WorkingHours {
  return Boolean(wh?.enabled && wh.days.length > 0 && minutesOf(wh.end) > minutesOf(wh.start));
}

/** The working windows from the local day of `from` on, as [start, end) instants, at most `maxDays` days. */
function* windows(from: Date, wh: WorkingHours, timeZone: string, maxDays = 400): Generator<[number, number]> {
  const p = localParts(from, timeZone);
  // Walk calendar days by their UTC noon (never ambiguous), reading each day's wall-clock date.
  const base = Date.UTC(p.year, p.month - 1, p.day, 12);
  for (let i = 0; i < maxDays; i++) {
    const noon = new Date(base + i * 86_400_000);
    const y = noon.getUTCFullYear();
    const m = noon.getUTCMonth() + 1;
    const d = noon.getUTCDate();
    const weekday = ((noon.getUTCDay() + 6) % 7) + 1;
    if (!wh.days.includes(weekday)) continue;
    yield [zonedTime(y, m, d, minutesOf(wh.start), timeZone).getTime(), zonedTime(y, m, d, minutesOf(wh.end), timeZone).getTime()];
  }
}

/** When `minutes` of working time have passed since `start` (the first-response deadline). */
export function addWorkingMinutes(start: Date, minutes: number, wh: WorkingHours | undefined, timeZone: string): Date {
  if (!active(wh)) return new Date(start.getTime() + minutes * 60_000);
  let remaining = minutes * 60_000;
  let cursor = start.getTime();
  for (const [open, close] of windows(start, wh, timeZone)) {
    if (close <= cursor) continue;
    cursor = Math.max(cursor, open);
    if (cursor + remaining <= close) return new Date(cursor + remaining);
    remaining -= close - cursor;
    cursor = close;
  }
  return new Date(cursor + remaining);
}

/** Working time between two instants, in milliseconds (what the live timer shows). */
export function workingMsBetween(from: Date, to: Date, wh: WorkingHours | undefined, timeZone: string): number {
  if (to <= from) return 0;
  if (!active(wh)) return to.getTime() - from.getTime();
  let total = 0;
  for (const [open, close] of windows(from, wh, timeZone)) {
    if (open >= to.getTime()) break;
    total += Math.max(0, Math.min(close, to.getTime()) - Math.max(open, from.getTime()));
  }
  return total;
}

/** Whether the clock runs at this instant. */
export function isWorkingTime(at: Date, wh: WorkingHours | undefined, timeZone: string): boolean {
  if (!active(wh)) return true;
  const p = localParts(at, timeZone);
  const minute = p.hour * 60 + p.minute;
  return wh.days.includes(p.weekday) && minute >= minutesOf(wh.start) && minute < minutesOf(wh.end);
}

/** Today in a time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  const p = localParts(now, timeZone);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}
