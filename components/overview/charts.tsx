"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import type { AttemptStatus, TriageState } from "@/db/schema/enums";
import {
  ATTEMPT_STATUS_COLOR,
  ATTEMPT_STATUS_LABEL,
  compact,
  GRID,
  INK,
  shortDay,
  TRIAGE_COLOR,
  TRIAGE_LABEL,
  whole,
} from "./palette";

// The overview's charts. They are pictures of figures the page also gives as text (each figure's
// summary and table), so the SVG is hidden from assistive technology and takes no focus.

const tick = { fill: INK, fontSize: 12 };
const chartStyle = { width: "100%", height: 280 };
const tooltipFormatter = (value: unknown) => whole.format(Number(value));
// Legend text in ink, not in the series colour: small coloured text on white is hard to read.
const legendText = (value: string) => <span style={{ color: INK }}>{value}</span>;

export type BurnDownPoint = { day: string; outstanding: number };

export function BurnDownChart({ data }: { data: BurnDownPoint[] }) {
  return (
    <AreaChart
      responsive
      accessibilityLayer={false}
      style={chartStyle}
      data={data}
      margin={{ top: 8, right: 16, bottom: 4, left: 8 }}
    >
      <CartesianGrid stroke={GRID} vertical={false} />
      <XAxis dataKey="day" tickFormatter={shortDay} tick={tick} minTickGap={24} />
      <YAxis tickFormatter={(v) => compact.format(v)} tick={tick} width={56} />
      <Tooltip formatter={tooltipFormatter} labelFormatter={(d) => `Day ${d}`} />
      <Area
        type="monotone"
        dataKey="outstanding"
        name="Outstanding claims"
        stroke="#c05600"
        strokeWidth={2}
        fill="#c05600"
        fillOpacity={0.15}
        isAnimationActive={false}
      />
    </AreaChart>
  );
}

export type AttemptsDay = { day: string } & Partial<Record<AttemptStatus, number>>;

export function AttemptsPerDayChart({ data, statuses }: { data: AttemptsDay[]; statuses: AttemptStatus[] }) {
  return (
    <BarChart
      responsive
      accessibilityLayer={false}
      style={chartStyle}
      data={data}
      margin={{ top: 8, right: 16, bottom: 4, left: 8 }}
    >
      <CartesianGrid stroke={GRID} vertical={false} />
      <XAxis dataKey="day" tickFormatter={shortDay} tick={tick} minTickGap={16} />
      <YAxis tickFormatter={(v) => compact.format(v)} tick={tick} width={56} />
      <Tooltip formatter={tooltipFormatter} labelFormatter={(d) => `Started ${d}`} />
      <Legend wrapperStyle={{ fontSize: 13 }} formatter={legendText} />
      {statuses.map((s) => (
        <Bar
          key={s}
          dataKey={s}
          name={ATTEMPT_STATUS_LABEL[s]}
          stackId="a"
          fill={ATTEMPT_STATUS_COLOR[s]}
          isAnimationActive={false}
        />
      ))}
    </BarChart>
  );
}

export type FormOutcome = { formType: string } & Partial<Record<TriageState, number>>;

export function OutcomeByFormChart({ data, states }: { data: FormOutcome[]; states: TriageState[] }) {
  return (
    <BarChart
      responsive
      accessibilityLayer={false}
      layout="vertical"
      style={{ width: "100%", height: 240 }}
      data={data}
      margin={{ top: 8, right: 16, bottom: 4, left: 8 }}
    >
      <CartesianGrid stroke={GRID} horizontal={false} />
      <XAxis type="number" tickFormatter={(v) => compact.format(v)} tick={tick} />
      <YAxis type="category" dataKey="formType" tick={tick} width={80} />
      <Tooltip formatter={tooltipFormatter} />
      <Legend wrapperStyle={{ fontSize: 13 }} formatter={legendText} />
      {states.map((s) => (
        <Bar key={s} dataKey={s} name={TRIAGE_LABEL[s]} stackId="s" fill={TRIAGE_COLOR[s]} isAnimationActive={false} />
      ))}
    </BarChart>
  );
}

export type ReasonBar = { label: string; reason: string; claims: number };

export function FailureReasonsChart({ data }: { data: ReasonBar[] }) {
  return (
    <BarChart
      responsive
      accessibilityLayer={false}
      layout="vertical"
      style={{ width: "100%", height: Math.max(160, data.length * 34 + 40) }}
      data={data}
      margin={{ top: 4, right: 24, bottom: 4, left: 8 }}
    >
      <CartesianGrid stroke={GRID} horizontal={false} />
      <XAxis type="number" tickFormatter={(v) => compact.format(v)} tick={tick} />
      <YAxis type="category" dataKey="label" tick={tick} width={430} interval={0} />
      <Tooltip
        formatter={tooltipFormatter}
        labelFormatter={(_l, payload) => String(payload?.[0]?.payload?.reason ?? "")}
      />
      <Bar dataKey="claims" name="Outstanding claims" fill="#005ea2" isAnimationActive={false} />
    </BarChart>
  );
}

export type HistogramBar = { label: string; uploads: number };

export function VbmsTimeChart({ data }: { data: HistogramBar[] }) {
  return (
    <BarChart
      responsive
      accessibilityLayer={false}
      style={chartStyle}
      data={data}
      margin={{ top: 8, right: 16, bottom: 4, left: 8 }}
    >
      <CartesianGrid stroke={GRID} vertical={false} />
      <XAxis dataKey="label" tick={tick} interval={0} />
      <YAxis tickFormatter={(v) => compact.format(v)} tick={tick} width={56} />
      <Tooltip formatter={tooltipFormatter} />
      <Bar dataKey="uploads" name="Uploads that reached VBMS" fill="#008817" isAnimationActive={false} />
    </BarChart>
  );
}
