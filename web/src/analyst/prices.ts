/** The price reference as GET /api/risk/prices serves it, and the distribution its statistics describe. */

export interface PriceRow {
  hs6: string;
  /** '' for the statistics over every origin. */
  origin: string;
  currency: string;
  n: number;
  logMedian: number;
  logMad: number;
  p05: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  /** The band outside which a unit value is an anomaly: the override where set, else median ± 4 robust SD. */
  low?: number;
  high?: number;
  override?: { min: number | null; max: number | null; reason: string; setBy: string };
}

/** A unit value with four significant digits, or a dash. */
export const unitValue = (x: number | null | undefined) =>
  x == null ? '–' : x.toLocaleString('en', { maximumSignificantDigits: 4 });
