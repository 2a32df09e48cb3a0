import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { getTenantSession } from "@/lib/auth/session";
import { api } from "@/lib/trpc/server";
import { UsersManager } from "@/components/settings/users-manager";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("settings"))("users") };
}

export default async function UsersSettingsPage() {
  // Not the owner: the layout shows "owners only"; asking the owner's procedures would only log refusals.
  if ((await getTenantSession())?.role !== "owner") return null;
  const [member, caller] = await Promise.all([getTenantSession(), api()]);
  const members = await caller.settings.members();
  return (
    <UsersManager
      meId={member?.userId ?? ""}
      members={members.map((m) => ({ ...m, createdAt: m.createdAt.toISOString(), deactivatedAt: m.deactivatedAt?.toISOString() ?? null }))}
    />
  );
}
