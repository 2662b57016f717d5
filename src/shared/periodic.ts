/**
 * Runs a task every interval, one run at a time, never keeping the process alive. The returned
 * function stops the timer and waits for a run in progress, so a server closes cleanly.
 */
export function runEvery(everyMs: number, task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(task);
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
