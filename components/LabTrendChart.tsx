"use client";

import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { isoDate } from "@/lib/format/dates";
import { chartDomain, niceAxis, normalBand, type RangeStatus } from "@/lib/format/lab-band";
import type { LabPoint } from "@/lib/record";
import { CHART_COLOURS } from "./chart-colours";

interface Datum {
  t: number;
  value: number;
  facilityId: string;
  status: RangeStatus;
}

/**
 * A point's marker says in or out of range by its shape, not only its colour (colour is the facility):
 * ▲ high, ▼ low, ◆ abnormal, ● in range. Out-of-range markers are larger and outlined dark.
 */
function Marker({ cx, cy, fill, status }: { cx: number; cy: number; fill: string; status: RangeStatus }) {
  // data-cy: the point's exact height, for the end-to-end check of which side of the band it sits on
  const common = { fill, "data-status": status, "data-cy": cy, "data-testid": "lab-point" } as const;
  if (status === "high") return <path {...common} d={`M${cx},${cy - 7} L${cx + 6.5},${cy + 5} L${cx - 6.5},${cy + 5} Z`} stroke="#111827" strokeWidth={1.5} />;
  if (status === "low") return <path {...common} d={`M${cx},${cy + 7} L${cx + 6.5},${cy - 5} L${cx - 6.5},${cy - 5} Z`} stroke="#111827" strokeWidth={1.5} />;
  if (status === "abnormal") return <path {...common} d={`M${cx},${cy - 6.5} L${cx + 6.5},${cy} L${cx},${cy + 6.5} L${cx - 6.5},${cy} Z`} stroke="#111827" strokeWidth={1.5} />;
  return <circle {...common} cx={cx} cy={cy} r={3.5} stroke="#fff" strokeWidth={1} />;
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
  legend,
}: {
  points: LabPoint[];
  facilities: Record<string, string>;
  unit: string | null;
  refLow: number | null;
  refHigh: number | null;
  label: string;
  legend: { band: string; marker: Record<string, string> };
}) {
  const data: Datum[] = points.map((p) => ({ t: new Date(p.occurredAt).getTime(), value: p.value, facilityId: p.facilityId, status: p.status }));
  // The domain and both band edges are computed here, never left to the chart: see lib/format/lab-band.
  const axis = niceAxis(chartDomain(data.map((d) => d.value), refLow, refHigh));
  const domain = axis.domain;
  const band = normalBand(domain, refLow, refHigh);
  const statuses = [...new Set(data.map((d) => d.status))];
  const order = [...new Set(points.map((p) => p.facilityId))];
  // facilities beyond nine reuse colours (the tooltip names them)
  const colour = (f: string) => CHART_COLOURS[order.indexOf(f) % CHART_COLOURS.length]!;
  return (
    <figure className="mt-2" data-testid="lab-chart">
      <div role="img" aria-label={label} className="h-72 w-full">
        <ResponsiveContainer width="100%" height="100%">
          {/* no accessibility layer: its keyboard focus (a role="application" svg with an empty title) led
              nowhere a screen reader could use; the chart is one named image and the table holds the values.
              No title on the svg either: it made the svg a second image of the same name inside the first */}
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#e2e8f0" />
            {band && <ReferenceArea y1={band.y1} y2={band.y2} fill="#16a34a" fillOpacity={0.14} ifOverflow="hidden" className="lab-band" data-testid="lab-band" />}
            {/* the stated limits as lines, so an open-ended band still shows where it starts */}
            {refLow !== null && <ReferenceLine y={refLow} stroke="#15803d" strokeDasharray="4 3" ifOverflow="hidden" />}
            {refHigh !== null && <ReferenceLine y={refHigh} stroke="#15803d" strokeDasharray="4 3" ifOverflow="hidden" />}
            <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(v: number) => isoDate(new Date(v)).slice(0, 7)} tick={{ fill: "#334155", fontSize: 12 }} />
            <YAxis domain={domain} ticks={axis.ticks} tickFormatter={(v: number) => v.toFixed(axis.decimals)} allowDataOverflow tick={{ fill: "#334155", fontSize: 12 }} width={56} />
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
                <Marker key={p.index} cx={p.cx ?? 0} cy={p.cy ?? 0} fill={p.payload ? colour(p.payload.facilityId) : "#64748b"} status={p.payload?.status ?? "unknown"} />
              )}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {band && (
          <span className="inline-flex items-center gap-1">
            <span aria-hidden="true" className="inline-block h-3 w-5 rounded-sm border border-green-700 bg-green-600/20" />
            {legend.band}
          </span>
        )}
        {statuses.map((s) => (
          <span key={s} className="inline-flex items-center gap-1 text-slate-800">
            {legend.marker[s]}
          </span>
        ))}
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
