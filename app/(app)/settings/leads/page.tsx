import { getTenantSession } from "@/lib/auth/session";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { api } from "@/lib/trpc/server";
import { LeadRulesForm, SiteTeams } from "@/components/settings/lead-rules";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("settings.tabs"))("leadRules") };
}

export default async function LeadRulesPage() {
  // Not the owner: the layout shows "owners only"; asking the owner's procedures would only log refusals.
  if ((await getTenantSession())?.role !== "owner") return null;
  const caller = await api();
  const [rules, sites, members] = await Promise.all([caller.settings.leadRules(), caller.settings.sites(), caller.settings.members()]);
  const zones = Intl.supportedValuesOf("timeZone");
  const sales = members.filter((m) => m.role === "sales" && !m.deactivatedAt).map((m) => ({ userId: m.userId, name: m.name || m.email }));
  return (
    <div className="space-y-6">
      <LeadRulesForm rules={rules} zones={zones.includes(rules.timezone) ? zones : [rules.timezone, ...zones]} />
      <SiteTeams sites={sites.map((s) => ({ id: s.id, name: s.name, assigneeIds: s.assigneeIds }))} sales={sales} autoAssign={rules.autoAssign} />
    </div>
  );
}
