/**
 * The days Clearway accepts from callers: written `YYYY-MM-DD`, real calendar days, from 1900-01-01
 * to 9999-12-31. Earlier years have no customs data worth keeping, and PostgreSQL has no year 0
 * (`0000-01-01` is refused by the database); a later year is not written in four digits. Every date
 * a caller sends (query parameters, declaration dates, profile validity) is checked here.
 */

export const earliestDay = '1900-01-01';
export const latestDay = '9999-12-31';

/** A UTC day; unlike Date.UTC, years 0-99 stay themselves and do not become 1900-1999. */
export function utcDay(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  return d;
}

/** True when `text` is a real calendar day written `YYYY-MM-DD`, whatever its year. */
export function isCalendarDay(text: string): boolean {
  // read digit by digit: called for every declaration of an import, it allocates nothing
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 ? (leap ? 29 : 28) : (monthDays[month - 1] ?? 31));
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written in `text` from `from` to `to`, or -1 unless every character is a digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
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
