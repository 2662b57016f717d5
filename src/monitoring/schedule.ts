/**
 * The server's daily monitoring run: every `checkHours` each server checks whether today's
 * scheduled run of each period was made, and makes it under the run's advisory lock when not, so
 * that however many servers share the database the run is made once a day.
 */
import type { Database } from '../db/database.ts';
import type { JobLog } from '../governance/ledger/schedule.ts';
import { runEvery } from '../shared/periodic.ts';
import { monitorPeriods } from './series-key.ts';
import { runMonitoring, RunTrigger, scheduledRunDone } from './run.ts';
import type { MonitoringSettings } from './settings.ts';

/** One check: the periods whose scheduled run was due today, and what each made. */
export async function runDueToday(db: Database, settings: MonitoringSettings, today: string, log: JobLog) {
  for (const unit of monitorPeriods) {
    if (await scheduledRunDone(db, unit, today)) continue;
    const done = await runMonitoring(db, {
      unit,
      today,
      trigger: RunTrigger.Schedule,
      actor: 'system',
      settings,
      // checked again under the lock: another server may have run it meanwhile
      skipIf: () => scheduledRunDone(db, unit, today),
    });
    if (done.ok && done.value)
      log.info({ run: done.value.id, period: unit, newAlerts: done.value.newAlerts }, 'monitoring run made');
  }
}

export function scheduleMonitoring(
  db: Database,
  settings: MonitoringSettings,
  log: JobLog,
): () => Promise<void> {
  return runEvery(settings.checkHours * 3_600_000, async () => {
    try {
      await runDueToday(db, settings, new Date().toISOString().slice(0, 10), log);
    } catch (error) {
      log.error({ err: error }, 'the monitoring run failed; nothing of it was stored');
    }
  });
}
