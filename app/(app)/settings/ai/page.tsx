import { getTenantSession } from "@/lib/auth/session";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { api } from "@/lib/trpc/server";
import { AiSettings } from "@/components/settings/ai-settings";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("settings.tabs"))("ai") };
}

export default async function AiSettingsPage() {
  // Not the owner: the layout shows "owners only"; asking the owner's procedures would only log refusals.
  if ((await getTenantSession())?.role !== "owner") return null;
  const data = await (await api()).settings.ai();
  return <AiSettings provider={data.provider} categories={data.categories} />;
}
