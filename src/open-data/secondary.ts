/**
 * Secondary suppression: complementary cells chosen so that no confidential cell can be recomputed
 * from what is published, not exactly and not within `protectionPercent` of its value.
 *
 * Each confidential cell gets a move: a way to shift an amount d between suppressed cells that keeps
 * every published total true. A move takes two columns c1 (the cell's) and c2 (another partner, or
 * the total column) and two paths in the HS hierarchy: one from the cell down to a subheading and up
 * to where it meets the other path (or to the table's total), the other from a subheading under a
 * sibling branch up to the same meeting row. Every row of the first path gains d in c1, every row
 * of the second loses d; in c2 the opposite, or the same when c2 or c1 is the total. Each chapter,
 * heading, row total and column total then stays as published. While every cell the move changes
 * stays non-negative, the confidential cell can be anything in [x - down, x + up], so an attacker,
 * even one solving linear programs over every published cell, can narrow it no further (the
 * interval bounds of docs/open-data-methodology.md). The move with enough room both ways that
 * suppresses the least value not already suppressed is chosen; a table where no move is enough is
 * withheld whole.
 */
import type { DisclosureParameters } from './parameters.ts';
import { CellStatus, cellAt, valueAt, type StatTable } from './table.ts';

/** How many candidate partner columns and sibling branches are tried per confidential cell. */
const candidateColumns = 8;
const candidateSiblings = 6;

interface Move {
  plus: number[];
  minus: number[];
  c1: number;
  c2: number;
}

interface Scored {
  move: Move;
  up: number;
  down: number;
  cost: number;
}

export interface SecondaryOutcome {
  secondary: number;
  /** True when the table could only be protected by withholding every cell. */
  withheld: boolean;
}

/** Marks complementary cells `secondary` until every primary cell has a protecting move. */
export function suppressSecondary(t: StatTable, p: DisclosureParameters): SecondaryOutcome {
  const primary = [...t.cells.values()]
    .filter((c) => c.status === CellStatus.Primary)
    .sort((a, b) => b.value - a.value || a.row - b.row || a.col - b.col);
  let secondary = 0;
  const known: RowColumns = new Map();
  for (const cell of primary) {
    const need = (cell.value * p.protectionPercent) / 100;
    const best = bestMove(t, known, cell.row, cell.col, need);
    if (!best) return { secondary: withholdAll(t) + secondary, withheld: true };
    for (const [row, col] of cellsOf(best.move)) {
      const c = cellAt(t, row, col);
      if (c && c.status === CellStatus.Published) {
        c.status = CellStatus.Secondary;
        secondary++;
      }
    }
  }
  return { secondary, withheld: false };
}

function withholdAll(t: StatTable): number {
  let count = 0;
  for (const c of t.cells.values()) {
    if (c.status !== CellStatus.Published) continue;
    c.status = CellStatus.Secondary;
    count++;
  }
  return count;
}

/** The cells a move changes with the sign of their change when the confidential cell gains d. */
export function* signedCells(m: Move): Generator<[number, number, number]> {
  const s = m.c1 === 0 || m.c2 === 0 ? 1 : -1;
  for (const r of m.plus) {
    yield [r, m.c1, 1];
    yield [r, m.c2, s];
  }
  for (const r of m.minus) {
    yield [r, m.c1, -1];
    yield [r, m.c2, -s];
  }
}

function* cellsOf(m: Move): Generator<[number, number]> {
  for (const [r, c] of signedCells(m)) yield [r, c];
}

const suppressed = (t: StatTable, row: number, col: number): boolean =>
  (cellAt(t, row, col)?.status ?? CellStatus.Published) !== CellStatus.Published;

/**
 * The move's room both ways and its cost, or null when it cannot protect the cell (a cell it
 * lowers holds less than `need`, or nothing) or costs at least `bound`: neither could be chosen, so
 * scoring stops at the first cell that shows it.
 */
function score(t: StatTable, move: Move, need: number, bound: number): Scored | null {
  const width = t.cols.length;
  const s = move.c1 === 0 || move.c2 === 0 ? 1 : -1;
  let up = Infinity;
  let down = Infinity;
  let cost = 0;
  // the cells of signedCells(move), walked without a generator: this runs for every candidate move
  for (let i = 0; i < 4; i++) {
    const rows = i < 2 ? move.plus : move.minus;
    const col = i % 2 === 0 ? move.c1 : move.c2;
    const sign = (i < 2 ? 1 : -1) * (i % 2 === 0 ? 1 : s);
    for (const r of rows) {
      const cell = t.cells.get(r * width + col);
      const v = cell?.value ?? 0;
      if (v <= 0 || v < need) return null;
      if (sign < 0) up = Math.min(up, v);
      else down = Math.min(down, v);
      if ((cell?.status ?? CellStatus.Published) === CellStatus.Published) {
        cost += v + 1;
        if (cost >= bound) return null;
      }
    }
  }
  return { move, up, down, cost };
}

/** From `row` down to a subheading, each step to the child richest in both columns; null if none. */
function descend(t: StatTable, row: number, c1: number, c2: number): number[] | null {
  const path = [row];
  let node = t.rows[row];
  while (node && node.children.length > 0) {
    let best = -1;
    let bestValue = 0;
    for (const ch of node.children) {
      const v = Math.min(valueAt(t, ch, c1), valueAt(t, ch, c2));
      if (v > bestValue) [best, bestValue] = [ch, v];
    }
    if (best < 0) return null;
    path.push(best);
    node = t.rows[best];
  }
  return path;
}

/** Per row, the partner columns holding goods: in column order, and richest first (values never change). */
type RowColumns = Map<number, { byColumn: number[]; byValue: number[] }>;

function columnCandidates(t: StatTable, known: RowColumns, row: number, c1: number): number[] {
  let lists = known.get(row);
  if (!lists) {
    const byColumn: number[] = [];
    for (let c = 1; c < t.cols.length; c++) if (valueAt(t, row, c) > 0) byColumn.push(c);
    const byValue = [...byColumn].sort((a, b) => valueAt(t, row, b) - valueAt(t, row, a));
    lists = { byColumn, byValue };
    known.set(row, lists);
  }
  const already: number[] = [];
  for (const c of lists.byColumn) {
    if (already.length >= candidateColumns) break;
    if (c !== c1 && suppressed(t, row, c)) already.push(c);
  }
  const richest: number[] = [];
  for (const c of lists.byValue) {
    if (richest.length >= candidateColumns) break;
    if (c !== c1) richest.push(c);
  }
  return [...new Set([...(c1 === 0 ? [] : [0]), ...already, ...richest])];
}

function bestMove(t: StatTable, known: RowColumns, row: number, c1: number, need: number): Scored | null {
  let best: Scored | null = null;
  // the first move of least cost is kept; one that suppresses nothing more cannot be beaten
  const consider = (move: Move): boolean => {
    const s = score(t, move, need, best ? best.cost : Infinity);
    if (s) best = s;
    return best !== null && best.cost === 0;
  };
  const columns = columnCandidates(t, known, row, c1);
  const downs = columns.map((c2) => descend(t, row, c1, c2));
  const ancestors: number[] = [];
  for (let node = row; ;) {
    const parent = t.rows[node]?.parent ?? -1;
    if (parent < 0) break;
    const path = [...ancestors];
    for (const [i, c2] of columns.entries()) {
      const down = downs[i];
      if (!down) continue;
      const siblings = (t.rows[parent]?.children ?? [])
        .filter((s) => s !== node)
        .map((s) => ({ s, v: Math.min(valueAt(t, s, c1), valueAt(t, s, c2)) }))
        .filter((x) => x.v > 0)
        .sort((a, b) => b.v - a.v)
        .slice(0, candidateSiblings);
      for (const { s } of siblings) {
        const other = descend(t, s, c1, c2);
        if (other && consider({ plus: [...down, ...path], minus: other, c1, c2 })) return best;
      }
    }
    if (best) return best;
    ancestors.push(parent);
    node = parent;
  }
  // no sibling branch will do: the path runs up to the table's total
  for (const [i, c2] of columns.entries()) {
    const down = downs[i];
    if (down && consider({ plus: [...down, ...ancestors], minus: [], c1, c2 })) return best;
  }
  return best;
}
