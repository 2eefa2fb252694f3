"use client";

import { Area, AreaChart, YAxis } from "recharts";

// A group's last 30 days of failures as a small picture; the count beside it says the same in words,
// so the SVG is hidden from assistive technology.
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const data = values.map((n, i) => ({ i, n }));
  return (
    // relative: the sr-only label is positioned in here, not against the page (it widened the page at 390 px).
    <span className="relative inline-flex items-center gap-2">
      <span aria-hidden="true" className="inline-block" data-testid="sparkline">
        <AreaChart
          width={120}
          height={28}
          data={data}
          accessibilityLayer={false}
          margin={{ top: 2, right: 0, bottom: 2, left: 0 }}
        >
          <YAxis hide domain={[0, "dataMax"]} />
          <Area
            type="monotone"
            dataKey="n"
            stroke="#005ea2"
            strokeWidth={1.5}
            fill="#005ea2"
            fillOpacity={0.15}
            isAnimationActive={false}
          />
        </AreaChart>
      </span>
      <span className="sr-only">{label}</span>
    </span>
  );
}
