"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure } from "@/components/overview/chart-figure";
import type { ThroughputMinute } from "@/db/queries/batch-throughput";
import { countOf } from "@/lib/plural";

const INK = "#1b1b1b";
const tick = { fill: INK, fontSize: 12 };
const hhmm = (minute: string) => minute.slice(11, 16);

// A batch's backups a minute (uploaded, failed, still running), with the figures as text.
export function ThroughputChart({ data }: { data: ThroughputMinute[] }) {
  const uploaded = data.reduce((n, d) => n + d.uploaded, 0);
  const failed = data.reduce((n, d) => n + d.failed, 0);
  const peak = data.reduce((n, d) => Math.max(n, d.uploaded + d.failed + d.other), 0);
  const summary = data.length
    ? `${countOf(uploaded, "backup")} uploaded and ${countOf(failed, "failure")} over ${countOf(data.length, "minute")} with starts; at most ${peak} in a minute (UTC times).`
    : "No backup of this batch has started yet.";
  return (
    <ChartFigure
      title="Throughput, backups a minute"
      summary={summary}
      empty={data.length ? undefined : "Nothing to draw yet."}
      table={{
        caption: "Backups started each minute, by outcome",
        columns: ["Minute (UTC)", "Uploaded", "Failed", "Running"],
        rows: data.map((d) => [d.minute.replace("T", " ").replace("Z", ""), d.uploaded, d.failed, d.other]),
        numeric: [false, true, true, true],
      }}
    >
      <BarChart
        responsive
        accessibilityLayer={false}
        style={{ width: "100%", height: 220 }}
        data={data}
        margin={{ top: 8, right: 16, bottom: 4, left: 8 }}
        // A short batch has one or two minutes: bars as wide as the chart read as a block, not a count.
        maxBarSize={64}
      >
        <CartesianGrid stroke="#dfe1e2" vertical={false} />
        <XAxis dataKey="minute" tickFormatter={hhmm} tick={tick} minTickGap={24} />
        <YAxis allowDecimals={false} tick={tick} width={40} />
        <Tooltip labelFormatter={(m) => `${hhmm(String(m))} UTC`} />
        <Legend formatter={(v: string) => <span style={{ color: INK }}>{v}</span>} />
        <Bar dataKey="uploaded" name="Uploaded" stackId="a" fill="#005ea2" isAnimationActive={false} />
        <Bar dataKey="failed" name="Failed" stackId="a" fill="#b50909" isAnimationActive={false} />
        <Bar dataKey="other" name="Running" stackId="a" fill="#71767a" isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}
