import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { env } from "@/lib/env";

// Guards pages: no valid session → 307 to /login?callbackUrl=…  (API routes authenticate themselves.)
// Read-only on purpose: next-auth's own middleware re-issues the session cookie on every request,
// and a page prefetch answered just after a logout would put the cookie back.

const PUBLIC_PATHS = ["/login", "/thanks"];
const SECURE_COOKIE = "__Secure-authjs.session-token";

export default async function proxy(req: NextRequest) {
  const path = req.nextUrl.pathname;
  if (PUBLIC_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) return NextResponse.next();
  const token = env.AUTH_SECRET
    ? await getToken({ req, secret: env.AUTH_SECRET, secureCookie: req.cookies.has(SECURE_COOKIE) })
    : null;
  if (token?.uid) return NextResponse.next();
  const login = new URL("/login", req.nextUrl);
  login.searchParams.set("callbackUrl", `${path}${req.nextUrl.search}`);
  return NextResponse.redirect(login, 307);
}

export const config = {
  matcher: ["/((?!api/|_next/|embed\\.js|favicon\\.ico|.*\\.(?:png|svg|ico|css|js|txt)$).*)"],
};
