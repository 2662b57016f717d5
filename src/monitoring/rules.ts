/**
 * The three alert rules, as pure functions of what the run measured (ADR 0028). Each alert carries
 * its size, the value at stake in the run's currency, so that alerts of every kind rank together.
 */
import type { ForecastPoint } from '../forecast/index.ts';
import type { MonitoringSettings } from './settings.ts';

export { AlertKind, alertKinds } from './codes.ts';
import { AlertKind } from './codes.ts';

/** What a rule found, before it is stored. */
export interface Finding {
  kind: AlertKind;
  /** The series: `chapter:85`, `hs6:851713/origin:VN`, `hs6:851713`. */
  series: string;
  /** declarations, value, duty, share or unit_value. */
  measure: string;
  size: number;
  explanation: string;
  /** The figures behind it (and what drafting a profile needs). */
  facts: Record<string, string | number | null>;
}

const z95 = 1.959963984540054;

export interface IntervalCheck {
  observed: number;
  point: ForecastPoint;
  /** What one unit of the measure is worth in the currency (1 for value and duty). */
  worth: number;
}

/**
 * Outside the 95% interval: the observation beyond the forecast's bounds. Its standardized
 * distance is measured in the interval's own spread (the upper half-width over 1.96, which
 * clipping at zero never narrows), with a floor of 5% of the forecast so a flat history does not
 * turn every change into an infinite distance.
 */
export function outsideInterval(c: IntervalCheck): { z: number; atStake: number } | null {
  const { observed, point } = c;
  // beyond a bound by more than rounding: a flat history forecast as flat raises nothing
  const slack = 1e-6 * Math.max(1, Math.abs(point.mean));
  if (observed >= point.lower95 - slack && observed <= point.upper95 + slack) return null;
  const sigma = Math.max((point.upper95 - point.mean) / z95, 0.05 * Math.max(Math.abs(point.mean), 1));
  return {
    z: round(Math.abs(observed - point.mean) / sigma, 2),
    atStake: cents(Math.abs(observed - point.mean) * c.worth),
  };
}

export interface OriginCount {
  hs6: string;
  origin: string;
  /** Declarations of the HS6 from the origin in the latest period, and over the baseline. */
  latest: number;
  baseline: number;
  /** Their value in the latest period, in the currency. */
  latestValue: number;
}

/**
 * Surges of an HS6 from an origin that rarely shipped it: its share of the HS6's declarations
 * (counted per origin) below `rareShare` over the baseline and above `surgeShare` in the latest
 * period, with enough declarations in both.
 */
export function originSurges(rows: readonly OriginCount[], s: MonitoringSettings): OriginCount[] {
  const totals = new Map<string, { latest: number; baseline: number }>();
  for (const r of rows) {
    const t = totals.get(r.hs6) ?? { latest: 0, baseline: 0 };
    t.latest += r.latest;
    t.baseline += r.baseline;
    totals.set(r.hs6, t);
  }
  return rows.filter((r) => {
    const t = totals.get(r.hs6);
    if (!t || t.baseline < s.surgeMinBaseline || t.latest === 0 || r.latest < s.surgeMinDeclarations)
      return false;
    return r.baseline / t.baseline < s.rareShare && r.latest / t.latest > s.surgeShare;
  });
}

/** The origin's shares of its HS6, for the words of an alert. */
export function shares(rows: readonly OriginCount[], r: OriginCount): { before: number; now: number } {
  let latest = 0;
  let baseline = 0;
  for (const x of rows)
    if (x.hs6 === r.hs6) {
      latest += x.latest;
      baseline += x.baseline;
    }
  return { before: baseline ? r.baseline / baseline : 0, now: latest ? r.latest / latest : 0 };
}

export interface UnitValueMedians {
  hs6: string;
  /** The median unit value over the quarter before the run of periods, and its items. */
  reference: { median: number; items: number };
  /** The last periods, oldest first: median unit value, items and their net mass. */
  periods: { period: string; median: number; items: number; mass: number }[];
}

/**
 * A sustained unit-value drop: each of the last `dropPeriods` periods has a median unit value
 * below the quarter before by more than `unitValueDrop`, with enough items each. At stake: the
 * value the goods would have had at the quarter's median, less what was declared (median gap times
 * net mass, per period).
 */
export function unitValueDrop(
  m: UnitValueMedians,
  s: MonitoringSettings,
): { atStake: number; level: number } | null {
  const level = m.reference.median * (1 - s.unitValueDrop);
  if (m.reference.items < s.unitValueMinItems || m.periods.length < s.dropPeriods) return null;
  const run = m.periods.slice(-s.dropPeriods);
  if (!run.every((p) => p.items >= s.unitValueMinItems && p.median < level)) return null;
  const atStake = run.reduce((sum, p) => sum + (m.reference.median - p.median) * p.mass, 0);
  return { atStake: cents(atStake), level: round(level, 4) };
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
const cents = (x: number): number => round(x, 2);
