// The analytics page's period presets, as days of the tenant's calendar (pure: the page resolves
// them on the server and the period control shows them in the browser).

export const RANGES = ["today", "7d", "30d", "month", "last_month", "quarter", "custom"] as const;
export type Range = (typeof RANGES)[number];

const DAY_MS = 86_400_000;
const toNum = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY_MS;
const toDay = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isDay(v: unknown): v is string {
  return typeof v === "string" && DAY_RE.test(v) && !Number.isNaN(toNum(v)) && toDay(toNum(v)) === v;
}

/** The preset's first and last day (both inclusive), given today in the tenant's time zone. */
export function periodFor(range: Range, today: string, custom: { from?: string; to?: string } = {}): { from: string; to: string } {
  const [y, m] = today.split("-").map(Number) as [number, number];
  switch (range) {
    case "today":
      return { from: today, to: today };
    case "7d":
      return { from: toDay(toNum(today) - 6), to: today };
    case "month":
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case "last_month": {
      const first = new Date(Date.UTC(y, m - 2, 1));
      const last = new Date(Date.UTC(y, m - 1, 0));
      return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
    }
    case "quarter": {
      const q = Math.floor((m - 1) / 3) * 3;
      return { from: new Date(Date.UTC(y, q, 1)).toISOString().slice(0, 10), to: today };
    }
    case "custom":
      // A custom period the summary accepts (at most 731 days, from 1972 on); anything else: the default.
      if (isDay(custom.from) && isDay(custom.to) && custom.from <= custom.to && custom.from >= "1972-01-02" && toNum(custom.to) - toNum(custom.from) < 731) return { from: custom.from, to: custom.to };
      return periodFor("30d", today);
    default:
      return { from: toDay(toNum(today) - 29), to: today };
  }
}
