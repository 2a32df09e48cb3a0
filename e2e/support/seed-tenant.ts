// Run by the e2e fixtures (node --import tsx --conditions=react-server): a fresh tenant with a
// team and a few leads, through the real services. Prints one JSON object.
import { randomUUID } from "node:crypto";
import { closeDb } from "../../db/index";
import { leads, leadEvents } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import { createTenant, createUser } from "../../lib/services/tenants";

const PASSWORD = "e2e-password-1";
const tag = randomUUID().slice(0, 8);
const slug = `e2e-${tag}`;

const tenant = await createTenant({ name: `Агентство ${tag}`, slug, ownerEmail: `owner-${tag}@e2e.local`, ownerPassword: PASSWORD, ownerName: "Ольга Владелец", locale: "ru" });
await createUser({ tenantSlug: slug, email: `sales-${tag}@e2e.local`, password: PASSWORD, role: "sales", name: "Сергей Продажи" });
const leadNames = ["Мария Иванова", "Пётр Смирнов", "Анна Кузнецова"];
await withTenant(tenant.tenantId, async (tx) => {
  for (const [i, name] of leadNames.entries()) {
    const id = randomUUID();
    await tx.insert(leads).values({ id, tenantId: tenant.tenantId, channel: "web", name, email: `lead${i}-${tag}@example.ru`, emailNorm: `lead${i}-${tag}@example.ru`, message: "Нужен сайт", utmSource: i < 2 ? "yandex" : null, createdAt: new Date(Date.now() - i * 60_000) });
    await tx.insert(leadEvents).values({ tenantId: tenant.tenantId, leadId: id, type: "created", payload: { channel: "web", siteId: null, source: null } });
  }
});
// The owner also owns a second agency (same login): the tenant switcher's case.
const second = await createTenant({ name: `Второе агентство ${tag}`, slug: `${slug}-2`, ownerEmail: `owner-${tag}@e2e.local`, ownerPassword: PASSWORD, locale: "ru" });
const secondLeadId = randomUUID();
await withTenant(second.tenantId, async (tx) => {
  const id = secondLeadId;
  await tx.insert(leads).values({ id, tenantId: second.tenantId, channel: "email", name: "Клиент второго агентства", email: `second-${tag}@example.ru`, emailNorm: `second-${tag}@example.ru` });
  await tx.insert(leadEvents).values({ tenantId: second.tenantId, leadId: id, type: "created", payload: { channel: "email", siteId: null, source: null } });
});
await closeDb();
process.stdout.write(
  JSON.stringify({ slug, tenantId: tenant.tenantId, secondTenantName: `Второе агентство ${tag}`, secondLeadName: "Клиент второго агентства", secondLeadId, password: PASSWORD, owner: `owner-${tag}@e2e.local`, sales: `sales-${tag}@e2e.local`, leadNames }) + "\n",
);
