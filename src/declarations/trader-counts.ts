/**
 * How many declarations each trader has stored, kept in `trader_history.declarations` where
 * declarations are stored (lodging, imports) and purged (governance/retention/archive.ts), so that the count of a
 * trader's earlier declarations, which risk indicators read, costs one row however long its
 * history. A declaration being assessed as it is accepted is counted in the assessment's own
 * statement, after its indicators were read (risk/assessment.ts); the counts are taken last in a
 * transaction, with the rest of the trader history (the lock order of risk/capacity.ts).
 */
import type { PreparedStatement, Sql } from '../db/database.ts';

/** Adds `$2[i]` declarations to trader `$1[i]`'s count. Traders in code-point order, so two writers lock rows in one order. */
export const addToCounts = `INSERT INTO trader_history AS h (trader_id, declarations)
  SELECT * FROM unnest($1::text[], $2::int8[]) AS c(trader_id, n) ORDER BY c.trader_id COLLATE "C"
  ON CONFLICT (trader_id) DO UPDATE SET declarations = h.declarations + EXCLUDED.declarations`;

const add: PreparedStatement = { name: 'trader_counts_add', text: addToCounts };

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The traders of stored declarations with how many each, in lock order. */
export function countsOf(traders: readonly string[]): { traders: string[]; counts: number[] } {
  const counts = new Map<string, number>();
  for (const t of traders) counts.set(t, (counts.get(t) ?? 0) + 1);
  const sorted = [...counts.entries()].sort(([a], [b]) => byCodePoint(a, b));
  return { traders: sorted.map(([t]) => t), counts: sorted.map(([, n]) => n) };
}

/** Counts stored declarations, one trader per declaration. */
export async function countDeclarations(tx: Sql, traders: readonly string[]): Promise<void> {
  if (traders.length === 0) return;
  const c = countsOf(traders);
  await tx.query(add, [c.traders, c.counts]);
}
