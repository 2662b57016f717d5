/**
 * Training data from the database: declarations with their control result in force (recorded by
 * officers or imported as history), read in pages by id so memory stays bounded by the result. An
 * import matched to partners' export records carries its mirror value ratio as the model's extra
 * (the lowest over its matches whose values are comparable, as its indicators have it: mirror.ts).
 */
import type { Sql } from '../db/database.ts';
import { declarationsRepository } from '../declarations/repository.ts';
import type { Labelled } from './features.ts';

const page = 20_000;

export async function controlledDeclarations(sql: Sql): Promise<Labelled[]> {
  const out: Labelled[] = [];
  for (let after = 0; ;) {
    const rows = await sql.query<
      Record<string, unknown> & { id: number; outcome: string; severity: number; mirror_ratio: number | null }
    >(
      `SELECT d.*, c.outcome, c.severity,
         (SELECT min(m.value_ratio) FROM exchange_matches m WHERE m.declaration_id = d.id) AS mirror_ratio
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
        extras: { mirrorValueRatio: r.mirror_ratio === null ? NaN : Number(r.mirror_ratio) },
      });
    });
    after = rows.at(-1)?.id ?? after;
  }
}
