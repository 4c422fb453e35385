"use client";

/** Prints the page; `onDark` for use on a coloured bar (white text keeps the contrast). */
export function PrintButton({ label, onDark = false }: { label: string; onDark?: boolean }) {
  const tone = onDark ? "border-2 border-white text-white hover:bg-red-800" : "border border-slate-500 text-slate-900 hover:bg-slate-100";
  return (
    <button type="button" onClick={() => window.print()} className={`no-print rounded px-3 py-1.5 font-medium ${tone}`}>
      {label}
    </button>
  );
}
