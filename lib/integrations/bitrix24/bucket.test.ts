import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { currentWaitMs, markFull, reserve } from "./bucket";

// The shared request bucket (a mirror of the portal's leaky bucket, BITRIX24_CONTRACT §7).

afterAll(() => closeDb());

describe("the Bitrix24 request bucket", () => {
  it("lets the burst through, then queues callers by the drain rate, and refuses past the longest wait without reserving", async () => {
    const portal = `test-${randomUUID()}.bitrix24.ru`;
    const limits = { rate: 1, burst: 3 }; // room for 2 at once (one slot kept in hand)
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push(await reserve(portal, limits, 2_000));
    expect(waits.slice(0, 2)).toEqual([0, 0]);
    expect(waits[2]).toBeGreaterThan(900);
    expect(waits[2]).toBeLessThanOrEqual(1000);
    expect(waits[3]).toBeGreaterThan(1900);
    expect(waits[3]).toBeLessThanOrEqual(2000);
    expect(waits[4]).toBeNull();
    // The refused caller reserved nothing: the next one is told the same wait as it would have been.
    const again = await reserve(portal, limits, 5_000);
    expect(again).toBeGreaterThan(2800);
    expect(again).toBeLessThanOrEqual(3000);
  });

  it("a portal that says it is full fills the bucket for everyone", async () => {
    const portal = `test-${randomUUID()}.bitrix24.ru`;
    const limits = { rate: 2, burst: 50 };
    expect(await currentWaitMs(portal, limits)).toBe(0);
    await markFull(portal, limits);
    expect(await currentWaitMs(portal, limits)).toBeGreaterThan(0);
    expect(await reserve(portal, limits)).toBeGreaterThan(0);
  });
});
