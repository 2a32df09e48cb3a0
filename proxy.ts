import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth/config";

// Guards pages: no session → 307 to /login?callbackUrl=…  (API routes authenticate themselves.)
const { auth } = NextAuth(authConfig);

export default auth;

export const config = {
  matcher: ["/((?!api/|_next/|embed\\.js|favicon\\.ico|.*\\.(?:png|svg|ico|css|js|txt)$).*)"],
};
