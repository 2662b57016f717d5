/** Keeps the code lists in the database, so they are governed data that queries can join. */
import type { Database } from '../db/database.ts';
import { copyLine } from '../db/copy-text.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import type { ReferenceData } from './reference-data.ts';

/** Loads the code lists into `code_lists` when it is empty; returns how many codes were written. */
export async function storeReferenceData(db: Database, reference: ReferenceData): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM code_lists');
  if (row && row.n > 0) return 0;
  let text = '';
  let count = 0;
  const seen = new Set<string>();
  for (const e of reference.entries()) {
    const edition = e.list === 'hs' ? (e.validFrom ?? '').slice(0, 4) : '';
    const key = `${e.list}|${edition}|${e.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    text += copyLine([e.list, edition, e.code, e.description, e.parent ?? null, e.validFrom, e.validTo]);
    count++;
  }
  await db.transaction(async (tx) => {
    await tx.query('LOCK TABLE code_lists IN EXCLUSIVE MODE');
    const [again] = await tx.query<{ n: number }>('SELECT count(*)::int8 AS n FROM code_lists');
    if (again && again.n > 0) return;
    await tx.copyIn(
      'code_lists',
      ['list', 'edition', 'code', 'description', 'parent', 'valid_from', 'valid_to'],
      text,
    );
    await recordChange(tx, {
      actor: 'system',
      action: 'reference_data.loaded',
      subjectKind: SubjectKind.ReferenceData,
      subjectId: null,
      data: { codes: count },
    });
  });
  return count;
}
