/**
 * Turning grouped rows into what a chart draws: one value per period for every key, in the order
 * of the window's periods, zero where nothing happened.
 */

/** A row of one top key (its rank, from 1) or of the keys outside the top (rank null), in one period. */
export interface CellRow {
  period: string;
  rank: number | null;
  key: string | null;
  /** how many keys there are in all */
  keys: number;
}

/** The values of `measure` per period, aligned with `periods`. */
export function perPeriod<R extends { period: string | null }>(
  periods: readonly string[],
  rows: readonly R[],
  measure: (row: R) => number,
): number[] {
  const index = new Map(periods.map((p, i) => [p, i]));
  const values = new Array<number>(periods.length).fill(0);
  for (const row of rows) {
    const i = row.period === null ? undefined : index.get(row.period);
    if (i !== undefined) values[i] = (values[i] ?? 0) + measure(row);
  }
  return values;
}

/** The keys of the cells, top ones by rank, then null for the rest when there is a rest. */
export function keysOf(cells: readonly CellRow[]): { keys: (string | null)[]; otherKeys: number } {
  const ranked = new Map<number, string>();
  let rest = false;
  for (const cell of cells) {
    if (cell.rank === null) rest = true;
    else if (cell.key !== null) ranked.set(cell.rank, cell.key);
  }
  const top = [...ranked].sort(([a], [b]) => a - b).map(([, key]) => key);
  const all = cells[0]?.keys ?? 0;
  return { keys: rest ? [...top, null] : top, otherKeys: all - top.length };
}

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** Money rounded to cents, so that float noise from adding never shows. */
export const cents = (value: number): number => Math.round(value * 100) / 100;
