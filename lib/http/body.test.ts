import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isStorableText } from "@/lib/validators/common";
import { decodeUtf8, parseUrlEncoded } from "./body";

const b = (...xs: number[]) => new Uint8Array(xs);

describe("decodeUtf8", () => {
  it("decodes valid UTF-8 exactly as TextDecoder does, U+FFFD included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        expect(decodeUtf8(new TextEncoder().encode(s))).toBe(s);
      }),
    );
    expect(decodeUtf8(new TextEncoder().encode("Иван \uFFFD 👋"))).toBe("Иван \uFFFD 👋");
  });

  it("keeps every invalid byte visible as a lone surrogate, so validation refuses the text", () => {
    const cases: [Uint8Array, string][] = [
      [b(0x61, 0xff, 0x62), "a\udcffb"],
      [b(0x80), "\udc80"],
      [b(0xc0, 0xaf), "\udcc0\udcaf"], // overlong "/"
      [b(0xe0, 0x80, 0xaf), "\udce0\udc80\udcaf"], // overlong, 3 bytes
      [b(0xed, 0xa0, 0x80), "\udced\udca0\udc80"], // U+D800 encoded
      [b(0xf4, 0x90, 0x80, 0x80), "\udcf4\udc90\udc80\udc80"], // past U+10FFFF
      [b(0xe2, 0x82), "\udce2\udc82"], // truncated
      [b(0xe2, 0x82, 0xac, 0xe2), "€\udce2"], // valid, then a truncated one
    ];
    for (const [bytes, expected] of cases) {
      const s = decodeUtf8(bytes);
      expect(s).toBe(expected);
      expect(isStorableText(s)).toBe(false);
    }
  });

  it("never yields storable text from bytes that are not UTF-8", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (bytes) => {
        let valid = true;
        try {
          new TextDecoder("utf-8", { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        const hasNul = bytes.includes(0);
        expect(isStorableText(decodeUtf8(bytes))).toBe(valid && !hasNul);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("parseUrlEncoded", () => {
  it("reads like URLSearchParams for valid input", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.string()), { maxLength: 6 }), (pairs) => {
        const well = pairs.map(([k, v]) => [k.toWellFormed(), v.toWellFormed()] as [string, string]);
        const body = new URLSearchParams(well).toString();
        expect(parseUrlEncoded(new TextEncoder().encode(body))).toEqual([...new URLSearchParams(body)]);
      }),
    );
    expect(parseUrlEncoded(new TextEncoder().encode("a=1&&b=%D0%B0+%D0%B1&c&=x&d=%zz"))).toEqual([["a", "1"], ["b", "а б"], ["c", ""], ["", "x"], ["d", "%zz"]]);
  });

  it("keeps %00 and percent-encoded invalid UTF-8 visible to validation", () => {
    const [nul, ff, overlong] = parseUrlEncoded(new TextEncoder().encode("a=x%00y&b=%FF&c=%C0%AF")).map(([, v]) => v);
    expect(nul).toBe("x\u0000y");
    expect(isStorableText(ff!)).toBe(false);
    expect(isStorableText(overlong!)).toBe(false);
  });
});
