import type { Locale, Messages } from "@/lib/i18n/messages";
import type { ReviewCandidate, ReviewComparison } from "@/lib/network";
import { identityDecisionAction } from "@/app/actions/identity-review";
import { TableHead } from "./TableHead";
import { identityValueText } from "./identity-value";

/**
 * The held files' person beside the patient, item by item, and the confirmation of exactly that: when
 * the files give two or more 枝番, one of these per 枝番 (with how many files carry it), and confirming
 * one links the id with that 枝番. A disagreement still needs the reviewer's written reason (lib/access).
 */
export function IdentityComparison({ c, cmp, elsewhere, t, locale }: { c: ReviewCandidate; cmp: ReviewComparison; elsewhere: boolean; t: Messages; locale: Locale }) {
  const r = t.identityReview;
  // the files named the insurer but no 被保険者番号: there is a value, and nothing to compare it on
  const insurerWithoutNumber = (field: string) => field === "insured" && !!c.source.insured?.insurerNumber && !c.source.insured?.number;
  const v = t.identityVouch;
  const b = t.identityBranches;
  // a held id that is already linked is confirmed onto that patient only, vouching for the 枝番 it sent
  const vouch = cmp.id === c.linkedPatientId ? cmp.vouchBranch : null;
  const differs = cmp.reasonNeeded;

  const titleId = cmp.branch ? `cand-${c.id}-branch-${cmp.branch}` : undefined;
  return (
    <div className={cmp.branch ? "mt-3 rounded border border-slate-300 p-3" : ""} data-branch={cmp.branch ?? undefined} role={cmp.branch ? "group" : undefined} aria-labelledby={titleId}>
      {cmp.branch && cmp.files !== null && (
        <>
          <h3 id={titleId} className="font-semibold">
            {b.heading(cmp.branch, cmp.files)}
          </h3>
          <p className="text-sm text-slate-700">
            {b.from}: <span className="font-mono break-all">{cmp.from}</span>
          </p>
        </>
      )}
      <div className="mt-2 overflow-x-auto">
        <table className="w-full text-sm">
          <TableHead columns={[r.item, r.source, r.patient(cmp.id), b.match]} />
          <tbody>
            {cmp.rows.map((row) => (
              <tr key={row.field} className={`border-t border-slate-200 ${row.agree === false ? "bg-red-50" : ""}`} data-field={row.field} data-agree={String(row.agree)}>
                <th scope="row" className="p-2 text-left font-semibold">
                  {r.fields[row.field]}
                </th>
                <td className="p-2">{identityValueText(row.field, row.source, { t, locale, insurerOf: c.source })}</td>
                <td className="p-2">{identityValueText(row.field, row.patient, { t, locale })}</td>
                <td className={`p-2 font-semibold ${row.agree === true ? "text-green-800" : row.agree === false ? "text-red-800" : "text-slate-600"}`}>
                  {row.agree === true ? `✓ ${r.agree}` : row.agree === false ? `✗ ${r.disagree}` : `– ${insurerWithoutNumber(row.field) ? r.notComparable : r.unknown}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!elsewhere && (
        <>
          <form action={identityDecisionAction} className="mt-3 flex flex-wrap items-center gap-3">
            <input type="hidden" name="candidateId" value={c.id} />
            <input type="hidden" name="patientId" value={cmp.id} />
            {cmp.branch && <input type="hidden" name="branch" value={cmp.branch} />}
            {(differs || vouch) && (
              <div className="w-full space-y-1 rounded border border-red-600 bg-red-50 p-2 text-sm text-red-900">
                {differs && <p className="font-semibold">{r.differs}</p>}
                {vouch && <p className="font-semibold">{v.vouchNote(vouch)}</p>}
                <label className="block">
                  <span className="block font-semibold">{vouch ? v.vouchLabel(vouch) : r.overrideLabel}</span>
                  <textarea name="overrideReason" minLength={5} maxLength={500} rows={2} className="w-full rounded border border-slate-400 px-2 py-1 text-slate-900" />
                </label>
              </div>
            )}
            <button type="submit" name="decision" value="confirm" className="rounded bg-blue-700 px-3 py-1 text-sm font-semibold text-white hover:bg-blue-800">
              {cmp.branch ? b.confirm(cmp.id, cmp.branch) : r.confirm(cmp.id)}
            </button>
          </form>
          {!vouch && <p className="mt-1 text-xs text-slate-600">{r.confirmNote}</p>}
        </>
      )}
    </div>
  );
}
