/**
 * Indicators computed before rules and models run: each item's unit value against the price
 * reference, whether the trader declares an HS6 or an origin for the first time, and the trader's
 * history (declarations before this one, hit rate of its controls). One query per declaration.
 */
import type { Sql } from '../db/database.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import type { Indicators } from './profiles/fields.ts';
import type { PriceReference } from './price-reference.ts';

const originOf = (d: DeclarationInput, i: number) => d.items[i]?.originCountry ?? d.originCountry ?? '';

/** Indicators of a declaration; `self` is its stored id, left out of its own history. */
export async function computeIndicators(
  sql: Sql,
  prices: PriceReference,
  d: DeclarationInput,
  self?: number,
): Promise<Indicators> {
  const hs6 = d.items.map((it) => it.hsCode.slice(0, 6));
  const origins = d.items.map((_, i) => originOf(d, i));
  const [row] = await sql.query<{
    declarations: number;
    controls: number;
    positives: number;
    seen_hs: string[] | null;
    seen_origins: string[] | null;
  }>(
    `SELECT
       (SELECT count(*) FROM declarations x WHERE x.trader_id = $1 AND x.id <> $2)::int8 AS declarations,
       (SELECT count(*) FROM control_results c JOIN declarations x ON x.id = c.declaration_id
         WHERE x.trader_id = $1 AND x.id <> $2)::int8 AS controls,
       (SELECT count(*) FROM control_results c JOIN declarations x ON x.id = c.declaration_id
         WHERE x.trader_id = $1 AND x.id <> $2 AND c.outcome = 'non_compliant')::int8 AS positives,
       (SELECT array_agg(DISTINCT substr(i.hs_code, 1, 6)) FROM declaration_items i JOIN declarations x ON x.id = i.declaration_id
         WHERE x.trader_id = $1 AND x.id <> $2 AND substr(i.hs_code, 1, 6) = ANY($3::text[])) AS seen_hs,
       (SELECT array_agg(DISTINCT coalesce(i.origin_country, x.origin_country)) FROM declaration_items i JOIN declarations x ON x.id = i.declaration_id
         WHERE x.trader_id = $1 AND x.id <> $2 AND coalesce(i.origin_country, x.origin_country) = ANY($4::text[])) AS seen_origins`,
    [d.trader, self ?? 0, hs6, origins],
  );
  const seenHs = new Set(row?.seen_hs ?? []);
  const seenOrigins = new Set(row?.seen_origins ?? []);
  const controls = row?.controls ?? 0;
  return {
    unitValueRatio: d.items.map((it, i) => {
      const reference = prices.lookup(hs6[i] ?? '', origins[i] || undefined, d.currency);
      return reference && it.netMass && it.netMass > 0 ? it.value / it.netMass / reference.p50 : NaN;
    }),
    firstUseOfHs: hs6.map((h) => !seenHs.has(h)),
    firstUseOfOrigin: origins.map((o) => o !== '' && !seenOrigins.has(o)),
    traderDeclarations: row?.declarations ?? 0,
    traderHitRate: controls ? (row?.positives ?? 0) / controls : NaN,
  };
}
