import { describe, expect, it } from "vitest";
import ru from "@/messages/ru.json";
import en from "@/messages/en.json";

function keys(obj: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === "object" ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe("messages", () => {
  it("English is complete: the same keys as Russian", () => {
    expect(keys(en).sort()).toEqual(keys(ru).sort());
  });
  it("no message is empty", () => {
    for (const [name, m] of [["ru", ru], ["en", en]] as const) {
      const flat = keys(m);
      for (const k of flat) {
        const v = k.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], m);
        expect(String(v).trim(), `${name}:${k}`).not.toBe("");
      }
    }
  });
});
