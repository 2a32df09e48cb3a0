"use client";
import { useTranslations } from "next-intl";
import { CHANNELS } from "@/db/schema/enums";
import { Select } from "@/components/ui/input";

type OnChange = (value: string | undefined) => void;

/** Channel filter of the list and the board. */
export function ChannelFilter({ value, onChange }: { value: string | undefined; onChange: OnChange }) {
  const t = useTranslations("leads");
  const tc = useTranslations("channel");
  return (
    <Select aria-label={t("channelFilter")} value={value ?? ""} onChange={(e) => onChange(e.target.value || undefined)}>
      <option value="">{t("allChannels")}</option>
      {CHANNELS.map((c) => (
        <option key={c} value={c}>
          {tc(c)}
        </option>
      ))}
    </Select>
  );
}

/** Assignee filter of the list and the board: everyone's, mine, or nobody's. */
export function AssigneeFilter({ value, onChange }: { value: string | undefined; onChange: OnChange }) {
  const t = useTranslations("leads");
  return (
    <Select aria-label={t("assigneeFilter")} value={value === "me" || value === "none" ? value : ""} onChange={(e) => onChange(e.target.value || undefined)}>
      <option value="">{t("allAssignees")}</option>
      <option value="me">{t("mine")}</option>
      <option value="none">{t("unassignedOnly")}</option>
    </Select>
  );
}
