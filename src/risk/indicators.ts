/**
 * Indicators computed before rules and models run: each item's unit value against the price
 * reference, whether the trader declares an HS6 or an origin for the first time, and the trader's
 * history (declarations stored before this one, hit rate of their controls). One query for a
 * declaration; a handful for a batch, whose history then advances in memory in id order.
 */
import type { Sql } from '../db/database.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import type { Indicators } from './profiles/fields.ts';
import type { PriceReference } from './price-reference.ts';

const originOf = (d: DeclarationInput, i: number) => d.items[i]?.originCountry ?? d.originCountry ?? '';

/** Indicators of a declaration; its history is what was stored before id `self` (everything when left out). */
export async function computeIndicators(
  sql: Sql,
  prices: PriceReference,
  d: DeclarationInput,
  self = Number.MAX_SAFE_INTEGER,
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
       (SELECT count(*) FROM declarations x WHERE x.trader_id = $1 AND x.id < $2)::int8 AS declarations,
       (SELECT count(*) FROM control_results c JOIN declarations x ON x.id = c.declaration_id
         WHERE x.trader_id = $1 AND x.id < $2)::int8 AS controls,
       (SELECT count(*) FROM control_results c JOIN declarations x ON x.id = c.declaration_id
         WHERE x.trader_id = $1 AND x.id < $2 AND c.outcome = 'non_compliant')::int8 AS positives,
       (SELECT array_agg(DISTINCT substr(i.hs_code, 1, 6)) FROM declaration_items i JOIN declarations x ON x.id = i.declaration_id
         WHERE x.trader_id = $1 AND x.id < $2 AND substr(i.hs_code, 1, 6) = ANY($3::text[])) AS seen_hs,
       (SELECT array_agg(DISTINCT coalesce(i.origin_country, x.origin_country)) FROM declaration_items i JOIN declarations x ON x.id = i.declaration_id
         WHERE x.trader_id = $1 AND x.id < $2 AND coalesce(i.origin_country, x.origin_country) = ANY($4::text[])) AS seen_origins`,
    [d.trader, self, hs6, origins],
  );
  return indicatorsFrom(prices, d, {
    declarations: row?.declarations ?? 0,
    controls: row?.controls ?? 0,
    positives: row?.positives ?? 0,
    hs: new Set(row?.seen_hs ?? []),
    origins: new Set(row?.seen_origins ?? []),
  });
}

/** What a trader had declared, and how its controls went, before some point. */
interface History {
  declarations: number;
  controls: number;
  positives: number;
  hs: Set<string>;
  origins: Set<string>;
}

function indicatorsFrom(prices: PriceReference, d: DeclarationInput, h: History): Indicators {
  return {
    unitValueRatio: d.items.map((it, i) => {
      const reference = prices.lookup(it.hsCode.slice(0, 6), originOf(d, i) || undefined, d.currency);
      return reference && it.netMass && it.netMass > 0 ? it.value / it.netMass / reference.p50 : NaN;
    }),
    firstUseOfHs: d.items.map((it) => !h.hs.has(it.hsCode.slice(0, 6))),
    firstUseOfOrigin: d.items.map((_, i) => {
      const o = originOf(d, i);
      return o !== '' && !h.origins.has(o);
    }),
    traderDeclarations: h.declarations,
    traderHitRate: h.controls ? h.positives / h.controls : NaN,
  };
}

/**
 * Indicators of stored declarations, the same as `computeIndicators` gives one by one: the history
 * before the batch is read once per trader, then each declaration, in id order, adds itself and its
 * control results to its trader's history for the ones after it.
 */
export async function computeIndicatorsBatch(
  sql: Sql,
  prices: PriceReference,
  batch: readonly { id: number; input: DeclarationInput }[],
): Promise<Indicators[]> {
  if (batch.length === 0) return [];
  const ids = batch.map((b) => b.id);
  const first = Math.min(...ids);
  const traders = [...new Set(batch.map((b) => b.input.trader))];
  const [counts, controls, seenHs, seenOrigins, own] = await Promise.all([
    sql.query<{ trader: string; n: number }>(
      `SELECT trader_id AS trader, count(*)::int8 AS n FROM declarations
       WHERE trader_id = ANY($1::text[]) AND id < $2 GROUP BY trader_id`,
      [traders, first],
    ),
    sql.query<{ trader: string; n: number; positives: number }>(
      `SELECT x.trader_id AS trader, count(*)::int8 AS n, count(*) FILTER (WHERE c.outcome = 'non_compliant')::int8 AS positives
       FROM control_results c JOIN declarations x ON x.id = c.declaration_id
       WHERE x.trader_id = ANY($1::text[]) AND x.id < $2 GROUP BY x.trader_id`,
      [traders, first],
    ),
    sql.query<{ trader: string; value: string }>(
      `SELECT DISTINCT x.trader_id AS trader, substr(i.hs_code, 1, 6) AS value
       FROM declaration_items i JOIN declarations x ON x.id = i.declaration_id
       WHERE x.trader_id = ANY($1::text[]) AND x.id < $2`,
      [traders, first],
    ),
    sql.query<{ trader: string; value: string }>(
      `SELECT DISTINCT x.trader_id AS trader, coalesce(i.origin_country, x.origin_country) AS value
       FROM declaration_items i JOIN declarations x ON x.id = i.declaration_id
       WHERE x.trader_id = ANY($1::text[]) AND x.id < $2 AND coalesce(i.origin_country, x.origin_country) IS NOT NULL`,
      [traders, first],
    ),
    sql.query<{ id: number; n: number; positives: number }>(
      `SELECT declaration_id AS id, count(*)::int8 AS n, count(*) FILTER (WHERE outcome = 'non_compliant')::int8 AS positives
       FROM control_results WHERE declaration_id = ANY($1::int8[]) GROUP BY declaration_id`,
      [ids],
    ),
  ]);
  const histories = new Map<string, History>(
    traders.map((t) => [
      t,
      { declarations: 0, controls: 0, positives: 0, hs: new Set(), origins: new Set() },
    ]),
  );
  const historyOf = (trader: string) => histories.get(trader) as History;
  for (const r of counts) historyOf(r.trader).declarations = r.n;
  for (const r of controls) Object.assign(historyOf(r.trader), { controls: r.n, positives: r.positives });
  for (const r of seenHs) historyOf(r.trader).hs.add(r.value);
  for (const r of seenOrigins) historyOf(r.trader).origins.add(r.value);
  const ownControls = new Map(own.map((r) => [r.id, r]));

  const out: Indicators[] = new Array(batch.length);
  const order = batch.map((_, i) => i).sort((a, b) => (batch[a]?.id ?? 0) - (batch[b]?.id ?? 0));
  for (const i of order) {
    const { id, input } = batch[i] as (typeof batch)[number];
    const h = historyOf(input.trader);
    out[i] = indicatorsFrom(prices, input, h);
    h.declarations++;
    const c = ownControls.get(id);
    if (c) {
      h.controls += c.n;
      h.positives += c.positives;
    }
    input.items.forEach((it, k) => {
      h.hs.add(it.hsCode.slice(0, 6));
      const o = originOf(input, k);
      if (o !== '') h.origins.add(o);
    });
  }
  return out;
}
