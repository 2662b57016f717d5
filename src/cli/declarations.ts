/**
 * `clearway declarations list`: the declarations matching a search, newest first, as a table or
 * JSON Lines; the same filters as GET /api/declarations, run by an operator over every declaration.
 */
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { Status, type Declaration } from '../declarations/model.ts';
import { declarationsRepository, type ListFilter } from '../declarations/repository.ts';
import { hsPrefixOf, hsPrefixRule } from '../declarations/hs-prefix.ts';
import { isSupportedDay, supportedDayText } from '../shared/day.ts';
import { parse, positiveInt, subCommand, UsageError } from './usage.ts';

export const declarationsUsage =
  'usage: clearway declarations list [--reference REF [--exact]] [--trader ID] [--declarant ID] [--hs PREFIX] [--office CODE] [--status STATUS] [--lane LANE] [--from DAY] [--to DAY] [--before ID] [--limit N] [--json]';

const lanes = ['red', 'yellow', 'blue', 'green'] as const;
const statuses = Object.values(Status);

export async function declarationsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined) throw new UsageError(declarationsUsage);
  subCommand(sub, ['list']);
  const filter = searchFilter(rest);
  const ctx = await openAppContext(loadConfig());
  try {
    const found = await declarationsRepository.list(ctx.db, { kind: 'all' }, filter.filter);
    process.stdout.write(
      filter.json ? found.map((d) => JSON.stringify(row(d)) + '\n').join('') : table(found),
    );
    return 0;
  } finally {
    await ctx.close();
  }
}

function searchFilter(args: string[]): { filter: ListFilter; json: boolean } {
  const { values } = parse(args, {
    reference: { type: 'string' },
    exact: { type: 'boolean', default: false },
    trader: { type: 'string' },
    declarant: { type: 'string' },
    hs: { type: 'string' },
    office: { type: 'string' },
    status: { type: 'string' },
    lane: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    before: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const text = (name: string, value: string | undefined, max: number) => {
    if (value !== undefined && (value.length === 0 || value.length > max))
      throw new UsageError(`--${name} must be 1 to ${max} characters`);
    return value;
  };
  const day = (name: string, value: string | undefined) => {
    if (value !== undefined && !isSupportedDay(value))
      throw new UsageError(`--${name} must be ${supportedDayText}, got "${value}"`);
    return value;
  };
  const oneOf = <T extends string>(name: string, value: string | undefined, allowed: readonly T[]) => {
    if (value === undefined) return undefined;
    const found = allowed.find((a) => a === value);
    if (found === undefined)
      throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
    return found;
  };
  if (values.exact && values.reference === undefined) throw new UsageError('--exact needs --reference');
  const hsPrefix = values.hs === undefined ? undefined : hsPrefixOf(values.hs);
  if (hsPrefix === null)
    throw new UsageError(`--hs must be ${hsPrefixRule} (the start of an HS code), got "${values.hs}"`);
  const from = day('from', values.from);
  const to = day('to', values.to);
  if (from && to && from > to) throw new UsageError(`--from (${from}) is after --to (${to})`);
  const limit = positiveInt(values.limit, 'limit', 50);
  if (limit > 10_000) throw new UsageError('--limit must be at most 10000');
  const filter: ListFilter = {
    reference: text('reference', values.reference, 35),
    referenceMatch: values.exact ? 'exact' : 'prefix',
    trader: text('trader', values.trader, 35),
    declarant: text('declarant', values.declarant, 35),
    hsPrefix,
    office: text('office', values.office, 17),
    status: oneOf('status', values.status, statuses),
    lane: oneOf('lane', values.lane, lanes),
    from,
    to,
    before: values.before === undefined ? undefined : positiveInt(values.before, 'before'),
    limit,
  };
  return { filter, json: values.json };
}

const row = (d: Declaration) => ({
  id: d.id,
  reference: d.functionalReference,
  trader: d.trader,
  declarant: d.declarant,
  date: d.date,
  office: d.office,
  status: d.status,
  lane: d.lane ?? null,
  items: d.items.length,
});

function table(found: readonly Declaration[]): string {
  if (found.length === 0) return 'no declarations match\n';
  const rows = found.map((d) => {
    const r = row(d);
    return [String(r.id), r.reference, r.trader, r.date, r.office, r.status, r.lane ?? '-'];
  });
  const head = ['ID', 'REFERENCE', 'TRADER', 'DATE', 'OFFICE', 'STATUS', 'LANE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd() + '\n';
  return (
    [head, ...rows].map(format).join('') + `${found.length} declaration${found.length === 1 ? '' : 's'}\n`
  );
}
