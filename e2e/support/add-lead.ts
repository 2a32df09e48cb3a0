// Run by e2e tests (node --import tsx --conditions=react-server): one new lead for a tenant, as if it
// had just arrived. Args: tenantId name.
import { closeDb } from "../../db/index";
import { leads, leadEvents } from "../../db/schema";
import { withTenant } from "../../db/tenant";

const [tenantId, name] = process.argv.slice(2);
if (!tenantId || !name) throw new Error("usage: add-lead.ts TENANT_ID NAME");
await withTenant(tenantId, async (tx) => {
  const [row] = await tx.insert(leads).values({ tenantId, channel: "web", name, email: `${Date.now()}@example.ru`, emailNorm: `${Date.now()}@example.ru` }).returning({ id: leads.id });
  await tx.insert(leadEvents).values({ tenantId, leadId: row!.id, type: "created", payload: { channel: "web", siteId: null, source: null } });
});
await closeDb();
