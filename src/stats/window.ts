/**
 * The window of a statistics request: its first and last day, the length of its periods, and the
 * periods themselves, each labelled by its first day.
 */
import { parseSupportedDay, supportedDayText } from '../shared/day.ts';
import { err, ok, type Result } from '../shared/result.ts';

/** The length of a period; a week starts on Monday (ISO 8601), as PostgreSQL's date_trunc has it. */
export type PeriodUnit = 'day' | 'week' | 'month';
export const periodUnits: readonly PeriodUnit[] = ['day', 'week', 'month'];

/** The window as asked for: every field optional. */
export interface WindowQuery {
  from?: string;
  to?: string;
  period?: PeriodUnit;
}

/** The window once defaults are applied and checked: days inclusive, `YYYY-MM-DD`. */
export interface StatsWindow {
  from: string;
  to: string;
  period: PeriodUnit;
  /** The first day of every period that overlaps the window, in order. */
  periods: string[];
}

/** Beyond this a chart is unreadable and the table unusable; a longer period unit fits more. */
export const maxPeriods = 400;
export const maxYears = 5;

/** How far back the window reaches when `from` is left out: a screenful of periods. */
const defaultSpan: Record<PeriodUnit, number> = { day: 30, week: 26, month: 12 };

/** A UTC day; unlike Date.UTC, years 0-99 stay themselves and do not become 1900-1999. */
function utc(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  return d;
}

/** The day as a UTC date, or null unless it is a supported calendar day written `YYYY-MM-DD`. */
export const parseDay = parseSupportedDay;

const dayOf = (d: Date): string => d.toISOString().slice(0, 10);

const addDays = (d: Date, days: number): Date =>
  utc(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days);

/** The first day of the period that holds `day`. */
export function periodStart(day: Date, unit: PeriodUnit): Date {
  switch (unit) {
    case 'day':
      return day;
    case 'week':
      return addDays(day, -((day.getUTCDay() + 6) % 7));
    case 'month':
      return utc(day.getUTCFullYear(), day.getUTCMonth(), 1);
  }
}

/** The first day of the period after the one starting on `start`. */
function nextPeriod(start: Date, unit: PeriodUnit): Date {
  switch (unit) {
    case 'day':
      return addDays(start, 1);
    case 'week':
      return addDays(start, 7);
    case 'month':
      return utc(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
  }
}

/** The default first day: `defaultSpan` periods up to and including the period of `to`. */
function defaultFrom(to: Date, unit: PeriodUnit): Date {
  const last = periodStart(to, unit);
  const span = defaultSpan[unit] - 1;
  switch (unit) {
    case 'day':
      return addDays(last, -span);
    case 'week':
      return addDays(last, -7 * span);
    case 'month':
      return utc(last.getUTCFullYear(), last.getUTCMonth() - span, 1);
  }
}

function yearsAfter(day: Date, years: number): Date {
  return utc(day.getUTCFullYear() + years, day.getUTCMonth(), day.getUTCDate());
}

export type WindowError = { code: 'invalid_request'; message: string };

/**
 * Applies the defaults (to: today; period: month; from: 30 days, 26 weeks or 12 months up to `to`)
 * and refuses malformed days, `from` after `to`, windows over 5 years and more than 400 periods.
 */
export function statsWindow(query: WindowQuery, today: string): Result<StatsWindow, WindowError> {
  const invalid = (message: string) => err({ code: 'invalid_request' as const, message });
  const period = query.period ?? 'month';
  if (!periodUnits.includes(period)) return invalid(`period must be one of ${periodUnits.join(', ')}`);
  const to = parseDay(query.to ?? today);
  if (!to) return invalid(`to must be ${supportedDayText}, not ${query.to}`);
  const from = query.from === undefined ? defaultFrom(to, period) : parseDay(query.from);
  if (!from) return invalid(`from must be ${supportedDayText}, not ${query.from}`);
  if (from > to) return invalid(`from ${dayOf(from)} is after to ${dayOf(to)}`);
  if (to >= yearsAfter(from, maxYears))
    return invalid(`the window from ${dayOf(from)} to ${dayOf(to)} is longer than ${maxYears} years`);
  const periods: string[] = [];
  for (let start = periodStart(from, period); start <= to; start = nextPeriod(start, period)) {
    if (periods.length === maxPeriods)
      return invalid(
        `from ${dayOf(from)} to ${dayOf(to)} spans more than ${maxPeriods} ${period}s: choose a longer period or a shorter window`,
      );
    periods.push(dayOf(start));
  }
  return ok({ from: dayOf(from), to: dayOf(to), period, periods });
}
