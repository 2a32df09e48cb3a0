import { describe, expect, it } from "vitest";
import { periodFor } from "./analytics-period";

describe("analytics period presets", () => {
  it("resolves each preset from today", () => {
    expect(periodFor("today", "2026-12-01")).toEqual({ from: "2026-12-01", to: "2026-12-01" });
    expect(periodFor("7d", "2026-12-01")).toEqual({ from: "2026-11-25", to: "2026-12-01" });
    expect(periodFor("30d", "2026-12-01")).toEqual({ from: "2026-11-02", to: "2026-12-01" });
    expect(periodFor("month", "2026-12-01")).toEqual({ from: "2026-12-01", to: "2026-12-01" });
    expect(periodFor("last_month", "2026-03-15")).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(periodFor("last_month", "2026-01-10")).toEqual({ from: "2025-12-01", to: "2025-12-31" });
    expect(periodFor("quarter", "2026-11-20")).toEqual({ from: "2026-10-01", to: "2026-11-20" });
    expect(periodFor("custom", "2026-12-01", { from: "2026-01-01", to: "2026-01-31" })).toEqual({ from: "2026-01-01", to: "2026-01-31" });
    expect(periodFor("custom", "2026-12-01", { from: "2026-02-30", to: "2026-01-31" })).toEqual({ from: "2026-11-02", to: "2026-12-01" });
    // Longer than the summary allows: the default instead of an error page.
    expect(periodFor("custom", "2026-12-01", { from: "2020-01-01", to: "2024-01-01" })).toEqual({ from: "2026-11-02", to: "2026-12-01" });
  });
});
