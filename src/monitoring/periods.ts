/** Period arithmetic of monitoring: UTC days written YYYY-MM-DD, weeks from Monday, months from the 1st. */
import { periodStart } from '../stats/window.ts';
import type { MonitorPeriod } from './series-key.ts';

const day = (d: Date): string => d.toISOString().slice(0, 10);
const parse = (text: string): Date => new Date(`${text}T00:00:00Z`);

/** The first day of the period `n` periods after (before, when negative) the one starting on `start`. */
export function shiftPeriod(start: string, unit: MonitorPeriod, n: number): string {
  const d = parse(start);
  if (unit === 'week') d.setUTCDate(d.getUTCDate() + 7 * n);
  else d.setUTCMonth(d.getUTCMonth() + n, 1);
  return day(d);
}

/** The first day of the period holding `date`. */
export const startOf = (date: string, unit: MonitorPeriod): string => day(periodStart(parse(date), unit));

/** The last day of the period starting on `start`. */
export function endOf(start: string, unit: MonitorPeriod): string {
  const d = parse(shiftPeriod(start, unit, 1));
  d.setUTCDate(d.getUTCDate() - 1);
  return day(d);
}

/** The latest complete period on `today`: the one before the period that holds it. */
export const latestComplete = (today: string, unit: MonitorPeriod): string =>
  shiftPeriod(startOf(today, unit), unit, -1);

/** `count` consecutive period starts ending with `last`. */
export function periodsUpTo(last: string, unit: MonitorPeriod, count: number): string[] {
  return Array.from({ length: count }, (_, i) => shiftPeriod(last, unit, i - count + 1));
}
