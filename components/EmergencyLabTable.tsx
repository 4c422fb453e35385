import type { EmergencyLab } from "@/lib/record";
import type { Messages } from "@/lib/i18n/messages";
import { isWarningFlag } from "@/lib/format/lab-band";

/** The emergency dataset's 検査関連情報: the latest value of each emergency test, with its date and facility. */
export function EmergencyLabTable({ labs, name, t }: { labs: readonly EmergencyLab[]; name: (id: string) => string; t: Messages }) {
  const e = t.emergency;
  return (
    <table className="w-full text-left text-base" data-testid="em-labs">
      <thead>
        <tr className="border-b border-slate-400 text-sm text-slate-700">
          <th scope="col" className="py-0.5 pr-2 font-semibold">{e.labTest}</th>
          <th scope="col" className="py-0.5 pr-2 text-right font-semibold">{e.labValue}</th>
          <th scope="col" className="py-0.5 pr-2 font-semibold">{e.labDate}</th>
          <th scope="col" className="py-0.5 font-semibold">{e.labFacility}</th>
        </tr>
      </thead>
      <tbody>
        {labs.map((l) => (
          <tr key={l.code} className="border-b border-slate-200 last:border-0">
            <th scope="row" className="py-0.5 pr-2 font-medium">{l.display}</th>
            <td className={`py-0.5 pr-2 text-right whitespace-nowrap ${isWarningFlag(l.flag) ? "font-bold text-red-800" : ""}`}>
              {l.value} <span className="text-sm font-normal text-slate-700">{l.unit ?? ""}</span>
              {l.flag && <span className="ml-1">{l.flag}</span>}
            </td>
            <td className="py-0.5 pr-2 whitespace-nowrap">{l.date}</td>
            <td className="py-0.5">{name(l.facilityId)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
