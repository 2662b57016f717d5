/**
 * The days Clearway accepts from callers: written `YYYY-MM-DD`, real calendar days, from 1900-01-01
 * to 9999-12-31. Earlier years have no customs data worth keeping, and PostgreSQL has no year 0
 * (`0000-01-01` is refused by the database); a later year is not written in four digits. Every date
 * a caller sends (query parameters, declaration dates, profile validity) is checked here.
 */

export const earliestDay = '1900-01-01';
export const latestDay = '9999-12-31';

const pattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A UTC day; unlike Date.UTC, years 0-99 stay themselves and do not become 1900-1999. */
export function utcDay(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  return d;
}

/** True when `text` is a real calendar day written `YYYY-MM-DD`, whatever its year. */
export function isCalendarDay(text: string): boolean {
  const m = pattern.exec(text);
  if (!m) return false;
  const d = utcDay(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.toISOString().slice(0, 10) === text;
}

/** True when `text` is a calendar day within the supported range. */
export const isSupportedDay = (text: string): boolean =>
  text >= earliestDay && text <= latestDay && isCalendarDay(text);

/** The supported day as a UTC date, or null. */
export function parseSupportedDay(text: string): Date | null {
  return isSupportedDay(text) ? new Date(`${text}T00:00:00Z`) : null;
}

/** "a calendar day written YYYY-MM-DD, from 1900-01-01 to 9999-12-31", for messages. */
export const supportedDayText = `a calendar day written YYYY-MM-DD, from ${earliestDay} to ${latestDay}`;
