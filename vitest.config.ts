import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // Tests run server code directly; `server-only` only guards client bundles.
      "server-only": path.join(root, "test/server-only-stub.ts"),
      // next-auth imports "next/server" without the extension Node's ESM resolver needs.
      "next/server": path.join(root, "node_modules/next/server.js"),
    },
  },
  test: {
    environment: "node",
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".next/**", ".data/**"],
    globalSetup: ["scripts/vitest-global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // next-auth is ESM that imports "next/server" bare: let vite resolve it (with the alias above).
    server: { deps: { inline: ["next-auth"] } },
  },
});
