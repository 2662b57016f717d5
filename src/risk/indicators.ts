/**
 * Indicators computed before rules and models run: each item's unit value against the price
 * reference, whether the trader declares an HS6 or an origin for the first time, and the trader's
 * history (declarations stored before this one, hit rate of its controls). Assessment keeps what it
 * learns of each trader in `trader_history` and `trader_goods` (see `recordHistory`), so one
 * declaration needs one indexed query; a batch needs six, and its history then advances in memory
 * in id order.
 */
import type { PreparedStatement, Sql } from '../db/database.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import type { DocumentIndicators, Indicators } from './profiles/fields.ts';
import type { PriceReference } from './price-reference.ts';

/** The origin of item `i`: its own, or the declaration's. */
export const originOf = (d: DeclarationInput, i: number) =>
  d.items[i]?.originCountry ?? d.originCountry ?? '';

/**
 * The discrepancies the reviews of read documents `x` found, one row `e` each (documents/reader.ts
 * stores a review as { checks, discrepancies }); the caller says which documents.
 */
export const discrepancyRows = `declaration_documents x
       CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(x.review->'discrepancies') = 'array'
         THEN x.review->'discrepancies' ELSE '[]'::jsonb END) AS e`;

/** What the codes of a declaration's discrepancies give its indicators; none without any. */
function documentIndicators(codes: readonly string[] | null): DocumentIndicators | undefined {
  if (!codes || codes.length === 0) return undefined;
  return { discrepancies: codes.length, codes: [...new Set(codes)] };
}

/** The trader's history before a declaration, in one row: parameters trader, `self`, HS6 codes, origins. */
const historyColumns = `h.controls, h.positives,
       (SELECT array_agg(g.value) FROM trader_goods g WHERE g.trader_id = $1 AND g.kind = 'hs6'
          AND g.value = ANY($3::text[]) AND g.first_declaration_id < $2) AS seen_hs,
       (SELECT array_agg(g.value) FROM trader_goods g WHERE g.trader_id = $1 AND g.kind = 'origin'
          AND g.value = ANY($4::text[]) AND g.first_declaration_id < $2) AS seen_origins,
       (SELECT count(*) FROM agency_findings f WHERE f.declaration_id = $2)::int8 AS agency_findings,
       (SELECT count(*) FROM agency_findings f WHERE f.trader_id = $1 AND f.declaration_id < $2
          AND f.created_at > now() - interval '365 days')::int8 AS trader_agency_findings,
       (SELECT array_agg(e.value->>'code') FROM ${discrepancyRows} WHERE x.declaration_id = $2) AS document_codes
     FROM (SELECT 1) AS one LEFT JOIN trader_history h ON h.trader_id = $1`;

/** Earlier declarations counted among those stored before id `self`: grows with the trader's history. */
const countedBefore = `SELECT
       (SELECT count(*) FROM declarations x WHERE x.trader_id = $1 AND x.id < $2)::int8 AS declarations,
       ${historyColumns}`;

/** Earlier declarations of a declaration just stored: the trader's count, one row (trader-counts.ts). */
const historyOfNewest: PreparedStatement = {
  name: 'indicators_newest',
  text: `SELECT coalesce(h.declarations, 0) AS declarations, ${historyColumns}`,
};

/**
 * Indicators of a declaration. Its history is what was stored before id `self` (everything when left
 * out): the declarations counted in `declarations`, the first uses in `trader_goods`; the control
 * record is the trader's as assessment has seen it so far (`trader_history`). With `newest`, `self`
 * was just stored in the caller's transaction and is not counted yet (its assessment counts it), so
 * every declaration the trader has stored is before it, and their count is read, not counted.
 */
export async function computeIndicators(
  sql: Sql,
  prices: PriceReference,
  d: DeclarationInput,
  self = Number.MAX_SAFE_INTEGER,
  { newest = false } = {},
): Promise<Indicators> {
  const hs6 = d.items.map((it) => it.hsCode.slice(0, 6));
  const origins = d.items.map((_, i) => originOf(d, i)).filter((o) => o !== '');
  const [row] = await sql.query<{
    declarations: number;
    controls: number | null;
    positives: number | null;
    seen_hs: string[] | null;
    seen_origins: string[] | null;
    agency_findings: number;
    trader_agency_findings: number;
    document_codes: string[] | null;
  }>(newest ? historyOfNewest : countedBefore, [d.trader, self, hs6, origins]);
  const x = indicatorsFrom(
    prices,
    d,
    {
      declarations: row?.declarations ?? 0,
      controls: row?.controls ?? 0,
      positives: row?.positives ?? 0,
      hs: new Set(row?.seen_hs ?? []),
      origins: new Set(row?.seen_origins ?? []),
    },
    { own: row?.agency_findings ?? 0, trader: row?.trader_agency_findings ?? 0 },
  );
  const documents = documentIndicators(row?.document_codes ?? null);
  if (documents) x.documents = documents;
  return x;
}

/** The HS6 codes and origins a list of declarations declares, each with its earliest declaration. */
export function goodsOf(list: readonly { id: number; input: DeclarationInput }[]) {
  const goods = new Map<string, { trader: string; kind: string; value: string; id: number }>();
  const add = (trader: string, kind: string, value: string, id: number) => {
    const key = `${trader}\u0000${kind}\u0000${value}`;
    const seen = goods.get(key);
    if (!seen || id < seen.id) goods.set(key, { trader, kind, value, id });
  };
  for (const { id, input } of list) {
    input.items.forEach((it, i) => {
      add(input.trader, 'hs6', it.hsCode.slice(0, 6), id);
      const o = originOf(input, i);
      if (o !== '') add(input.trader, 'origin', o, id);
    });
  }
  const g = [...goods.values()];
  return {
    traders: g.map((x) => x.trader),
    kinds: g.map((x) => x.kind),
    values: g.map((x) => x.value),
    ids: g.map((x) => x.id),
  };
}

/**
 * Upserts `goodsOf` rows into trader_goods, keeping the earliest declaration (parameters $1-$4), in
 * key order, so that two transactions upserting the same rows cannot deadlock (the order of every
 * write path: capacity.ts).
 */
export const upsertGoods = `INSERT INTO trader_goods AS t (trader_id, kind, value, first_declaration_id)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[]) AS g(trader_id, kind, value, first_declaration_id)
  ORDER BY g.trader_id COLLATE "C", g.kind COLLATE "C", g.value COLLATE "C"
  ON CONFLICT (trader_id, kind, value) DO UPDATE SET first_declaration_id = EXCLUDED.first_declaration_id
  WHERE EXCLUDED.first_declaration_id < t.first_declaration_id`;

/**
 * Adds assessed declarations to their traders' history: the HS6 codes and origins they declare
 * (keeping the earliest declaration of each), and the control results they already have.
 */
export async function recordHistory(
  tx: Sql,
  list: readonly { id: number; input: DeclarationInput; controls: number; positives: number }[],
): Promise<void> {
  const g = goodsOf(list);
  if (g.ids.length > 0) await tx.query(upsertGoods, [g.traders, g.kinds, g.values, g.ids]);
  const controls = new Map<string, { controls: number; positives: number }>();
  for (const { input, controls: n, positives } of list) {
    if (n === 0) continue;
    const c = controls.get(input.trader) ?? { controls: 0, positives: 0 };
    c.controls += n;
    c.positives += positives;
    controls.set(input.trader, c);
  }
  const c = [...controls.entries()];
  if (c.length > 0) {
    await tx.query(
      `INSERT INTO trader_history AS h (trader_id, controls, positives)
       SELECT * FROM unnest($1::text[], $2::int4[], $3::int4[]) AS c(trader_id, controls, positives)
       ORDER BY c.trader_id COLLATE "C"
       ON CONFLICT (trader_id) DO UPDATE SET controls = h.controls + EXCLUDED.controls, positives = h.positives + EXCLUDED.positives`,
      [c.map(([t]) => t), c.map(([, v]) => v.controls), c.map(([, v]) => v.positives)],
    );
  }
}

/** What a trader had declared, and how its controls went, before some point. */
interface History {
  declarations: number;
  controls: number;
  positives: number;
  hs: Set<string>;
  origins: Set<string>;
}

/** Partner agencies' findings: on the declaration itself, and on its trader's earlier ones in the last 365 days. */
interface AgencyFindingCounts {
  own: number;
  trader: number;
}

function indicatorsFrom(
  prices: PriceReference,
  d: DeclarationInput,
  h: History,
  findings: AgencyFindingCounts,
): Indicators {
  const references = d.items.map((it, i) =>
    prices.lookup(it.hsCode.slice(0, 6), originOf(d, i) || undefined, d.currency),
  );
  return {
    unitValueRatio: d.items.map((it, i) => {
      const reference = references[i];
      return reference && it.netMass && it.netMass > 0 ? it.value / it.netMass / reference.p50 : NaN;
    }),
    unitValueBand: references.map(
      (r) => r && { low: r.low, high: r.high, setByAnalyst: r.setByAnalyst, level: r.level },
    ),
    firstUseOfHs: d.items.map((it) => !h.hs.has(it.hsCode.slice(0, 6))),
    firstUseOfOrigin: d.items.map((_, i) => {
      const o = originOf(d, i);
      return o !== '' && !h.origins.has(o);
    }),
    traderDeclarations: h.declarations,
    traderHitRate: h.controls ? h.positives / h.controls : NaN,
    agencyFindings: findings.own,
    traderAgencyFindings: findings.trader,
  };
}

/**
 * Indicators of stored declarations, the same as `computeIndicators` gives one by one: the history
 * before the batch is read once per trader, then each declaration, in id order, adds itself and its
 * control results to its trader's history for the ones after it. `own` gives the control results
 * of the batch's declarations when the caller has read them already (`ownControls`).
 */
export async function computeIndicatorsBatch(
  sql: Sql,
  prices: PriceReference,
  batch: readonly { id: number; input: DeclarationInput }[],
  own?: ReadonlyMap<number, { controls: number; positives: number }>,
): Promise<Indicators[]> {
  if (batch.length === 0) return [];
  const ids = batch.map((b) => b.id);
  const first = Math.min(...ids);
  const traders = [...new Set(batch.map((b) => b.input.trader))];
  // one statement after another: a transaction's connection runs one at a time
  const counts = await sql.query<{ trader: string; n: number }>(
    `SELECT trader_id AS trader, count(*)::int8 AS n FROM declarations
     WHERE trader_id = ANY($1::text[]) AND id < $2 GROUP BY trader_id`,
    [traders, first],
  );
  const controls = await sql.query<{ trader: string; n: number; positives: number }>(
    `SELECT trader_id AS trader, controls AS n, positives FROM trader_history WHERE trader_id = ANY($1::text[])`,
    [traders],
  );
  const seen = await sql.query<{ trader: string; kind: string; value: string }>(
    `SELECT trader_id AS trader, kind, value FROM trader_goods
     WHERE trader_id = ANY($1::text[]) AND first_declaration_id < $2`,
    [traders, first],
  );
  const findings = await agencyFindingsOf(sql, traders, Math.max(...ids));
  const documents = await sql.query<{ id: number; codes: string[] | null }>(
    `SELECT x.declaration_id::int8 AS id, array_agg(e.value->>'code') AS codes
     FROM ${discrepancyRows} WHERE x.declaration_id = ANY($1::int8[]) GROUP BY x.declaration_id`,
    [ids],
  );
  const documentsOf = new Map(documents.map((r) => [r.id, documentIndicators(r.codes)]));
  const controlsOf = own ?? (await ownControls(sql, ids));
  const histories = new Map<string, History>(
    traders.map((t) => [
      t,
      { declarations: 0, controls: 0, positives: 0, hs: new Set(), origins: new Set() },
    ]),
  );
  const historyOf = (trader: string) => histories.get(trader) as History;
  for (const r of counts) historyOf(r.trader).declarations = r.n;
  for (const r of controls) Object.assign(historyOf(r.trader), { controls: r.n, positives: r.positives });
  for (const r of seen) historyOf(r.trader)[r.kind === 'hs6' ? 'hs' : 'origins'].add(r.value);

  const out: Indicators[] = new Array(batch.length);
  const order = batch.map((_, i) => i).sort((a, b) => (batch[a]?.id ?? 0) - (batch[b]?.id ?? 0));
  for (const i of order) {
    const { id, input } = batch[i] as (typeof batch)[number];
    const h = historyOf(input.trader);
    const x = indicatorsFrom(prices, input, h, findings.countsFor(id, input.trader));
    const found = documentsOf.get(id);
    if (found) x.documents = found;
    out[i] = x;
    h.declarations++;
    const c = controlsOf.get(id);
    if (c) {
      h.controls += c.controls;
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

/** The control results each declaration already has (historical ones come with an import). */
export async function ownControls(
  sql: Sql,
  ids: readonly number[],
): Promise<Map<number, { controls: number; positives: number }>> {
  const rows = await sql.query<{ id: number; controls: number; positives: number }>(
    `SELECT declaration_id AS id, count(*)::int8 AS controls, count(*) FILTER (WHERE outcome = 'non_compliant')::int8 AS positives
     FROM control_results WHERE declaration_id = ANY($1::int8[]) AND superseded_at IS NULL GROUP BY declaration_id`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * The agency findings a batch's indicators count, in one statement: per declaration of the batch's
 * traders up to `last`, its findings of the last 365 days (`counted`) and all of them (`all`).
 * `countsFor` gives a declaration its own findings and its trader's on declarations before it.
 */
async function agencyFindingsOf(sql: Sql, traders: readonly string[], last: number) {
  const rows = await sql.query<{ trader: string; id: number; counted: number; all: number }>(
    `SELECT trader_id AS trader, declaration_id AS id,
       count(*) FILTER (WHERE created_at > now() - interval '365 days')::int8 AS counted, count(*)::int8 AS "all"
     FROM agency_findings WHERE trader_id = ANY($1::text[]) AND declaration_id <= $2
     GROUP BY trader_id, declaration_id`,
    [traders, last],
  );
  return {
    countsFor(id: number, trader: string): AgencyFindingCounts {
      let before = 0;
      let own = 0;
      for (const r of rows) {
        if (r.trader !== trader) continue;
        if (r.id === id) own = r.all;
        else if (r.id < id) before += r.counted;
      }
      return { own, trader: before };
    },
  };
}
