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
import { CellStatus, cellAt, type StatTable } from './table.ts';

/** How many candidate partner columns and sibling branches are tried per confidential cell. */
const candidateColumns = 8;
const candidateSiblings = 6;

interface Move {
  plus: number[];
  minus: readonly number[];
  c1: number;
  c2: number;
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
  const known = knownOf(t);
  for (const cell of primary) {
    const need = (cell.value * p.protectionPercent) / 100;
    const best = bestMove(t, known, cell.row, cell.col, need);
    if (!best) return { secondary: withholdAll(t) + secondary, withheld: true };
    for (const [row, col] of cellsOf(best)) {
      const c = cellAt(t, row, col);
      if (c && c.status === CellStatus.Published) {
        c.status = CellStatus.Secondary;
        known.open[row * known.width + col] = 0;
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

const none: readonly number[] = [];

/**
 * What a move would suppress that is not suppressed yet (each cell's value plus one, so that fewer
 * cells win a tie), or -1 when it cannot protect the cell or costs at least `bound`: a cell it
 * changes that holds nothing, or less than `need`, would stop the move short in one direction.
 * The move's rows come in up to three lists, walked where they lie: this runs for every candidate.
 */
function costOf(
  known: Known,
  need: number,
  bound: number,
  c1: number,
  c2: number,
  a: readonly number[],
  b: readonly number[],
  c: readonly number[],
): number {
  const { values, open, width } = known;
  let cost = 0;
  for (const rows of [a, b, c]) {
    for (const r of rows) {
      for (let k = 0; k < 2; k++) {
        const at = r * width + (k === 0 ? c1 : c2);
        const v = values[at] ?? 0;
        if (v <= 0 || v < need) return -1;
        if (open[at] === 1) {
          cost += v + 1;
          if (cost >= bound) return -1;
        }
      }
    }
  }
  return cost;
}

/**
 * What the search for moves reads again and again, kept per table: the values and whether each cell
 * is still published, as dense arrays by `row * width + col` (a cell holding no goods is a zero),
 * and, as values never change during suppression (only statuses do), a row's partner columns and a
 * row's richest children in two columns, worked out once.
 */
interface Known {
  width: number;
  values: Float64Array;
  /** 1 while the cell is published. */
  open: Uint8Array;
  columns: RowColumns;
  siblings: Map<number, number[]>;
}

function knownOf(t: StatTable): Known {
  const width = t.cols.length;
  const values = new Float64Array(t.rows.length * width);
  const open = new Uint8Array(t.rows.length * width).fill(1);
  for (const c of t.cells.values()) {
    values[c.row * width + c.col] = c.value;
    if (c.status !== CellStatus.Published) open[c.row * width + c.col] = 0;
  }
  return { width, values, open, columns: new Map(), siblings: new Map() };
}

const valueIn = (k: Known, row: number, col: number): number => k.values[row * k.width + col] ?? 0;

const pairKey = (k: Known, row: number, c1: number, c2: number): number =>
  (row * k.width + Math.min(c1, c2)) * k.width + Math.max(c1, c2);

/** From `row` down to a subheading, each step to the child richest in both columns; null if none. */
function descend(t: StatTable, known: Known, row: number, c1: number, c2: number): number[] | null {
  const path = [row];
  let node = t.rows[row];
  while (node && node.children.length > 0) {
    let best = -1;
    let bestValue = 0;
    for (const ch of node.children) {
      const v = Math.min(valueIn(known, ch, c1), valueIn(known, ch, c2));
      if (v > bestValue) [best, bestValue] = [ch, v];
    }
    if (best < 0) return null;
    path.push(best);
    node = t.rows[best];
  }
  return path;
}

/**
 * The children of `parent` holding goods in both columns, richest first: one more than the
 * `candidateSiblings` tried, so that leaving out the branch the move starts from still leaves enough.
 */
function siblingsOf(t: StatTable, known: Known, parent: number, c1: number, c2: number): number[] {
  const key = pairKey(known, parent, c1, c2);
  let richest = known.siblings.get(key);
  if (!richest) {
    richest = (t.rows[parent]?.children ?? [])
      .map((s) => ({ s, v: Math.min(valueIn(known, s, c1), valueIn(known, s, c2)) }))
      .filter((x) => x.v > 0)
      .sort((a, b) => b.v - a.v)
      .slice(0, candidateSiblings + 1)
      .map((x) => x.s);
    known.siblings.set(key, richest);
  }
  return richest;
}

/** Per row, the partner columns holding goods: in column order, and richest first (values never change). */
type RowColumns = Map<number, { byColumn: number[]; byValue: number[] }>;

function columnCandidates(known: Known, row: number, c1: number): number[] {
  let lists = known.columns.get(row);
  if (!lists) {
    const byColumn: number[] = [];
    for (let c = 1; c < known.width; c++) if (valueIn(known, row, c) > 0) byColumn.push(c);
    const byValue = [...byColumn].sort((a, b) => valueIn(known, row, b) - valueIn(known, row, a));
    lists = { byColumn, byValue };
    known.columns.set(row, lists);
  }
  const already: number[] = [];
  for (const c of lists.byColumn) {
    if (already.length >= candidateColumns) break;
    if (c !== c1 && known.open[row * known.width + c] === 0) already.push(c);
  }
  const richest: number[] = [];
  for (const c of lists.byValue) {
    if (richest.length >= candidateColumns) break;
    if (c !== c1) richest.push(c);
  }
  return [...new Set([...(c1 === 0 ? [] : [0]), ...already, ...richest])];
}

function bestMove(t: StatTable, known: Known, row: number, c1: number, need: number): Move | null {
  let best: Move | null = null;
  let bestCost = Infinity;
  // the first move of least cost is kept; one that suppresses nothing more cannot be beaten
  const consider = (
    down: number[],
    above: readonly number[],
    minus: readonly number[],
    c2: number,
  ): boolean => {
    const cost = costOf(known, need, bestCost, c1, c2, down, above, minus);
    if (cost >= 0) {
      best = { plus: [...down, ...above], minus, c1, c2 };
      bestCost = cost;
    }
    return bestCost === 0;
  };
  const columns = columnCandidates(known, row, c1);
  const downs = columns.map((c2) => descend(t, known, row, c1, c2));
  const ancestors: number[] = [];
  for (let node = row; ;) {
    const parent = t.rows[node]?.parent ?? -1;
    if (parent < 0) break;
    for (const [i, c2] of columns.entries()) {
      const down = downs[i];
      if (!down) continue;
      let tried = 0;
      for (const s of siblingsOf(t, known, parent, c1, c2)) {
        if (s === node) continue;
        if (tried++ === candidateSiblings) break;
        const other = descend(t, known, s, c1, c2);
        if (other && consider(down, ancestors, other, c2)) return best;
      }
    }
    if (best) return best;
    ancestors.push(parent);
    node = parent;
  }
  // no sibling branch will do: the path runs up to the table's total
  for (const [i, c2] of columns.entries()) {
    const down = downs[i];
    if (down && consider(down, ancestors, none, c2)) return best;
  }
  return best;
}
