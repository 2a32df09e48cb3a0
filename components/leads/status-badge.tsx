import { stageBadgeClass } from "@/components/ui/stage-colors";

export function StatusBadge({ label, color }: { label: string; color?: string }) {
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${stageBadgeClass(color)}`}>
      {label}
    </span>
  );
}
