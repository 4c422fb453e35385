export interface DashboardRow {
  key: string;
  /** the row's heading (a day, a week, a kind), then its numbers */
  head: string;
  cells: readonly (number | string | null)[];
  /** a row that needs attention (an overdue review): marked in words by the cell itself, and in colour here */
  alert?: boolean;
}

/**
 * A dashboard chart's numbers as a table: its accessible equivalent. It scrolls inside its own
 * container (focusable, so a keyboard can scroll it), never the page, so it fits a 390 px screen.
 */
export function DashboardTable({ label, columns, rows, dash }: { label: string; columns: readonly string[]; rows: readonly DashboardRow[]; dash: string }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className="max-h-80 overflow-auto rounded border border-slate-300 bg-white focus:outline-2 focus:outline-blue-700">
      <table className="w-full text-sm">
        <thead className="sticky top-0 bg-slate-100 text-left text-slate-800">
          <tr>
            {columns.map((c, i) => (
              <th key={c} scope="col" className={`p-2 font-semibold ${i > 0 ? "text-right" : ""}`}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} className={`border-t border-slate-200 ${r.alert ? "bg-red-50 font-semibold text-red-900" : ""}`}>
              <th scope="row" className="whitespace-nowrap p-2 text-left font-normal tabular-nums">
                {r.head}
              </th>
              {r.cells.map((c, i) => (
                <td key={i} className="p-2 text-right tabular-nums">
                  {c ?? dash}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
