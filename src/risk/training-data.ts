/**
 * Training data from the database: declarations with their control result in force (recorded by
 * officers or imported as history), read in pages by id so memory stays bounded by the result. An
 * import matched to partners' export records carries its mirror figures as the model's extras,
 * computed from its matches as at assessment (mirror.ts): the value ratio (the lowest over its
 * matches whose values are comparable), the quantity and mass ratios and the HS and origin mismatches.
 * With the classification aid, each row also carries how far its goods descriptions agree with their
 * declared headings (described.ts), as assessment computes it.
 */
import type { Sql } from '../db/database.ts';
import { declarationsRepository } from '../declarations/repository.ts';
import type { DescriptionCodes } from '../declarations/description-codes.ts';
import { describedItems, rowExtrasOfIndicators } from './described.ts';
import type { Labelled } from './features.ts';
import { discrepancyRows } from './indicators.ts';
import { mirrorIndicatorsOf, type MatchRow } from './mirror.ts';

const page = 20_000;

export async function controlledDeclarations(sql: Sql, codes?: DescriptionCodes): Promise<Labelled[]> {
  const out: Labelled[] = [];
  for (let after = 0; ;) {
    const rows = await sql.query<
      Record<string, unknown> & {
        id: number;
        outcome: string;
        severity: number;
        mirror_matches: MatchRow[] | null;
        document_discrepancies: number;
      }
    >(
      `SELECT d.*, c.outcome, c.severity,
         (SELECT json_agg(json_build_object('declaration_id', m.declaration_id, 'sender', m.sender,
                   'message_id', m.message_id::text, 'value_ratio', m.value_ratio, 'gaps', m.gaps)
                 ORDER BY m.matched_at, m.sender, m.message_id)
          FROM exchange_matches m WHERE m.declaration_id = d.id) AS mirror_matches,
         (SELECT count(*) FROM ${discrepancyRows} WHERE x.declaration_id = d.id)::int8 AS document_discrepancies
       FROM declarations d
       JOIN LATERAL (SELECT outcome, severity FROM control_results r WHERE r.declaration_id = d.id AND r.superseded_at IS NULL
                     ORDER BY r.recorded_at DESC, r.id DESC LIMIT 1) c ON true
       WHERE d.id > $1 AND d.status <> 'cancelled' ORDER BY d.id LIMIT $2`,
      [after, page],
    );
    if (rows.length === 0) return out;
    const declarations = await declarationsRepository.withItems(sql, rows);
    rows.forEach((r, i) => {
      const declaration = declarations[i];
      if (!declaration || declaration.items.length === 0) return;
      out.push({
        declaration,
        fraud: r.outcome === 'non_compliant' ? 1 : 0,
        critical: Number(r.severity) >= 2 ? 1 : 0,
        extras: rowExtrasOfIndicators({
          mirror: mirrorIndicatorsOf(declaration, r.mirror_matches ?? []),
          described: describedItems(codes, declaration),
          documents: { discrepancies: Number(r.document_discrepancies), codes: [] },
        }),
      });
    });
    after = rows.at(-1)?.id ?? after;
  }
}
