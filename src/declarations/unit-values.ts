/**
 * The unit-value bands (value per kg) the plausibility layer compares items with, by HS subheading,
 * origin and currency. The price reference (risk/price-reference.ts) provides them; this file holds only
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
  /** '' (or left out) for the band over every origin. */
  origin?: string;
  currency: string;
}

export interface UnitValueStats {
  /** The band of the origin where there is one, else of the HS6 over every origin. */
  band(hs6: string, origin: string | undefined, currency: string): UnitValueBand | undefined;
  /** Every band as plain values, to rebuild the same statistics elsewhere (e.g. in an import worker). */
  readonly bands: readonly KeyedBand[];
}

export const noUnitValueStats: UnitValueStats = { band: () => undefined, bands: [] };

export function unitValueStatsFrom(bands: readonly KeyedBand[]): UnitValueStats {
  // nested by hs6, origin and currency: a lookup (two per goods item of an import) builds no key
  const byKey = new Map<string, Map<string, Map<string, KeyedBand>>>();
  for (const b of bands) {
    let byOrigin = byKey.get(b.hs6);
    if (!byOrigin) byKey.set(b.hs6, (byOrigin = new Map()));
    const origin = b.origin ?? '';
    let byCurrency = byOrigin.get(origin);
    if (!byCurrency) byOrigin.set(origin, (byCurrency = new Map()));
    byCurrency.set(b.currency, b); // the last of the same key, as a Map built from the list keeps
  }
  const at = (hs6: string, origin: string, currency: string) => byKey.get(hs6)?.get(origin)?.get(currency);
  return {
    band: (hs6, origin, currency) =>
      (origin ? at(hs6, origin, currency) : undefined) ?? at(hs6, '', currency),
    bands,
  };
}
