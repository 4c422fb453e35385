/** A table's header row: one column heading each, in the admin tables' style. */
export function TableHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead className="text-left text-slate-700">
      <tr>
        {columns.map((c) => (
          <th key={c} scope="col" className="p-2 font-semibold">
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}
