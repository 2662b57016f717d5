/**
 * The description check for imported declarations, as a data-quality pass after the import.
 *
 * Lodging and amending compare each goods description with its declared code in validation
 * (validate/plausibility.ts, `description_suggests_other_code`). Files are prepared in worker
 * threads, which do not hold the classification aid, and the aid takes about 1.5 ms for each new
 * description: an import comparing in validation would run many times slower. So what an import
 * stored is compared afterwards, a few hundred declarations at a time: each warning is appended to
 * the declaration's stored findings and counted in the data-quality counts (consistency of
 * `items[].hsCode`), as lodging would have. An item that already carries the warning (a small
 * upload is validated with the aid in the importing thread) is left as it is, so running the pass
 * again adds nothing.
 */
import type { Database } from '../db/database.ts';
import type { DescriptionCodes } from './description-codes.ts';
import type { Finding } from './model.ts';
import { QualityTally, outcomeOf } from './quality-counts.ts';
import type { ValidationContext } from './validate/index.ts';
import { compareDescriptions, suggestsOtherCode } from './validate/plausibility.ts';

/** The declarations one import stored: after `afterId`, lodged by `lodgedBy` from `source`. */
export interface ImportedScope {
  afterId: number;
  lodgedBy: string;
  source: string;
}

export interface DescriptionPassSummary {
  /** Declarations compared. */
  declarations: number;
  /** Warnings added. */
  findings: number;
}

interface Row {
  id: number;
  version: number;
  date: string;
  trader: string;
  findings: Finding[];
  items: [string | null, string][];
}

const pageSize = 250;

/**
 * Compares the descriptions of the declarations `scope` names with their declared codes and keeps
 * what the aid finds, as validation would have at lodging.
 */
export async function compareImportedDescriptions(
  db: Database,
  validation: Pick<ValidationContext, 'wcoIdOf' | 'today'> & { descriptionCodes: DescriptionCodes },
  scope: ImportedScope,
): Promise<DescriptionPassSummary> {
  const summary: DescriptionPassSummary = { declarations: 0, findings: 0 };
  for (let after = scope.afterId; ;) {
    const rows = await db.query<Row>(
      `SELECT d.id::int8 AS id, d.version, to_char(d.date, 'YYYY-MM-DD') AS date, d.trader_id AS trader,
              d.findings,
              (SELECT coalesce(json_agg(json_build_array(i.description, i.hs_code) ORDER BY i.sequence), '[]')
               FROM declaration_items i WHERE i.declaration_id = d.id) AS items
       FROM declarations d
       WHERE d.id > $1 AND d.lodged_by = $2 AND d.source = $3
       ORDER BY d.id LIMIT ${pageSize}`,
      [after, scope.lodgedBy, scope.source],
    );
    const last = rows.at(-1);
    if (!last) return summary;
    after = last.id;
    summary.declarations += rows.length;
    summary.findings += await keep(db, validation, rows);
  }
}

/** The warnings found in `rows` added to their declarations and counted; how many were added. */
async function keep(
  db: Database,
  validation: Pick<ValidationContext, 'wcoIdOf' | 'today'> & { descriptionCodes: DescriptionCodes },
  rows: Row[],
): Promise<number> {
  const found = new Map<number, { row: Row; added: Finding[] }>();
  for (const row of rows) {
    const warned = new Set(row.findings.filter((f) => f.code === suggestsOtherCode).map((f) => f.path));
    const added: Finding[] = [];
    const draft = {
      date: row.date,
      items: row.items.map(([description, hsCode]) => ({ ...(description ? { description } : {}), hsCode })),
    };
    compareDescriptions(draft, validation.descriptionCodes, (path, code, message, severity = 'error') => {
      if (warned.has(path)) return;
      const wcoId = validation.wcoIdOf(path);
      added.push({ path, code, message, severity, layer: 'plausibility', ...(wcoId ? { wcoId } : {}) });
    });
    if (added.length > 0) found.set(row.id, { row, added });
  }
  if (found.size === 0) return 0;
  const ids = [...found.keys()];
  return db.transaction(async (tx) => {
    // rows locked in id order, the order of every write path (risk/capacity.ts)
    await tx.query('SELECT id FROM declarations WHERE id = ANY($1::int8[]) ORDER BY id FOR UPDATE', [ids]);
    // a declaration amended meanwhile was validated again, and is left as it is now
    const updated = await tx.query<{ id: number }>(
      `UPDATE declarations d SET findings = d.findings || f.added::jsonb
       FROM unnest($1::int8[], $2::int4[], $3::text[]) AS f(id, version, added)
       WHERE d.id = f.id AND d.version = f.version
       RETURNING d.id::int8 AS id`,
      [
        ids,
        ids.map((id) => found.get(id)?.row.version ?? 0),
        ids.map((id) => JSON.stringify(found.get(id)?.added ?? [])),
      ],
    );
    const tally = new QualityTally();
    let added = 0;
    for (const { id } of updated) {
      const f = found.get(id);
      if (!f) continue;
      added += f.added.length;
      // a field fails its dimension once per declaration: only a newly failing one is counted
      const before = new Set(outcomeOf(f.row.trader, f.row.date, validation.today, f.row.findings).failures);
      const after = outcomeOf(f.row.trader, f.row.date, validation.today, f.added).failures;
      tally.addFailures({
        trader: f.row.trader,
        day: f.row.date,
        failures: after.filter((x) => !before.has(x)),
      });
    }
    await tally.write(tx);
    return added;
  });
}
