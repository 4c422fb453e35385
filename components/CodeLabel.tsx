import { codeSystemName } from "@/lib/terminology/code-systems";

/** A code with its system's short name (HOT9, JLAC10, …); the full system URI is the tooltip. */
export function CodeLabel({ system, code }: { system: string; code: string }) {
  return (
    <span className="font-mono" title={system}>
      {codeSystemName(system)} {code}
    </span>
  );
}
