/** The price reference as GET /api/risk/prices serves it. */
import type { PriceReference } from '../PriceChart.tsx';

/** A row of the price reference; the band (low, high) is absent where no statistics back it. */
export type PriceRow = Omit<PriceReference, 'low' | 'high'> & {
  low?: number;
  high?: number;
  override?: { min: number | null; max: number | null; reason: string; setBy: string };
};

/** A unit value with four significant digits, or a dash. */
export const unitValue = (x: number | null | undefined) =>
  x == null ? '–' : x.toLocaleString('en', { maximumSignificantDigits: 4 });
