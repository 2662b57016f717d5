/**
 * Each trader's goods per table and finest cell, from the accepted declarations of the release's
 * months in its currency (docs/open-data-methodology.md, "What is counted"), and the plain GROUP BY
 * of the same cells that the benchmark sets beside it.
 */
import type { Sql } from '../db/database.ts';
import type { Contribution, Flow } from './table.ts';

export interface ReleaseScope {
  /** First and last month, YYYY-MM. */
  from: string;
  to: string;
  currency: string;
}

const firstDay = (month: string) => `${month}-01`;
const dayAfter = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
};

/** `$1` first day, `$2` the day after the last month, `$3` currency. */
const source = `FROM declarations d JOIN declaration_items i ON i.declaration_id = d.id
  WHERE d.status <> 'cancelled' AND d.date >= $1::date AND d.date < $2::date AND d.currency = $3`;

const keys = `CASE d.type WHEN 'IM' THEN 'imports' ELSE 'exports' END AS flow,
  to_char(d.date, 'YYYY-MM') AS month, coalesce(d.procedure, '') AS procedure, left(i.hs_code, 6) AS hs6,
  coalesce(CASE d.type WHEN 'IM' THEN coalesce(i.origin_country, d.origin_country) ELSE d.destination_country END, 'ZZ') AS partner`;

/** hs6, partner, trader, value, net mass, supplementary, declarations */
type Entry = [string, string, string, number, number, number, number];

export async function readContributions(sql: Sql, scope: ReleaseScope): Promise<Contribution[]> {
  // per declaration first, then per trader: counting the declarations is then count(*), which a
  // hash aggregate does, where count(DISTINCT) sorts every item row. A table's contributions come
  // as one JSON array, as a million rows cost far more to pass and parse one by one than as text.
  const tables = await sql.query<{ flow: Flow; month: string; procedure: string; entries: string }>(
    `SELECT flow, month, procedure,
       json_agg(json_build_array(hs6, partner, trader, value, net_mass, supplementary, declarations))::text AS entries
     FROM (SELECT flow, month, procedure, hs6, partner, trader, sum(value)::int8 AS value,
         sum(net_mass)::int8 AS net_mass, sum(supplementary)::int8 AS supplementary, count(*) AS declarations
       FROM (SELECT ${keys}, d.trader_id AS trader, sum(round(i.value * 100)) AS value,
           sum(round(coalesce(i.net_mass, 0) * 1000)) AS net_mass,
           sum(round(coalesce(i.supplementary_quantity, 0) * 1000)) AS supplementary
         ${source}
         GROUP BY d.id, 1, 2, 3, 4, 5, 6) per_declaration
       GROUP BY 1, 2, 3, 4, 5, 6) per_trader
     GROUP BY 1, 2, 3`,
    [firstDay(scope.from), dayAfter(scope.to), scope.currency],
  );
  const contributions: Contribution[] = [];
  for (const { flow, month, procedure, entries } of tables) {
    for (const [hs6, partner, trader, value, netMass, supplementary, declarations] of JSON.parse(
      entries,
    ) as Entry[])
      contributions.push({
        flow,
        month,
        procedure,
        hs6,
        partner,
        trader,
        value,
        netMass,
        supplementary,
        declarations,
      });
  }
  return contributions;
}

/** The same cells by a plain GROUP BY (every level of the hierarchy, per partner and in total), no suppression. */
export async function plainAggregation(sql: Sql, scope: ReleaseScope): Promise<number> {
  const rows = await sql.query<{ cells: string }>(
    `SELECT count(*)::text AS cells FROM (
       SELECT flow, month, procedure, sum(value), sum(net_mass), count(DISTINCT id)
       FROM (SELECT ${keys}, i.value, i.net_mass, d.id ${source}) s
       GROUP BY GROUPING SETS (
         (flow, month, procedure), (flow, month, procedure, partner),
         (flow, month, procedure, left(hs6, 2)), (flow, month, procedure, left(hs6, 2), partner),
         (flow, month, procedure, left(hs6, 4)), (flow, month, procedure, left(hs6, 4), partner),
         (flow, month, procedure, hs6), (flow, month, procedure, hs6, partner))) cells`,
    [firstDay(scope.from), dayAfter(scope.to), scope.currency],
  );
  return Number(rows[0]?.cells ?? 0);
}
