/**
 * The unit-value bands (value per kg) the plausibility layer compares items with, by HS subheading
 * and currency. The price reference (risk/price-reference.ts) provides them; this file holds only
 * the seam, so validation does not depend on how they are computed.
 */
export interface UnitValueBand {
  count: number;
  median: number;
  low: number;
  high: number;
}

export interface KeyedBand extends UnitValueBand {
  hs6: string;
  currency: string;
}

export interface UnitValueStats {
  band(hs6: string, currency: string): UnitValueBand | undefined;
  /** Every band as plain values, to rebuild the same statistics elsewhere (e.g. in an import worker). */
  readonly bands: readonly KeyedBand[];
}

export const noUnitValueStats: UnitValueStats = { band: () => undefined, bands: [] };

export function unitValueStatsFrom(bands: readonly KeyedBand[]): UnitValueStats {
  const byKey = new Map(bands.map((b) => [`${b.hs6}|${b.currency}`, b]));
  return { band: (hs6, currency) => byKey.get(`${hs6}|${currency}`), bands };
}
