"use client";
import { AreaChart, BarList, Card, DonutChart, Metric, Text, Title } from "@tremor/react";
import { stageChartColor } from "@/components/ui/stage-colors";

export function KpiCard({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Card className="p-4" data-testid={testId}>
      <Text>{label}</Text>
      <Metric>{value}</Metric>
    </Card>
  );
}

export function PerDayChart({ title, data, series }: { title: string; data: { date: string; value: number }[]; series: string }) {
  const rows = data.map((d) => ({ date: d.date, [series]: d.value }));
  return (
    <Card>
      <Title>{title}</Title>
      <AreaChart className="mt-4 h-64" data={rows} index="date" categories={[series]} colors={["blue"]} showLegend={false} />
    </Card>
  );
}

export function Breakdown({ title, data }: { title: string; data: { name: string; value: number }[] }) {
  return (
    <Card>
      <Title>{title}</Title>
      <BarList className="mt-4" data={data} />
    </Card>
  );
}

/** Statuses in their pipeline colours (the badges' and the board's). */
export function StatusDonut({ title, data }: { title: string; data: { name: string; value: number; color?: string }[] }) {
  return (
    <Card>
      <Title>{title}</Title>
      <DonutChart className="mt-4 h-48" data={data} category="value" index="name" colors={data.map((d) => stageChartColor(d.color))} />
    </Card>
  );
}
