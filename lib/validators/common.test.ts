import { describe, expect, it } from "vitest";
import { isStorableText, zText } from "./common";

describe("zText", () => {
  it("refuses NUL and unpaired surrogates before any other check, and keeps everything else", () => {
    const s = zText().trim().min(1).max(5);
    for (const bad of ["a\u0000", "\ud800", "x\udfff", "\udc00\ud800", " \u0000 "]) {
      const r = s.safeParse(bad);
      expect(r.success).toBe(false);
      expect(r.error!.issues).toHaveLength(1);
      expect(r.error!.issues[0]!.message).toMatch(/cannot be stored/);
    }
    for (const good of ["Иван", "👋🏽", "\uFFFD", "a\tb"]) expect(s.safeParse(good).success).toBe(true);
    expect(isStorableText("\ud83d\ude00")).toBe(true);
  });
});
