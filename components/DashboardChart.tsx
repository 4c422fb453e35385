"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ChartSeries {
  key: string;
  label: string;
  colour: string;
}

const TICK = { fill: "#334155", fontSize: 12 };
/** the longest category name, 救急隊・救急部門 (8 characters at 12 px), fits without wrapping */
const CATEGORY_WIDTH = 104;

/**
 * One dashboard chart: bars per day, week or category, its series side by side or stacked. The
 * chart is an image with a label; its numbers are in the table beside it, which is what a screen
 * reader uses. The legend is text, so it wraps on a phone instead of shrinking the bars.
 */
export function DashboardChart({ data, x, series, label, stacked = false, dates = false }: { data: Record<string, string | number>[]; x: string; series: ChartSeries[]; label: string; stacked?: boolean; dates?: boolean }) {
  const bars = series.map((s) => <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.colour} stackId={stacked ? "all" : undefined} isAnimationActive={false} />);
  return (
    <figure className="min-w-0" data-testid="dashboard-chart">
      <div role="img" aria-label={label} className="h-56 w-full">
        <ResponsiveContainer width="100%" height="100%">
          {dates ? (
            <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
              <CartesianGrid stroke="#e2e8f0" vertical={false} />
              {/* a date axis shows month-day (the year and the full date are in the table and the tooltip); days may be skipped when crowded */}
              <XAxis dataKey={x} tickFormatter={(v: string) => v.slice(5)} tick={TICK} minTickGap={8} />
              <YAxis allowDecimals={false} tick={TICK} width={48} />
              <Tooltip />
              {bars}
            </BarChart>
          ) : (
            // categories (professions, kinds) lie down, one row each, every one named: side by side,
            // recharts drops the labels that would touch (看護師 between 薬剤師 and 救急隊・救急部門 did)
            <BarChart data={data} layout="vertical" margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#e2e8f0" horizontal={false} />
              <XAxis type="number" allowDecimals={false} tick={TICK} />
              <YAxis type="category" dataKey={x} interval={0} tick={TICK} width={CATEGORY_WIDTH} />
              <Tooltip />
              {bars}
            </BarChart>
          )}
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
