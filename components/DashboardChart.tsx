"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ChartSeries {
  key: string;
  label: string;
  colour: string;
}

/**
 * One dashboard chart: bars per day, week or category, its series side by side or stacked. The
 * chart is an image with a label; its numbers are in the table beside it, which is what a screen
 * reader uses. The legend is text, so it wraps on a phone instead of shrinking the bars.
 */
export function DashboardChart({ data, x, series, label, stacked = false, dates = false }: { data: Record<string, string | number>[]; x: string; series: ChartSeries[]; label: string; stacked?: boolean; dates?: boolean }) {
  return (
    <figure className="min-w-0" data-testid="dashboard-chart">
      <div role="img" aria-label={label} className="h-56 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid stroke="#e2e8f0" vertical={false} />
            {/* a date axis shows month-day (the year and the full date are in the table and the tooltip) */}
            <XAxis dataKey={x} tickFormatter={dates ? (v: string) => v.slice(5) : undefined} tick={{ fill: "#334155", fontSize: 12 }} minTickGap={8} />
            <YAxis allowDecimals={false} tick={{ fill: "#334155", fontSize: 12 }} width={48} />
            <Tooltip />
            {series.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.colour} stackId={stacked ? "all" : undefined} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-800">
        {series.map((s) => (
          <span key={s.key} className="inline-flex items-center gap-1">
            <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm" style={{ background: s.colour }} />
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
