import "server-only";
import { isIP } from "node:net";

/**
 * The client's address as this server sees it: the nearest X-Forwarded-For hop (Next sets it when
 * absent), only when it is an IP address — anything else a client wrote there is not an address
 * and must not become a rate-limit key.
 */
export function clientIp(headers: Headers): string {
  const xff = headers.get("x-forwarded-for");
  const last = xff?.split(",").map((s) => s.trim()).filter(Boolean).pop();
  if (last && isIP(last)) return last;
  const real = headers.get("x-real-ip")?.trim();
  return real && isIP(real) ? real : "unknown";
}

/** This app's public origin as the browser sees it (behind a proxy: the forwarded host and scheme). */
export function publicOrigin(headers: Headers): string {
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost:3000";
  return `${headers.get("x-forwarded-proto") ?? "http"}://${host}`;
}
