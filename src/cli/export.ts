/**
 * `clearway export analytics`: declarations, goods items, lanes and control outcomes as JSON Lines
 * with every party identifier pseudonymised, for datasets that leave the administration.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { writeAnalyticsExport } from '../governance/analytics-export.ts';
import { defaultRelease, isReleaseLabel, pseudonymiser, pseudonymKey } from '../governance/pseudonyms.ts';
import { parseDay } from '../stats/window.ts';
import { exportWcoXml } from '../declarations/wco-xml-files.ts';
import { parse, required, UsageError, writableFile } from './usage.ts';

const usage =
  'usage: clearway export analytics --out FILE [--from DATE] [--to DATE] [--release LABEL]\n       clearway export wco-xml --out DIR [--from DATE] [--to DATE]';

export async function exportCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'analytics') return analytics(rest);
  if (sub === 'wco-xml') return wcoXml(rest);
  throw new UsageError(usage);
}

function day(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!parseDay(value))
    throw new UsageError(`--${name} must be a calendar day written YYYY-MM-DD, got "${value}"`);
  return value;
}

async function analytics(args: string[]): Promise<number> {
  const { values } = parse(args, {
    out: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    release: { type: 'string' },
  });
  const out = await writableFile(required(values.out, 'out'), 'export');
  const from = day(values.from, 'from');
  const to = day(values.to, 'to');
  if (from && to && from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const config = loadConfig();
  const release = values.release ?? config.exportRelease ?? defaultRelease;
  if (!isReleaseLabel(release))
    throw new UsageError(`--release must be letters, digits, ".", "_" or "-" (at most 64), got "${release}"`);
  const key = await pseudonymKey(config);
  if (!key.ok) throw new UsageError(key.error.message);
  const ctx = await openAppContext(config);
  // written next to the target and renamed at the end, so a failed export leaves no partial file
  const partial = `${out}.partial`;
  const file = createWriteStream(partial, { mode: 0o600 });
  try {
    const { declarations } = await writeAnalyticsExport(ctx.db, file, {
      release,
      pseudonymise: pseudonymiser(key.value, release),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    });
    file.end();
    await once(file, 'close');
    await rename(partial, out);
    process.stdout.write(JSON.stringify({ declarations, release, out }) + '\n');
    return 0;
  } catch (error) {
    file.destroy();
    await rm(partial, { force: true });
    throw error;
  } finally {
    await ctx.close();
  }
}

/** One DEC-DMS 2 message file per declaration dated in the period, in DIR (created if need be). */
async function wcoXml(args: string[]): Promise<number> {
  const { values } = parse(args, {
    out: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  });
  const dir = required(values.out, 'out');
  // the folder is made if need be: its parent must be writable
  await writableFile(dir, 'export folder');
  const from = day(values.from, 'from');
  const to = day(values.to, 'to');
  if (from && to && from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const ctx = await openAppContext(loadConfig());
  try {
    const written = await exportWcoXml(ctx.db, dir, { ...(from ? { from } : {}), ...(to ? { to } : {}) });
    process.stdout.write(JSON.stringify({ declarations: written, out: dir }) + '\n');
    return 0;
  } finally {
    await ctx.close();
  }
}
