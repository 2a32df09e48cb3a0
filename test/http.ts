import { inject } from "vitest";

/** The built server's base URL (started by the global setup); a clear failure when there is no build. */
export function serverUrl(): string {
  const url = inject("serverUrl");
  if (!url) throw new Error("No build to serve: run `npm run build` first (`npm test` does it before these tests).");
  return url;
}
