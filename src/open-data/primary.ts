/**
 * Primary suppression: the cells that would disclose a trader. A cell is confidential when fewer
 * than `minTraders` traders contribute to it, or when its `n` largest traders hold more than `k`
 * percent of its value for any (n, k) dominance rule.
 */
import type { DisclosureParameters } from './parameters.ts';
import { CellStatus, type Cell, type StatTable } from './table.ts';

/** Why the cell is confidential (`traders`, `dominance:n,k`), or null when it may be published. */
export function confidentiality(cell: Cell, p: DisclosureParameters): string | null {
  if (cell.traders < p.minTraders) return 'traders';
  if (cell.value <= 0) return null;
  for (const rule of p.dominance) {
    let top = 0;
    for (let i = 0; i < rule.n && i < cell.top.length; i++) top += cell.top[i] ?? 0;
    if (top * 100 > rule.k * cell.value) return `dominance:${rule.n},${rule.k}`;
  }
  return null;
}

/** Marks the table's confidential cells `primary`, with their reason; returns how many. */
export function suppressPrimary(table: StatTable, p: DisclosureParameters): number {
  let count = 0;
  for (const cell of table.cells.values()) {
    const reason = confidentiality(cell, p);
    if (reason === null) continue;
    cell.status = CellStatus.Primary;
    cell.reason = reason;
    count++;
  }
  return count;
}

/** How many of the largest traders the rules need kept per cell. */
export const topSizeFor = (p: DisclosureParameters): number => Math.max(1, ...p.dominance.map((r) => r.n));
