/**
 * `clearway monitor run [--period week|month] [--today DAY] [--json]`: a monitoring run now
 * (forecasts and alerts up to the latest complete period before DAY, default today), recorded in
 * the ledger as made by `cli:USER`.
 */
import { userInfo } from 'node:os';
import { loadConfig } from '../config.ts';
import { connect } from '../db/connect.ts';
import { committedHead, signHeadAtEnd } from '../governance/ledger/heads.ts';
import { sealPending } from '../governance/ledger/seal.ts';
import { runMonitoring, RunTrigger } from '../monitoring/run.ts';
import { monitorPeriods } from '../monitoring/series-key.ts';
import { isSupportedDay, supportedDayText } from '../shared/day.ts';
import { parse, UsageError } from './usage.ts';

const usage = 'usage: clearway monitor run [--period week|month] [--today DAY] [--json]';

export async function monitorCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'run') throw new UsageError(usage);
  const { values } = parse(rest, {
    period: { type: 'string', default: 'month' },
    today: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const unit = monitorPeriods.find((p) => p === values.period);
  if (!unit)
    throw new UsageError(`--period must be one of ${monitorPeriods.join(', ')}, got "${values.period}"`);
  const today = values.today ?? new Date().toISOString().slice(0, 10);
  if (!isSupportedDay(today)) throw new UsageError(`--today must be ${supportedDayText}, got "${today}"`);
  const config = loadConfig();
  const db = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const ledgerAtOpen = (await committedHead(db)).seq;
  try {
    const done = await runMonitoring(db, {
      unit,
      today,
      trigger: RunTrigger.Cli,
      actor: `cli:${userInfo().username}`,
      settings: config.monitoring,
    });
    if (!done.ok) {
      process.stderr.write(`clearway monitor: ${done.error.message}\n`);
      return 1;
    }
    const run = done.value;
    if (!run) return 1;
    process.stdout.write(
      values.json
        ? JSON.stringify(run) + '\n'
        : `Monitoring run ${run.id}: ${run.series} series forecast from ${run.historyFrom} to the ${unit} of ${run.latestPeriod}${run.currency ? ` (values in ${run.currency})` : ''}; ${run.newAlerts} new alert${run.newAlerts === 1 ? '' : 's'}.\n`,
    );
    return 0;
  } finally {
    await sealPending(db)
      .then(() => signHeadAtEnd(db, config, ledgerAtOpen))
      .catch((error: unknown) =>
        process.emitWarning(`the ledger was not sealed and signed: ${String(error)}`),
      );
    await db.close();
  }
}
