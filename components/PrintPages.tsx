import type { ReactNode } from "react";

/**
 * A printout of several sheets with the same footer on each: printed, this is a table whose footer
 * group the browser repeats at the foot of every page (position: fixed would repeat it too, but over
 * the last lines of each page). On screen it is plain blocks and the footer is not shown (globals.css,
 * .print-pages).
 */
export function PrintPages({ footer, children }: { footer: ReactNode; children: ReactNode }) {
  return (
    <table role="presentation" className="print-pages">
      <tbody>
        <tr>
          <td>{children}</td>
        </tr>
      </tbody>
      <tfoot>
        <tr>
          <td>{footer}</td>
        </tr>
      </tfoot>
    </table>
  );
}
