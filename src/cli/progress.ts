/** A one-line progress bar for terminals, redrawn at most ten times a second. */
export function progressBar(out: NodeJS.WriteStream, expected: number) {
  const started = Date.now();
  let drawnAt = 0;
  let latest = 0;
  const draw = (done: number, total: number) => {
    const share = total > 0 ? Math.min(1, done / total) : 0;
    const width = Math.max(10, Math.min(40, (out.columns ?? 80) - 40));
    const filled = Math.round(share * width);
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    out.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${Math.round(rate)} rows/s  ${seconds.toFixed(0)} s`,
    );
  };
  return {
    /** `done` rows of about `expected`, an estimate from the file size. */
    update(done: number) {
      latest = done;
      const now = Date.now();
      if (now - drawnAt < 100) return;
      drawnAt = now;
      draw(done, Math.max(expected, done * 1.01));
    },
    done() {
      draw(latest, latest);
      out.write('\n');
    },
  };
}
