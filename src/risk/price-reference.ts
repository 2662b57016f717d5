/**
 * The price reference (value control, as in ASYCUDA's valuation database): unit-value statistics
 * per HS6 and origin, falling back to HS6 alone, recomputed from accepted declarations on demand,
 * with bounds risk analysts may set by hand. It also serves the plausibility layer of validation.
 */
import type { Database, Sql } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange, withinTransaction } from '../governance/ledger/record.ts';
import type { KeyedBand, UnitValueBand, UnitValueStats } from '../declarations/unit-values.ts';

/** Observations needed before statistics are kept. */
export const minObservations = 10;
/** Observations needed before validation warns about a unit value (fewer give noisy warnings). */
const plausibilityObservations = 30;
/** Half-width of the plausible band, in robust standard deviations of ln(unit value). */
const bandWidth = 4;

export interface PriceEntry {
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
  override?: { min: number | null; max: number | null; reason: string; setBy: string };
}

/**
 * The band outside which a unit value is an anomaly, as the API publishes it and as assessment and
 * validation judge unit values: each bound is the analyst's where one is set, else the median ± 4
 * robust standard deviations of ln(unit value).
 */
export interface PriceBand {
  low: number;
  high: number;
  /** Which bounds an analyst set (the others come from the statistics). */
  setByAnalyst: { low: boolean; high: boolean };
  /** Which statistics answered: those of the origin, or of the HS6 over every origin. */
  level: 'origin' | 'hs6';
}

export interface PriceLookup extends PriceEntry, PriceBand {}

/** Recomputes every statistic from the accepted declarations, in one transaction. */
export async function recomputePriceReference(db: Database, actor = 'system'): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('DELETE FROM price_reference');
    await tx.query(
      `WITH uv AS (
         SELECT substr(i.hs_code, 1, 6) AS hs6, coalesce(i.origin_country, d.origin_country, '') AS origin, d.currency,
                i.value / i.net_mass AS v
         FROM declaration_items i JOIN declarations d ON d.id = i.declaration_id
         WHERE i.net_mass > 0 AND i.value > 0 AND d.status <> 'cancelled'),
       levels AS (
         SELECT hs6, origin, currency, v FROM uv WHERE origin <> ''
         UNION ALL SELECT hs6, '', currency, v FROM uv),
       stats AS (
         SELECT hs6, origin, currency, count(*) AS n,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY ln(v)) AS log_median,
                percentile_cont(ARRAY[0.05, 0.25, 0.5, 0.75, 0.95]) WITHIN GROUP (ORDER BY v) AS p
         FROM levels GROUP BY hs6, origin, currency HAVING count(*) >= $1),
       spread AS (
         SELECT l.hs6, l.origin, l.currency,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(ln(l.v) - s.log_median)) AS log_mad
         FROM levels l JOIN stats s USING (hs6, origin, currency) GROUP BY l.hs6, l.origin, l.currency)
       INSERT INTO price_reference (hs6, origin, currency, n, log_median, log_mad, p05, p25, p50, p75, p95)
       SELECT s.hs6, s.origin, s.currency, s.n, s.log_median, d.log_mad, s.p[1], s.p[2], s.p[3], s.p[4], s.p[5]
       FROM stats s JOIN spread d USING (hs6, origin, currency)`,
      [minObservations],
    );
    const [row] = await tx.query<{ n: number }>('SELECT count(*)::int8 AS n FROM price_reference');
    const entries = row?.n ?? 0;
    await recordChange(tx, {
      actor,
      action: 'prices.recomputed',
      subjectKind: SubjectKind.PriceReference,
      subjectId: null,
      data: { entries },
    });
    return entries;
  });
}

export async function setPriceOverride(
  sql: Sql | Database,
  o: {
    hs6: string;
    origin: string;
    currency: string;
    min: number | null;
    max: number | null;
    reason: string;
    setBy: string;
  },
): Promise<void> {
  await withinTransaction(sql, async (tx) => {
    await tx.query(
      `INSERT INTO price_overrides (hs6, origin, currency, min_unit_value, max_unit_value, reason, set_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (hs6, origin, currency) DO UPDATE SET min_unit_value = excluded.min_unit_value,
       max_unit_value = excluded.max_unit_value, reason = excluded.reason, set_by = excluded.set_by, set_at = now()`,
      [o.hs6, o.origin, o.currency, o.min, o.max, o.reason, o.setBy],
    );
    const { setBy, hs6, origin, currency, ...bounds } = o;
    await recordChange(tx, {
      actor: setBy,
      action: 'prices.override_set',
      subjectKind: SubjectKind.PriceReference,
      subjectId: `${hs6}/${origin}/${currency}`,
      data: bounds,
    });
  });
}

export async function removePriceOverride(
  sql: Sql | Database,
  hs6: string,
  origin: string,
  currency: string,
  actor = 'system',
): Promise<boolean> {
  return withinTransaction(sql, async (tx) => {
    const rows = await tx.query(
      'DELETE FROM price_overrides WHERE hs6 = $1 AND origin = $2 AND currency = $3 RETURNING hs6',
      [hs6, origin, currency],
    );
    if (rows.length === 0) return false;
    await recordChange(tx, {
      actor,
      action: 'prices.override_removed',
      subjectKind: SubjectKind.PriceReference,
      subjectId: `${hs6}/${origin}/${currency}`,
      data: null,
    });
    return true;
  });
}

/** Browses the statistics by HS prefix, with their overrides, ordered by HS6 and origin. */
/** A position in the (HS6, origin, currency) order, for keyset pages. */
export type PriceCursor = [hs6: string, origin: string, currency: string];

export async function listPrices(
  sql: Sql,
  filter: { hsPrefix?: string; currency?: string; limit: number; after?: PriceCursor },
): Promise<PriceEntry[]> {
  const rows = await sql.query<
    PriceEntry & { o_min: number | null; o_max: number | null; o_reason: string | null; o_by: string | null }
  >(
    `SELECT p.hs6, p.origin, p.currency, p.n, p.log_median AS "logMedian", p.log_mad AS "logMad", p.p05, p.p25, p.p50, p.p75, p.p95,
            o.min_unit_value AS o_min, o.max_unit_value AS o_max, o.reason AS o_reason, o.set_by AS o_by
     FROM price_reference p LEFT JOIN price_overrides o USING (hs6, origin, currency)
     WHERE ($1::text IS NULL OR p.hs6 LIKE $1 || '%') AND ($2::text IS NULL OR p.currency = $2)
       AND ($3::text IS NULL OR (p.hs6, p.origin, p.currency) > ($3::text, $4::text, $5::text))
     ORDER BY p.hs6, p.origin, p.currency LIMIT $6`,
    [
      filter.hsPrefix ?? null,
      filter.currency ?? null,
      filter.after?.[0] ?? null,
      filter.after?.[1] ?? null,
      filter.after?.[2] ?? null,
      filter.limit,
    ],
  );
  return rows.map(({ o_min, o_max, o_reason, o_by, ...entry }) =>
    o_reason === null
      ? entry
      : { ...entry, override: { min: o_min, max: o_max, reason: o_reason, setBy: o_by ?? '' } },
  );
}

type Bounds = NonNullable<PriceEntry['override']>;

const keyOf = (hs6: string, origin: string, currency: string) => `${hs6}|${origin}|${currency}`;

/** An in-memory snapshot for fast look-ups during validation and assessment. */
export class PriceReference implements UnitValueStats {
  private constructor(
    private readonly entries: Map<string, PriceEntry>,
    /** Analysts' bounds for an origin without statistics of its own, by HS6, origin and currency. */
    private readonly originBounds: Map<string, Bounds>,
  ) {}

  static async load(sql: Sql): Promise<PriceReference> {
    const all = await listPrices(sql, { limit: 10_000_000 });
    const bounds = await sql.query<Bounds & { hs6: string; origin: string; currency: string }>(
      `SELECT o.hs6, o.origin, o.currency, o.min_unit_value AS min, o.max_unit_value AS max, o.reason,
              o.set_by AS "setBy"
       FROM price_overrides o
       WHERE o.origin <> '' AND NOT EXISTS (SELECT 1 FROM price_reference p
         WHERE p.hs6 = o.hs6 AND p.origin = o.origin AND p.currency = o.currency)`,
    );
    return new PriceReference(
      new Map(all.map((e) => [keyOf(e.hs6, e.origin, e.currency), e])),
      new Map(bounds.map(({ hs6, origin, currency, ...b }) => [keyOf(hs6, origin, currency), b])),
    );
  }

  /** The statistics of the HS6 over every origin, under the analyst's bounds for `origin` where set. */
  private general(hs6: string, origin: string | undefined, currency: string): PriceEntry | undefined {
    const entry = this.entries.get(keyOf(hs6, '', currency));
    const bounds = origin ? this.originBounds.get(keyOf(hs6, origin, currency)) : undefined;
    return entry && bounds ? { ...entry, override: bounds } : entry;
  }

  /**
   * The reference and band for an HS6, origin and currency, falling back to the HS6 over every
   * origin (bounded by the analyst's bounds for the origin, where set).
   */
  lookup(hs6: string, origin: string | undefined, currency: string): PriceLookup | undefined {
    const specific = origin ? this.entries.get(keyOf(hs6, origin, currency)) : undefined;
    const entry = specific ?? this.general(hs6, origin, currency);
    if (!entry) return undefined;
    return { ...entry, ...bandOf(entry), level: specific ? 'origin' : 'hs6' };
  }

  /**
   * The band validation's plausibility layer warns outside: the published band of the origin,
   * else of the HS6 over every origin, once well observed or bounded by an analyst.
   */
  band(hs6: string, origin: string | undefined, currency: string): UnitValueBand | undefined {
    const specific = origin ? this.entries.get(keyOf(hs6, origin, currency)) : undefined;
    const candidates = [specific, this.general(hs6, origin, currency)];
    const entry = candidates.find((e) => e !== undefined && plausibilityBand(e));
    if (!entry) return undefined;
    const { low, high } = bandOf(entry);
    return { count: entry.n, median: entry.p50, low, high };
  }

  /** Every band `band` can give, keyed so that `unitValueStatsFrom` gives the same. */
  get bands(): KeyedBand[] {
    const keyed = (e: PriceEntry, origin: string): KeyedBand => {
      const { low, high } = bandOf(e);
      return { hs6: e.hs6, origin, currency: e.currency, count: e.n, median: e.p50, low, high };
    };
    const bands: KeyedBand[] = [];
    for (const e of this.entries.values()) if (plausibilityBand(e)) bands.push(keyed(e, e.origin));
    for (const key of this.originBounds.keys()) {
      const [hs6 = '', origin = '', currency = ''] = key.split('|');
      const bounded = this.general(hs6, origin, currency);
      if (bounded && plausibilityBand(bounded)) bands.push(keyed(bounded, origin));
    }
    return bands;
  }
}

/** Whether an entry is observed well enough (or bounded by an analyst) for validation to warn against it. */
const plausibilityBand = (e: PriceEntry) =>
  e.n >= plausibilityObservations ||
  (e.override !== undefined && (e.override.min ?? e.override.max) !== null);

/** The published band of an entry: the analyst's bounds first, else median ± 4 robust SD of ln(unit value). */
function bandOf(entry: PriceEntry): Omit<PriceBand, 'level'> {
  const sigma = Math.max(1.4826 * entry.logMad, 0.25);
  const min = entry.override?.min ?? null;
  const max = entry.override?.max ?? null;
  return {
    low: min ?? Math.exp(entry.logMedian - bandWidth * sigma),
    high: max ?? Math.exp(entry.logMedian + bandWidth * sigma),
    setByAnalyst: { low: min !== null, high: max !== null },
  };
}
