/** `clearway clearance`: the Time Release Study (`report`) and what waits at each stage (`waiting`). */
import { clearanceReport, clearanceReportUsage } from './clearance-report.ts';
import { clearanceWaiting, clearanceWaitingUsage } from './clearance-stages.ts';
import { UsageError } from './usage.ts';

export async function clearanceCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'report') return clearanceReport(rest);
  if (sub === 'waiting') return clearanceWaiting(rest);
  // one line, as every usage mistake
  throw new UsageError(`${clearanceReportUsage}; or ${clearanceWaitingUsage.replace('usage: ', '')}`);
}
