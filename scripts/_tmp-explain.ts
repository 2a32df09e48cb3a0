import { sql } from "drizzle-orm";
import { withTenant } from "../db/tenant";
import { closeDb } from "../db/index";
import * as analytics from "../lib/services/analytics";
import postgres from "postgres";
const admin = postgres(process.env.DATABASE_URL!, { max: 1 });
const [t] = await admin`select tenant_id, count(*) from leads group by 1 order by 2 desc limit 1`;
const [o] = await admin`select user_id from memberships where tenant_id = ${t!.tenant_id} and role = 'owner'`;
const T = t!.tenant_id as string;
await withTenant(T, async (tx) => {
  const orig = tx.execute.bind(tx);
  (tx as any).execute = async (q: any) => {
    const r = await orig(sql`explain (analyze, timing on) ${q}`);
    if ((r as any[]).length > 20) console.log((r as any[]).map((x) => x["QUERY PLAN"]).join("\n"));
    return [{}];
  };
  try { await analytics.getDashboard(tx, T, { userId: o!.user_id, role: "owner" }, { from: "2026-09-03", to: "2026-12-01" }, { channel: "web" }); } catch (e) { }
}, { userId: o!.user_id });
await closeDb(); await admin.end();
