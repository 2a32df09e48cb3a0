import { describe, expect, it } from "vitest";
import { pickLocale } from "./locale";

describe("pickLocale", () => {
  it("defaults to Russian", () => {
    expect(pickLocale(undefined, undefined)).toBe("ru");
    expect(pickLocale(undefined, "de-DE,fr;q=0.8")).toBe("ru");
  });
  it("honours the cookie over the browser", () => {
    expect(pickLocale("en", "ru-RU")).toBe("en");
    expect(pickLocale("ru", "en-US")).toBe("ru");
  });
  it("follows Accept-Language when no cookie is set", () => {
    expect(pickLocale(undefined, "en-US,en;q=0.9")).toBe("en");
    expect(pickLocale(undefined, "ru;q=0.5,en;q=0.9")).toBe("en");
    expect(pickLocale(undefined, "en;q=0.3,ru;q=0.9")).toBe("ru");
  });
  it("ignores an unknown cookie value", () => {
    expect(pickLocale("de", "en")).toBe("en");
  });
});
