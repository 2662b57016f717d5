/**
 * `clearway clearance report`: the Time Release Study of released declarations, per group and stage
 * (count, mean, median and 90th percentile in minutes), as one JSON line or a table.
 */
import { openAppContext } from '../app-context.ts';
import { timesRequest, timesView } from '../clearance/times-report.ts';
import { timesLabels } from '../clearance/times-routes.ts';
import type { TimesView } from '../clearance/times-schema.ts';
import { loadConfig } from '../config.ts';
import { parse, UsageError } from './usage.ts';

export const clearanceReportUsage =
  'usage: clearway clearance report [--from DATE] [--to DATE] [--by office|lane|mode|section] [--json]';

const dimensions = ['office', 'lane', 'mode', 'section'] as const;

export async function clearanceReport(args: string[]): Promise<number> {
  const { values } = parse(args, {
    from: { type: 'string' },
    to: { type: 'string' },
    by: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const by = values.by === undefined ? undefined : dimensions.find((d) => d === values.by);
  if (values.by !== undefined && by === undefined)
    throw new UsageError(`--by must be one of ${dimensions.join(', ')}, got "${values.by}"`);
  const req = timesRequest(
    {
      ...(values.from ? { from: values.from } : {}),
      ...(values.to ? { to: values.to } : {}),
      ...(by ? { by } : {}),
    },
    new Date().toISOString().slice(0, 10),
  );
  if (!req.ok) throw new UsageError(req.problems.map((p) => `--${p.message}`).join('; '));
  const ctx = await openAppContext(loadConfig());
  try {
    const view = await timesView(ctx.db, { ...req.value, top: 50 }, { kind: 'all' }, await timesLabels(ctx));
    process.stdout.write(values.json ? JSON.stringify(reportOf(view)) + '\n' : table(view));
    return 0;
  } finally {
    await ctx.close();
  }
}

/** What the report prints: per group, each stage's count, mean, median and p90 in minutes. */
function reportOf(view: TimesView) {
  const groupOf = (g: TimesView['overall']) => ({
    key: g.key,
    label: g.label,
    declarations: g.declarations,
    stages: Object.fromEntries(
      g.stages.map((s) => [s.stage, { count: s.count, mean: s.mean, median: s.median, p90: s.p90 }]),
    ),
  });
  return {
    from: view.from,
    to: view.to,
    by: view.by,
    unit: 'minutes',
    overall: groupOf(view.overall),
    groups: view.groups.map(groupOf),
  };
}

const cell = (v: number | null) => (v === null ? '-' : String(v));

function table(view: TimesView): string {
  const lines = [`Time Release Study, released ${view.from} to ${view.to}, minutes`];
  for (const g of [view.overall, ...view.groups]) {
    lines.push('', `${g.label} (${g.declarations} declarations)`);
    lines.push(
      [
        'stage'.padEnd(40),
        'count'.padStart(8),
        'mean'.padStart(10),
        'median'.padStart(10),
        'p90'.padStart(10),
      ].join(''),
    );
    for (const s of g.stages) {
      const label = view.stages.find((x) => x.key === s.stage)?.label ?? s.stage;
      lines.push(
        [
          label.padEnd(40),
          String(s.count).padStart(8),
          cell(s.mean).padStart(10),
          cell(s.median).padStart(10),
          cell(s.p90).padStart(10),
        ].join(''),
      );
    }
  }
  return lines.join('\n') + '\n';
}
