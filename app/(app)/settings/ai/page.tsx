import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { api } from "@/lib/trpc/server";
import { AiSettings } from "@/components/settings/ai-settings";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("settings.tabs"))("ai") };
}

export default async function AiSettingsPage() {
  const data = await (await api()).settings.ai();
  return <AiSettings provider={data.provider} categories={data.categories} />;
}
