/**
 * `clearway demo clearance`: simulates the clearance of the stored demo declarations that have none
 * yet (demo/clearance-writer.ts), for an operator filling a demo database; prints one JSON line.
 */
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { isIsoDate } from '../demo/calendar.ts';
import { simulateStoredClearance } from '../demo/clearance-writer.ts';
import { parse, UsageError } from './usage.ts';

export const clearanceUsage = 'clearway demo clearance [--seed N] [--until DATE] [--lodged-by ACTOR]';

/** The run an operator asked for; `now` is when it is asked. */
export function parseClearanceArgs(args: string[], now = new Date()) {
  const { values } = parse(args, {
    seed: { type: 'string' },
    until: { type: 'string' },
    'lodged-by': { type: 'string' },
  });
  const seedText = values.seed ?? '1';
  const seed = /^-?\d+$/.test(seedText) ? Number(seedText) : NaN;
  if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be an integer, got '${seedText}'`);
  let until = now;
  if (values.until !== undefined) {
    if (!isIsoDate(values.until))
      throw new UsageError(`--until must be a date YYYY-MM-DD, got '${values.until}'`);
    // the end of that day, never later than now: nothing is simulated in the future
    until = new Date(Math.min(Date.parse(`${values.until}T23:59:59.999Z`), now.getTime()));
  }
  const lodgedBy = values['lodged-by'] ?? 'demo';
  if (lodgedBy.length === 0 || lodgedBy.length > 200)
    throw new UsageError('--lodged-by must name the actor that imported the demo declarations');
  return { seed, until, lodgedBy };
}

export async function clearanceCommand(args: string[]): Promise<number> {
  const run = parseClearanceArgs(args);
  const ctx = await openAppContext(loadConfig());
  try {
    const started = performance.now();
    const summary = await simulateStoredClearance(ctx.db, { ...run, actor: 'demo' });
    const seconds = Math.round(performance.now() - started) / 1000;
    process.stdout.write(JSON.stringify({ ...summary, until: run.until.toISOString(), seconds }) + '\n');
    return 0;
  } finally {
    await ctx.close();
  }
}
