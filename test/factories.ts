// Test data through the real services (each test makes its own tenant, so files run in parallel).
import { randomUUID } from "node:crypto";
import { createTenant, createUser } from "@/lib/services/tenants";
import { createSite } from "@/lib/services/sites";
import type { Role } from "@/db/schema";

export const PASSWORD = "correct-horse-9";

export function uniq(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function makeTenant(label = "t") {
  const slug = uniq(label);
  const ownerEmail = `${slug}-owner@test.local`;
  const t = await createTenant({ name: `Tenant ${slug}`, slug, ownerEmail, ownerPassword: PASSWORD, locale: "ru" });
  return { ...t, ownerEmail };
}

export async function makeUser(tenantSlug: string, role: Role) {
  const email = `${uniq(role)}@test.local`;
  const u = await createUser({ tenantSlug, email, password: PASSWORD, role });
  return { ...u, email };
}

export async function makeSite(tenantId: string) {
  return createSite(tenantId, { name: uniq("site"), origins: ["https://example.ru"], thankYouUrl: null });
}
