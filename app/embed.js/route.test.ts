import { describe, expect, it } from "vitest";
import { serverUrl } from "@/test/http";

describe("GET /embed.js", () => {
  it("serves the script with caching headers and answers a revalidation with 304", async () => {
    const base = serverUrl();
    const res = await fetch(`${base}/embed.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    expect(res.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const etag = res.headers.get("etag");
    expect(etag).toBeTruthy();
    const body = await res.text();
    expect(body).toContain("data-leadflow");
    expect(body.length).toBeLessThan(16 * 1024); // small: sites load it on every page
    const again = await fetch(`${base}/embed.js`, { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
  });

  it("the built-in thank-you page speaks English when asked", async () => {
    const res = await fetch(`${serverUrl()}/thanks?lang=en`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Thank you!");
  });
});
