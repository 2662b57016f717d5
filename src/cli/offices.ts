/**
 * `clearway offices list|add|update`: the customs offices, maintained by administrators; and
 * `clearway users offices NAME CODE...`: the offices an officer or supervisor works at. Each change
 * is on the ledger, made by `system` as every command-line change is.
 */
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { setUserOffices } from '../governance/user-offices.ts';
import { addOffice, loadOffices, updateOffice, type OfficeChange } from '../reference/office-store.ts';
import type { CustomsOffice } from '../reference/offices.ts';
import { parse, required, subCommand, UsageError } from './usage.ts';

const usage =
  'usage: clearway offices list [--json] | add --code CODE --name NAME --country CC [--from DAY] [--to DAY] | update --code CODE [--name NAME] [--country CC] [--from DAY|none] [--to DAY|none]';

export async function officesCommand(args: string[]): Promise<number> {
  const [given, ...rest] = args;
  const sub = subCommand(given, ['list', 'add', 'update'] as const);
  const { values } = parse(rest, {
    json: { type: 'boolean', default: false },
    code: { type: 'string' },
    name: { type: 'string' },
    country: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  });
  /** A day, `none` (unbounded), or absent. */
  const day = (v: string | undefined) => (v === undefined ? undefined : v === 'none' ? null : v);
  // every option is checked before the database is opened
  const code = sub === 'list' ? '' : required(values.code, 'code');
  const office: CustomsOffice | undefined =
    sub === 'add'
      ? {
          code,
          name: required(values.name, 'name'),
          country: required(values.country, 'country'),
          validFrom: day(values.from) ?? null,
          validTo: day(values.to) ?? null,
        }
      : undefined;
  const change: OfficeChange = {};
  if (sub === 'update') {
    const from = day(values.from);
    const to = day(values.to);
    if (values.name !== undefined) change.name = values.name;
    if (values.country !== undefined) change.country = values.country;
    if (from !== undefined) change.validFrom = from;
    if (to !== undefined) change.validTo = to;
    if (Object.keys(change).length === 0) throw new UsageError(`nothing to change; ${usage}`);
  }
  const ctx = await openAppContext(loadConfig());
  try {
    if (sub === 'list') {
      for (const o of await loadOffices(ctx.db))
        process.stdout.write(
          values.json
            ? JSON.stringify(o) + '\n'
            : `${o.code}\t${o.country}\t${o.validFrom ?? '-'}\t${o.validTo ?? '-'}\t${o.name}\n`,
        );
      return 0;
    }
    const isCountry = (c: string) => ctx.reference.isCountry(c);
    const result = office
      ? await addOffice(ctx.db, office, 'system', isCountry)
      : await updateOffice(ctx.db, code, change, 'system', isCountry);
    if (!result.ok) {
      process.stderr.write(`clearway offices ${sub}: ${result.error.message}\n`);
      return 1;
    }
    const o = result.value;
    process.stdout.write(`${sub === 'add' ? 'added' : 'updated'} ${o.code} ${o.name} (${o.country})\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}

/** `clearway users offices USERNAME [CODE...]`: the user's offices become exactly these (none: no office). */
export async function userOfficesCommand(args: string[]): Promise<number> {
  const { positionals } = parse(args, {}, true);
  const [username, ...codes] = positionals;
  if (!username) throw new UsageError('usage: clearway users offices USERNAME [CODE...]');
  const offices = codes
    .flatMap((c) => c.split(','))
    .map((c) => c.trim())
    .filter(Boolean);
  const ctx = await openAppContext(loadConfig());
  try {
    const result = await setUserOffices(ctx.db, username, offices, 'system');
    if (!result.ok) {
      process.stderr.write(`clearway users offices: ${result.error.message}\n`);
      return 1;
    }
    const now = result.value.offices;
    process.stdout.write(`${username} works at ${now.length ? now.join(', ') : 'no office'}\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}
