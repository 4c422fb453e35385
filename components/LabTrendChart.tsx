"use client";

import { CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { isoDate } from "@/lib/format/dates";
import type { LabPoint } from "@/lib/record";

/** Distinguishable on white at ≥ 4.5:1; facilities beyond nine reuse colours (the tooltip names them). */
const COLOURS = ["#1d4ed8", "#b91c1c", "#047857", "#7c3aed", "#c2410c", "#0e7490", "#a21caf", "#4d7c0f", "#334155"];

interface Datum {
  t: number;
  value: number;
  facilityId: string;
  flag: string | null;
}

/**
 * One test over time across facilities: a line through every result, each dot in its facility's
 * colour, the reference range as a band. The values are also in the table under the chart, which is
 * what a screen reader uses (the chart itself is an image with a label).
 */
export function LabTrendChart({
  points,
  facilities,
  unit,
  refLow,
  refHigh,
  label,
}: {
  points: LabPoint[];
  facilities: Record<string, string>;
  unit: string | null;
  refLow: number | null;
  refHigh: number | null;
  label: string;
}) {
  const data: Datum[] = points.map((p) => ({ t: new Date(p.occurredAt).getTime(), value: p.value, facilityId: p.facilityId, flag: p.flag }));
  const order = [...new Set(points.map((p) => p.facilityId))];
  const colour = (f: string) => COLOURS[order.indexOf(f) % COLOURS.length]!;
  return (
    <figure className="mt-2" data-testid="lab-chart">
      <div role="img" aria-label={label} className="h-72 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid stroke="#e2e8f0" />
            {(refLow !== null || refHigh !== null) && <ReferenceArea y1={refLow ?? undefined} y2={refHigh ?? undefined} fill="#16a34a" fillOpacity={0.12} ifOverflow="extendDomain" />}
            <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(v: number) => isoDate(new Date(v)).slice(0, 7)} tick={{ fill: "#334155", fontSize: 12 }} />
            <YAxis domain={["auto", "auto"]} tick={{ fill: "#334155", fontSize: 12 }} width={56} />
            <Tooltip
              labelFormatter={(v) => isoDate(new Date(Number(v)))}
              formatter={(v, _n, item) => [`${v}${unit ? ` ${unit}` : ""}`, facilities[(item.payload as Datum).facilityId] ?? (item.payload as Datum).facilityId]}
            />
            <Line
              type="linear"
              dataKey="value"
              stroke="#64748b"
              strokeWidth={1.5}
              isAnimationActive={false}
              dot={(p: { cx?: number; cy?: number; payload?: Datum; index?: number }) => (
                <circle key={p.index} cx={p.cx} cy={p.cy} r={p.payload?.flag ? 5 : 3.5} fill={p.payload ? colour(p.payload.facilityId) : "#64748b"} stroke="#fff" strokeWidth={1} />
              )}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {order.map((f) => (
          <span key={f} className="inline-flex items-center gap-1">
            <span aria-hidden="true" className="inline-block h-3 w-3 rounded-full" style={{ background: colour(f) }} />
            {facilities[f] ?? f}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
