// GET /embed.js — the script a website adds once to send its <form data-leadflow> to /api/intake.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { route } from "@/lib/http/route";

const source = readFileSync(path.join(process.cwd(), "lib/embed/embed.js"), "utf8");
const etag = `"${createHash("sha256").update(source).digest("base64url").slice(0, 27)}"`;

export const dynamic = "force-dynamic";

function script(request: Request) {
  const headers = {
    "content-type": "application/javascript; charset=utf-8",
    // An hour fresh, a day stale-while-revalidate: sites pick up fixes without a deploy of theirs.
    "cache-control": "public, max-age=3600, stale-while-revalidate=86400",
    etag,
    "access-control-allow-origin": "*",
    "x-content-type-options": "nosniff",
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(source, { headers });
}

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({ GET: script });
