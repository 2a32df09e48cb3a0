import { describe, expect, it } from "vitest";
import { addWorkingMinutes, isWorkingTime, workingMsBetween, zonedTime, type WorkingHours } from "./working-hours";

const MSK = "Europe/Moscow";
const weekdays: WorkingHours = { enabled: true, days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" };
const at = (iso: string) => new Date(iso);

describe("working hours", () => {
  it("runs around the clock when off", () => {
    const start = at("2026-12-05T22:00:00+03:00"); // a Saturday night
    expect(addWorkingMinutes(start, 15, { ...weekdays, enabled: false }, MSK).toISOString()).toBe(at("2026-12-05T22:15:00+03:00").toISOString());
    expect(addWorkingMinutes(start, 15, undefined, MSK).toISOString()).toBe(at("2026-12-05T22:15:00+03:00").toISOString());
  });

  it("counts inside the working day", () => {
    expect(addWorkingMinutes(at("2026-12-01T10:00:00+03:00"), 15, weekdays, MSK).toISOString()).toBe(at("2026-12-01T10:15:00+03:00").toISOString());
  });

  it("a lead at 17:50 on Friday is due at 09:05 on Monday", () => {
    expect(addWorkingMinutes(at("2026-12-04T17:50:00+03:00"), 15, weekdays, MSK).toISOString()).toBe(at("2026-12-07T09:05:00+03:00").toISOString());
  });

  it("a lead at night waits for the morning; one on Sunday for Monday", () => {
    expect(addWorkingMinutes(at("2026-12-01T02:00:00+03:00"), 15, weekdays, MSK).toISOString()).toBe(at("2026-12-01T09:15:00+03:00").toISOString());
    expect(addWorkingMinutes(at("2026-12-06T12:00:00+03:00"), 60, weekdays, MSK).toISOString()).toBe(at("2026-12-07T10:00:00+03:00").toISOString());
  });

  it("spans several days for a long target", () => {
    // 9 h a day: 20 h from Monday 09:00 is Wednesday 11:00.
    expect(addWorkingMinutes(at("2026-11-30T09:00:00+03:00"), 20 * 60, weekdays, MSK).toISOString()).toBe(at("2026-12-02T11:00:00+03:00").toISOString());
  });

  it("uses the tenant's zone, across a DST change (Berlin, last Sunday of March)", () => {
    const berlin = "Europe/Berlin";
    const everyDay: WorkingHours = { enabled: true, days: [1, 2, 3, 4, 5, 6, 7], start: "09:00", end: "18:00" };
    // Saturday 17:55 CET (+01:00) → 10 minutes: 5 today, 5 on Sunday from 09:00 CEST (+02:00).
    expect(addWorkingMinutes(at("2027-03-27T17:55:00+01:00"), 10, everyDay, berlin).toISOString()).toBe(at("2027-03-28T09:05:00+02:00").toISOString());
    expect(zonedTime(2027, 3, 28, 9 * 60, berlin).toISOString()).toBe("2027-03-28T07:00:00.000Z");
    expect(zonedTime(2027, 3, 27, 9 * 60, berlin).toISOString()).toBe("2027-03-27T08:00:00.000Z");
  });

  it("measures working time between two instants", () => {
    const min = (ms: number) => ms / 60_000;
    expect(min(workingMsBetween(at("2026-12-04T17:00:00+03:00"), at("2026-12-07T10:00:00+03:00"), weekdays, MSK))).toBe(120);
    expect(min(workingMsBetween(at("2026-12-05T10:00:00+03:00"), at("2026-12-05T12:00:00+03:00"), weekdays, MSK))).toBe(0);
    expect(min(workingMsBetween(at("2026-12-05T10:00:00+03:00"), at("2026-12-05T12:00:00+03:00"), undefined, MSK))).toBe(120);
  });

  it("knows whether the clock runs now", () => {
    expect(isWorkingTime(at("2026-12-01T12:00:00+03:00"), weekdays, MSK)).toBe(true);
    expect(isWorkingTime(at("2026-12-01T18:00:00+03:00"), weekdays, MSK)).toBe(false);
    expect(isWorkingTime(at("2026-12-05T12:00:00+03:00"), weekdays, MSK)).toBe(false);
    expect(isWorkingTime(at("2026-12-01T12:00:00+03:00"), weekdays, "Asia/Vladivostok")).toBe(false); // 19:00 there
  });

  it("treats an empty or inverted schedule as off", () => {
    const start = at("2026-12-05T22:00:00+03:00");
    expect(addWorkingMinutes(start, 15, { ...weekdays, days: [] }, MSK).getTime() - start.getTime()).toBe(15 * 60_000);
    expect(addWorkingMinutes(start, 15, { ...weekdays, start: "18:00", end: "09:00" }, MSK).getTime() - start.getTime()).toBe(15 * 60_000);
  });
});
