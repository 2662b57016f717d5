/**
 * Statistical disclosure control of a release's tables: aggregation, primary suppression, secondary
 * suppression, then the subtraction attack as a last check (a pattern it breaks is a defect, never
 * published).
 */
import { derivedBySubtraction } from './attack.ts';
import type { DisclosureParameters } from './parameters.ts';
import { suppressPrimary, topSizeFor } from './primary.ts';
import { suppressSecondary } from './secondary.ts';
import { buildTables, tableName, type Contribution, type StatTable } from './table.ts';

export interface DisclosureSummary {
  tables: number;
  cells: number;
  primary: number;
  secondary: number;
  /** Tables withheld whole because no smaller pattern could protect them. */
  withheld: string[];
}

export function protectTables(
  contributions: Iterable<Contribution>,
  p: DisclosureParameters,
): { tables: StatTable[]; summary: DisclosureSummary } {
  const tables = buildTables(contributions, topSizeFor(p));
  const summary: DisclosureSummary = {
    tables: tables.length,
    cells: 0,
    primary: 0,
    secondary: 0,
    withheld: [],
  };
  for (const t of tables) {
    summary.cells += t.cells.size;
    summary.primary += suppressPrimary(t, p);
    const outcome = suppressSecondary(t, p);
    summary.secondary += outcome.secondary;
    if (outcome.withheld) summary.withheld.push(tableName(t.key));
    const derived = derivedBySubtraction(t);
    if (derived.length > 0)
      throw new Error(`suppression of ${tableName(t.key)} leaves ${derived.length} cells derivable`);
  }
  return { tables, summary };
}
