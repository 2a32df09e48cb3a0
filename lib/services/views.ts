import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { savedViews } from "@/db/schema";
import type { Tx } from "@/db/tenant";
import { AppError } from "@/lib/errors";
import { leadFiltersFromUrl, leadFiltersToUrl } from "@/lib/validators/leads";
import type { TSavedViewCreate } from "@/lib/validators/views";

export type SavedView = { id: string; name: string; query: string };

const MAX_VIEWS = 50;

/** A list URL's query, kept to what the list understands (unknown or malformed parameters dropped). */
export function canonicalQuery(query: string): string {
  const view = leadFiltersFromUrl(new URLSearchParams(query));
  return leadFiltersToUrl(view).toString();
}

/** The member's own saved views of the leads list (the policy shows no one else's). */
export async function findViews(tx: Tx, userId: string): Promise<SavedView[]> {
  return tx.select({ id: savedViews.id, name: savedViews.name, query: savedViews.query }).from(savedViews).where(eq(savedViews.userId, userId)).orderBy(asc(savedViews.name));
}

/** Save the current list as a named view; the same name again replaces that view's query. */
export async function saveView(tx: Tx, tenantId: string, userId: string, input: TSavedViewCreate): Promise<SavedView> {
  const query = canonicalQuery(input.query);
  const [existing] = await tx.select({ id: savedViews.id }).from(savedViews).where(and(eq(savedViews.userId, userId), eq(savedViews.name, input.name))).limit(1);
  if (existing) {
    await tx.update(savedViews).set({ query }).where(eq(savedViews.id, existing.id));
    return { id: existing.id, name: input.name, query };
  }
  const [{ n } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)::int` }).from(savedViews).where(eq(savedViews.userId, userId));
  if (n >= MAX_VIEWS) throw new AppError("validation_error", `At most ${MAX_VIEWS} saved views`, { issues: [{ path: "name", message: `at most ${MAX_VIEWS} views` }] });
  const [row] = await tx.insert(savedViews).values({ tenantId, userId, name: input.name, query }).returning({ id: savedViews.id });
  return { id: row!.id, name: input.name, query };
}

export async function deleteView(tx: Tx, userId: string, id: string): Promise<void> {
  const deleted = await tx.delete(savedViews).where(and(eq(savedViews.id, id), eq(savedViews.userId, userId))).returning({ id: savedViews.id });
  if (deleted.length === 0) throw new AppError("not_found", "View not found");
}
