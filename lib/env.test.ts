import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("environment validation", () => {
  it("needs nothing for the zero-setup demo", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.BITRIX24_TIMEOUT_MS).toBe(10000);
  });

  it("requires AUTH_SECRET in production with a given database", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://db/x" })).toThrow(/AUTH_SECRET/);
    expect(parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://db/x", AUTH_SECRET: "s".repeat(32) }).AUTH_SECRET).toHaveLength(32);
  });

  it("names what is wrong", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x", PORT: "70000", APP_ENCRYPTION_KEY: "short" })).toThrow(/DATABASE_URL[\s\S]*PORT[\s\S]*APP_ENCRYPTION_KEY|APP_ENCRYPTION_KEY/);
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", OPENAI_API_KEY: "" }).DATABASE_URL).toBeUndefined();
  });
});
