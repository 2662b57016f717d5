/** `clearway quality report`: the lowest data-quality scores and their trends, as a table or JSON. */
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { renderQualityReport } from '../quality/report.ts';
import { qualityScores, scoreKeys, type ScoreKey } from '../quality/scores.ts';
import { periodUnits, statsWindow, type PeriodUnit } from '../stats/window.ts';
import { parse, positiveInt, UsageError } from './usage.ts';

const usage =
  'usage: clearway quality report [--from DATE] [--to DATE] [--period day|week|month] [--by field|trader] [--limit N] [--json]';

export async function qualityCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'report') return report(rest);
  throw new UsageError(usage);
}

const oneOf = <T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  name: string,
): T | undefined => {
  if (value === undefined) return undefined;
  const found = allowed.find((a) => a === value);
  if (found === undefined)
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return found;
};

async function report(args: string[]): Promise<number> {
  const { values } = parse(args, {
    from: { type: 'string' },
    to: { type: 'string' },
    period: { type: 'string' },
    by: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const period: PeriodUnit | undefined = oneOf(values.period, periodUnits, 'period');
  const by: ScoreKey = oneOf(values.by, scoreKeys, 'by') ?? 'field';
  const limit = positiveInt(values.limit, 'limit', 20);
  const window = statsWindow(
    {
      ...(values.from ? { from: values.from } : {}),
      ...(values.to ? { to: values.to } : {}),
      ...(period ? { period } : {}),
    },
    new Date().toISOString().slice(0, 10),
  );
  if (!window.ok) throw new UsageError(window.error.message);
  const ctx = await openAppContext(loadConfig());
  try {
    const fields = ctx.catalog.entries.map((e) => e.path);
    const scores = await qualityScores(ctx.db, { window: window.value, by, scope: { kind: 'all' }, fields });
    const shown = { ...scores, items: scores.items.slice(0, limit) };
    process.stdout.write(values.json ? JSON.stringify(shown) + '\n' : renderQualityReport(shown));
    return 0;
  } finally {
    await ctx.close();
  }
}
