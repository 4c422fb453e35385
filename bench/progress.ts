/**
 * A progress bar for long generation (the large preset's 100,000 patients): redrawn in place on a
 * terminal, a line per tenth otherwise (a log file, CI), with rows/s and the time left at that rate.
 */
import { progressLine } from "./progress-line";

export function progressBar(label: string, total: number, unit: string): (done: number, rows: number) => void {
  const t0 = performance.now();
  const tty = process.stderr.isTTY === true;
  let lastTenth = -1;
  return (done, rows) => {
    const line = progressLine({ label, done, total, unit, rows, seconds: (performance.now() - t0) / 1000 });
    if (tty) process.stderr.write(`\r${line}${done >= total ? "\n" : ""}`);
    else {
      const tenth = Math.floor((done / total) * 10);
      if (tenth !== lastTenth) console.error(line);
      lastTenth = tenth;
    }
  };
}
