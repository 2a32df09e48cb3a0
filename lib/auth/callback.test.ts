import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback";

describe("safeCallbackPath", () => {
  it("keeps same-site paths and the path of an absolute URL", () => {
    expect(safeCallbackPath("/board")).toBe("/board");
    expect(safeCallbackPath("/leads?status=new")).toBe("/leads?status=new");
    expect(safeCallbackPath("http://localhost:3000/analytics")).toBe("/analytics");
  });
  it("never leaves the site", () => {
    for (const bad of ["//evil.example/x", "/\\evil.example", "javascript:alert(1)", "https://evil.example", "", undefined, 42]) {
      const r = safeCallbackPath(bad);
      expect(r.startsWith("/") && !r.startsWith("//") && !r.startsWith("/\\")).toBe(true);
    }
    expect(safeCallbackPath("https://evil.example")).toBe("/");
    expect(safeCallbackPath("javascript:alert(1)")).toBe("/leads");
  });
  it("does not loop back to the login page", () => {
    expect(safeCallbackPath("/login")).toBe("/leads");
  });
});
