/**
 * Dates for the demo generator: YYYY-MM-DD parsing, month arithmetic and the seasonal volume of
 * declarations per day (fewer around the new year and at weekends, a peak before the holidays).
 */
import type { Random } from './random.ts';

const dayMs = 86_400_000;
const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

/** Relative volume by calendar month, January first. */
const monthFactor = [0.85, 0.8, 1, 1, 1.02, 1, 0.97, 0.98, 1.05, 1.1, 1.15, 1.05];
/** Relative volume by weekday, Sunday first. */
const weekdayFactor = [0.08, 1.05, 1.1, 1.1, 1.05, 1, 0.25];
/** Yearly growth of trade volume. */
const growthPerYear = 0.08;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  if (!isoDatePattern.test(text)) return false;
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text;
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export function toDayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / dayMs);
}

/** The YYYY-MM-DD date of a day number. */
export function fromDayNumber(day: number): string {
  return new Date(day * dayMs).toISOString().slice(0, 10);
}

/** Today's date in the local time zone, YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const month = String(now.getMonth() + 1).padStart(2, '0');
  const day = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${day}`;
}

/** The date `months` calendar months before `date`, clamped to the end of a shorter month. */
export function monthsBefore(date: string, months: number): string {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  const index = year * 12 + (month - 1) - months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return `${pad(targetYear, 4)}-${pad(targetMonth + 1, 2)}-${pad(targetDay, 2)}`;
}

function daysInMonth(year: number, monthIndex: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][monthIndex] ?? 31;
}

/** Relative number of declarations on each day from `fromDay` to `toDay` inclusive. */
export function dailyVolumeWeights(fromDay: number, toDay: number, random: Random): Float64Array {
  const weights = new Float64Array(toDay - fromDay + 1);
  for (let i = 0; i < weights.length; i++) {
    const date = new Date((fromDay + i) * dayMs);
    const season = (monthFactor[date.getUTCMonth()] ?? 1) * (weekdayFactor[date.getUTCDay()] ?? 1);
    const trend = 1 + (growthPerYear * i) / 365;
    weights[i] = season * trend * random.logNormal(1, 0.12);
  }
  return weights;
}
