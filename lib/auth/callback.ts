/**
 * Where to go after login. Only a path on this site: an absolute URL keeps just its path,
 * so a crafted `callbackUrl` can never send the user elsewhere (no open redirect).
 */
export function safeCallbackPath(value: unknown, fallback = "/leads"): string {
  if (typeof value !== "string" || value === "") return fallback;
  let pathPart = value;
  if (!value.startsWith("/")) {
    try {
      const u = new URL(value);
      if (u.protocol !== "http:" && u.protocol !== "https:") return fallback;
      pathPart = `${u.pathname}${u.search}`;
    } catch {
      return fallback;
    }
  }
  if (!pathPart.startsWith("/") || pathPart.startsWith("//") || pathPart.startsWith("/\\")) return fallback;
  if (pathPart === "/login" || pathPart.startsWith("/login?") || pathPart.startsWith("/api/")) return fallback;
  return pathPart;
}
