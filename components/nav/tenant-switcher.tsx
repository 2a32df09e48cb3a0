"use client";
import { useRouter } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTransition } from "react";
import { switchTenant } from "@/app/(app)/actions";

export function TenantSwitcher({ current, tenants }: { current: string; tenants: { tenantId: string; name: string }[] }) {
  const t = useTranslations("nav");
  const router = useRouter();
  const queryClient = useQueryClient();
  const [pending, start] = useTransition();
  if (tenants.length < 2) {
    return <span className="max-w-[10rem] truncate text-sm font-medium text-gray-700 sm:max-w-xs">{tenants.find((x) => x.tenantId === current)?.name}</span>;
  }
  return (
    <select
      aria-label={t("tenant")}
      className="max-w-[10rem] truncate rounded-md border border-gray-200 bg-white px-2 py-1 text-sm sm:max-w-xs"
      value={current}
      disabled={pending}
      onChange={(e) =>
        start(async () => {
          const res = await switchTenant({ tenantId: e.target.value });
          if (res.ok) {
            // Every cached query and the open page belong to the tenant we just left.
            queryClient.clear();
            router.push("/leads");
          }
          router.refresh();
        })
      }
    >
      {tenants.map((x) => (
        <option key={x.tenantId} value={x.tenantId}>
          {x.name}
        </option>
      ))}
    </select>
  );
}
