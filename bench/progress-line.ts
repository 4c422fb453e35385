/** One line of the progress bar: pure, so that its arithmetic (rate, time left) is tested. */

const WIDTH = 30;

const clock = (s: number) => {
  const t = Math.max(0, Math.round(s));
  return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, "0")}`;
};

export function progressLine(p: { label: string; done: number; total: number; unit: string; rows: number; seconds: number }): string {
  const share = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const filled = Math.round(share * WIDTH);
  const rate = p.seconds > 0 ? p.rows / p.seconds : 0;
  const left = share > 0 && share < 1 ? (p.seconds / share) * (1 - share) : 0;
  const n = (x: number) => Math.round(x).toLocaleString("en-US");
  return (
    `${p.label} [${"#".repeat(filled)}${" ".repeat(WIDTH - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ` +
    `${n(p.done)}/${n(p.total)} ${p.unit}, ${n(p.rows)} rows, ${n(rate)} rows/s, ${share < 1 ? `${clock(left)} left` : `done in ${clock(p.seconds)}`}`
  );
}
