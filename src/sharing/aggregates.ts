/**
 * What an aggregated agreement shares instead of declarations: per month, HS chapter and currency,
 * how many covered declarations, their customs value and net mass. A cell with fewer than three
 * traders is suppressed (its figures withheld), so no trader's own figures can be read off it. Items
 * outside the agreement's HS prefixes are not counted. The read is recorded in the ledger first.
 *
 * Only whole months that have ended are given: a day named in `from` or `to` stands for its month,
 * and the month of `today` is left out. Otherwise two reads a day apart, or of windows a day apart,
 * would give one day's goods by subtraction, often a single trader's, from two published cells.
 */
import type { Database } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import { coveredCondition, windowWithin } from './coverage.ts';
import type { SharingAgreement } from './in-force.ts';

/** The fewest traders a published cell may hold. */
export const minTradersPerCell = 3;

export interface AggregateCell {
  /** YYYY-MM */
  month: string;
  /** The HS chapter, two digits. */
  chapter: string;
  currency: string;
  /** Null when suppressed. */
  declarations: number | null;
  value: number | null;
  netMass: number | null;
  suppressed: boolean;
}

interface CellRow {
  month: string;
  chapter: string;
  currency: string;
  declarations: number;
  value: number;
  net_mass: number | null;
  traders: number;
}

/** The last day of the month before the month of `day` (YYYY-MM-DD). */
function endOfMonthBefore(day: string): string {
  return new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, 0))
    .toISOString()
    .slice(0, 10);
}

/** The last day of the month of `day` (YYYY-MM-DD). */
const endOfMonth = (day: string): string =>
  new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)), 0)).toISOString().slice(0, 10);

/**
 * The days an aggregates read covers: the whole months of `from` and `to`, ended before the month of
 * `today`, within the agreement's validity; null when none.
 */
export function aggregatesWindow(
  a: SharingAgreement,
  r: { from?: string; to?: string; today: string },
): { from: string; to: string } | null {
  const closed = endOfMonthBefore(r.today);
  const to = r.to !== undefined && endOfMonth(r.to) < closed ? endOfMonth(r.to) : closed;
  return windowWithin(a, r.from === undefined ? undefined : `${r.from.slice(0, 7)}-01`, to);
}

export async function readAggregates(
  db: Database,
  a: SharingAgreement,
  r: { from?: string; to?: string; today: string; actor: string },
): Promise<AggregateCell[]> {
  const window = aggregatesWindow(a, r);
  return db.transaction(async (tx) => {
    let rows: CellRow[] = [];
    if (window !== null) {
      const params: unknown[] = [];
      const covered = coveredCondition(a, window, params);
      params.push(a.hsPrefixes);
      const prefixes = `$${params.length}::text[]`;
      rows = await tx.query<CellRow>(
        `SELECT to_char(d.date, 'YYYY-MM') AS month, left(i.hs_code, 2) AS chapter, d.currency,
                count(DISTINCT d.id)::int AS declarations, sum(i.value)::float8 AS value,
                sum(i.net_mass)::float8 AS net_mass, count(DISTINCT d.trader_id)::int AS traders
         FROM declarations d JOIN declaration_items i ON i.declaration_id = d.id
         WHERE ${covered}
           AND (cardinality(${prefixes}) = 0
                OR EXISTS (SELECT 1 FROM unnest(${prefixes}) AS hs(prefix) WHERE left(i.hs_code, length(hs.prefix)) = hs.prefix))
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        params,
      );
    }
    const cells = rows.map((row): AggregateCell => {
      const suppressed = row.traders < minTradersPerCell;
      return {
        month: row.month,
        chapter: row.chapter,
        currency: row.currency,
        declarations: suppressed ? null : row.declarations,
        value: suppressed ? null : row.value,
        netMass: suppressed ? null : row.net_mass,
        suppressed,
      };
    });
    await recordChange(tx, {
      actor: r.actor,
      action: 'sharing.aggregates_read',
      subjectKind: SubjectKind.SharingDelivery,
      subjectId: null,
      data: {
        agreement: a.id,
        agency: a.agency,
        from: window?.from ?? null,
        to: window?.to ?? null,
        cells: cells.length,
        suppressed: cells.filter((c) => c.suppressed).length,
      },
    });
    return cells;
  });
}
