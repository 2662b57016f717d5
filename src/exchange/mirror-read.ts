/**
 * Reading mirror analysis: a declaration's matches with the partner's export record as received and
 * the gaps found (GET /api/declarations/:id/mirror), and the statistics per partner, principal HS
 * chapter of the export and export month (GET /api/exchange/mirror-statistics, the CLI).
 */
import type { Sql } from '../db/database.ts';
import { csvLine } from '../shared/csv-cell.ts';
import { earliestDay, latestDay } from '../shared/day.ts';
import { exportRecord, type ExportRecord } from './export-record.ts';
import type { MatchedBy } from './matching.ts';
import { itemRows, type Gap, type ItemRow } from './mirror.ts';

export interface MirrorMatch {
  partner: string;
  messageId: string;
  matchedBy: MatchedBy;
  matchedAt: string;
  export: ExportRecord;
  gaps: Gap[];
  /** The import's items beside the export's (by number), as mirror analysis pairs them. */
  pairs: ItemRow[];
}

/** The matches of a declaration, oldest first. */
export async function mirrorOf(sql: Sql, declarationId: number): Promise<MirrorMatch[]> {
  const rows = await sql.query<{
    sender: string;
    message_id: string;
    matched_by: MatchedBy;
    matched_at: Date | string;
    gaps: Gap[];
    payload: Buffer;
    payload_sha256: string;
  }>(
    `SELECT m.sender, m.message_id::text AS message_id, m.matched_by, m.matched_at, m.gaps, i.payload,
            i.payload_sha256
     FROM exchange_matches m JOIN exchange_inbox i ON i.sender = m.sender AND i.id = m.message_id
     WHERE m.declaration_id = $1 ORDER BY m.matched_at, m.sender, m.message_id`,
    [declarationId],
  );
  if (rows.length === 0) return [];
  const items = await sql.query<{ sequence: number; hsCode: string }>(
    'SELECT sequence, hs_code AS "hsCode" FROM declaration_items WHERE declaration_id = $1 ORDER BY sequence',
    [declarationId],
  );
  return rows.map((r) => {
    const record = exportRecord(r.payload, r.payload_sha256);
    return {
      partner: r.sender,
      messageId: r.message_id,
      matchedBy: r.matched_by,
      matchedAt: new Date(r.matched_at).toISOString(),
      export: record,
      gaps: r.gaps,
      // numbered as matching numbers them (matching.ts exportSide)
      pairs: itemRows(
        items,
        record.items.map((it, i) => ({ sequence: i + 1, hsCode: it.hsCode })),
      ),
    };
  });
}

export interface StatisticsQuery {
  /** First and last export month, YYYY-MM. */
  from: string;
  to: string;
  partner?: string;
  chapter?: string;
}

export interface StatisticsRow {
  partner: string;
  chapter: string;
  month: string;
  matched: number;
  unmatched: number;
  beyond: number;
  exportValue: number;
  importValue: number;
  valueGap: number;
  currency: string;
}

/**
 * Received exports per partner, principal HS chapter and export month (and currency: values are
 * summed only within one): matched, unmatched, matched with a finding, and the export and import
 * values over the matched pairs comparable in value, summed exactly (as numeric) and rounded to cents
 * (a sum of float8 values would show 4900.650000000009). Messages without a readable date or chapter are
 * left out (they match nothing by parties either).
 */
export async function mirrorStatistics(sql: Sql, q: StatisticsQuery): Promise<StatisticsRow[]> {
  const rows = await sql.query<{
    partner: string;
    chapter: string;
    month: string;
    matched: string | number;
    unmatched: string | number;
    beyond: string | number;
    export_value: number | null;
    import_value: number | null;
    value_gap: number | null;
    currency: string;
  }>(
    `SELECT i.sender AS partner, i.hs_chapter AS chapter, to_char(i.export_date, 'YYYY-MM') AS month,
       count(m.message_id) AS matched, count(*) FILTER (WHERE m.message_id IS NULL) AS unmatched,
       count(*) FILTER (WHERE m.beyond) AS beyond,
       round(sum(m.export_value::numeric) FILTER (WHERE m.comparable), 2)::float8 AS export_value,
       round(sum(m.import_value::numeric) FILTER (WHERE m.comparable), 2)::float8 AS import_value,
       round(sum(m.import_value::numeric - m.export_value::numeric) FILTER (WHERE m.comparable), 2)::float8
         AS value_gap,
       coalesce(i.currency, '') AS currency
     FROM exchange_inbox i LEFT JOIN exchange_matches m ON m.sender = i.sender AND m.message_id = i.id
     WHERE i.type = 'export_declarations' AND i.hs_chapter IS NOT NULL
       AND i.export_date >= to_date($1, 'YYYY-MM') AND i.export_date < to_date($2, 'YYYY-MM') + interval '1 month'
       AND ($3::text IS NULL OR i.sender = $3) AND ($4::text IS NULL OR i.hs_chapter = $4)
     GROUP BY i.sender, i.hs_chapter, to_char(i.export_date, 'YYYY-MM'), coalesce(i.currency, '')
     ORDER BY 1, 2, 3, currency`,
    [q.from, q.to, q.partner ?? null, q.chapter ?? null],
  );
  return rows.map((r) => {
    return {
      partner: r.partner,
      chapter: r.chapter,
      month: r.month,
      matched: Number(r.matched),
      unmatched: Number(r.unmatched),
      beyond: Number(r.beyond),
      exportValue: r.export_value ?? 0,
      importValue: r.import_value ?? 0,
      valueGap: r.value_gap ?? 0,
      currency: r.currency,
    };
  });
}

export const statisticsHeader =
  'partner,chapter,month,matched,unmatched,beyond,export_value,import_value,value_gap,currency\n';

/** The rows as CSV, header first; a partner's text cannot become a formula (shared/csv-cell.ts). */
export function statisticsCsv(rows: readonly StatisticsRow[]): string {
  return (
    statisticsHeader +
    rows
      .map((r) =>
        csvLine([
          r.partner,
          r.chapter,
          r.month,
          r.matched,
          r.unmatched,
          r.beyond,
          r.exportValue,
          r.importValue,
          r.valueGap,
          r.currency,
        ]),
      )
      .join('')
  );
}

/** A month as queries write it: YYYY-MM, within the supported days (shared/day.ts). */
export const monthPattern = '^(19\\d{2}|[2-9]\\d{3})-(0[1-9]|1[0-2])$';
const month = new RegExp(monthPattern);
export const monthWords = `a month YYYY-MM from ${earliestDay.slice(0, 7)} to ${latestDay.slice(0, 7)}`;

/**
 * The period of a statistics query: months checked, from ≤ to; by default the last 12 months to `to`
 * (or `today`'s month), not before the first supported month. What it returns is two checked months.
 */
export function statisticsPeriod(
  from: string | undefined,
  to: string | undefined,
  today: string,
): { ok: true; from: string; to: string } | { ok: false; message: string } {
  for (const [name, v] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (v !== undefined && !month.test(v))
      return { ok: false, message: `${name} must be ${monthWords}, got "${v}"` };
  const end = to ?? today.slice(0, 7);
  if (!month.test(end)) return { ok: false, message: `today's month ${end} is not ${monthWords}` };
  let start = from;
  if (start === undefined) {
    const [y, m] = end.split('-').map(Number) as [number, number];
    const back = y * 12 + (m - 1) - 11;
    const earliest = earliestDay.slice(0, 7);
    const candidate = `${String(Math.floor(back / 12)).padStart(4, '0')}-${String((back % 12) + 1).padStart(2, '0')}`;
    start = candidate < earliest ? earliest : candidate;
  }
  if (start > end) return { ok: false, message: `from ${start} is after to ${end}` };
  return { ok: true, from: start, to: end };
}
