/** A one-line progress bar for terminals, redrawn at most ten times a second. */
export function progressBar(out: NodeJS.WriteStream, total: number) {
  const started = Date.now();
  let last = 0;
  const draw = (done: number) => {
    const share = total > 0 ? Math.min(1, done / total) : 0;
    const width = Math.max(10, Math.min(40, (out.columns ?? 80) - 40));
    const filled = Math.round(share * width);
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds / 1e6 : 0;
    out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${rate.toFixed(1)} MB/s  ${seconds.toFixed(0)} s`);
  };
  return {
    update(done: number) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      draw(done);
    },
    done() {
      draw(total);
      out.write('\n');
    },
  };
}
