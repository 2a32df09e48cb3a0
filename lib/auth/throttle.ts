import "server-only";
import { createHash } from "node:crypto";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { getDb } from "@/db";
import { rateLimits } from "@/db/schema";

// Failed-login throttling, shared by every app instance through Postgres.
// Per e-mail: 5 failures in 15 minutes locks that e-mail for the rest of the window.
// Per client IP: 30 failures in 15 minutes (credential stuffing across e-mails).

let limiters: { byEmail: RateLimiterDrizzle; byIp: RateLimiterDrizzle } | undefined;

function get() {
  limiters ??= {
    byEmail: new RateLimiterDrizzle({ storeClient: getDb(), schema: rateLimits, keyPrefix: "login_email", points: 5, duration: 15 * 60 }),
    byIp: new RateLimiterDrizzle({ storeClient: getDb(), schema: rateLimits, keyPrefix: "login_ip", points: 30, duration: 15 * 60 }),
  };
  return limiters;
}

const h = (v: string) => createHash("sha256").update(v).digest("base64url").slice(0, 32);

/** Seconds until the next attempt is allowed, or 0 when allowed now. */
export async function loginBlockedFor(email: string, ip: string): Promise<number> {
  const { byEmail, byIp } = get();
  const [e, i] = await Promise.all([byEmail.get(h(email)), byIp.get(h(ip))]);
  const over = [
    e && e.consumedPoints >= byEmail.points ? e.msBeforeNext : 0,
    i && i.consumedPoints >= byIp.points ? i.msBeforeNext : 0,
  ];
  return Math.ceil(Math.max(...over) / 1000);
}

export async function recordLoginFailure(email: string, ip: string): Promise<void> {
  const { byEmail, byIp } = get();
  const swallow = (r: unknown) => {
    if (!(r instanceof RateLimiterRes)) throw r;
  };
  await Promise.all([byEmail.consume(h(email)).catch(swallow), byIp.consume(h(ip)).catch(swallow)]);
}

export async function recordLoginSuccess(email: string): Promise<void> {
  await get().byEmail.delete(h(email));
}
