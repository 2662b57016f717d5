/**
 * `clearway clearance waiting`: what waits at each stage of clearance, per office (all offices, or
 * those named), as a table or as one JSON line, for an operator's morning round or a script.
 */
import { openAppContext } from '../app-context.ts';
import { waiting, waitingStages } from '../clearance/waiting.ts';
import { loadConfig } from '../config.ts';
import { parse, UsageError } from './usage.ts';

export const clearanceWaitingUsage = 'usage: clearway clearance waiting [--office CODE]... [--json]';

export async function clearanceWaiting(args: string[]): Promise<number> {
  const { values } = parse(args, {
    office: { type: 'string', multiple: true },
    json: { type: 'boolean', default: false },
  });
  const offices = values.office ?? [];
  for (const office of offices)
    if (!/^[A-Za-z0-9]{1,17}$/.test(office))
      throw new UsageError(`--office must be an office code of 1 to 17 letters or digits, got "${office}"`);
  const ctx = await openAppContext(loadConfig());
  try {
    const rows = await waiting(ctx.db, offices.length ? offices : null);
    if (values.json) {
      process.stdout.write(JSON.stringify({ waiting: rows }) + '\n');
      return 0;
    }
    if (rows.length === 0) {
      process.stdout.write('nothing waits for clearance\n');
      return 0;
    }
    const width = Math.max(...waitingStages.map((s) => s.length));
    for (const r of rows)
      process.stdout.write(
        `${r.office.padEnd(8)} ${r.stage.padEnd(width)} ${String(r.count).padStart(8)}  since ${new Date(r.oldestSince).toISOString()}\n`,
      );
    return 0;
  } finally {
    await ctx.close();
  }
}
