/**
 * The attacker of a suppression pattern: what someone holding every published cell of a table can
 * work out about the suppressed ones. Two attacks (docs/open-data-methodology.md):
 * - subtraction: any row, column or hierarchy total with one suppressed cell gives it away, and a
 *   cell worked out that way may give away the next; repeated until nothing more falls;
 * - interval bounds: the least and greatest value of a suppressed cell that agrees with every
 *   published cell and every total, cells being non-negative, by linear programming.
 * Cells that hold no goods are known zeros. Any additive measure has the same equations.
 */
import { maximize } from './lp.ts';
import { CellStatus, cellAt, type Cell, type StatTable } from './table.ts';

/** One additive relation: the first cell is the sum of the others. */
interface Equation {
  total: [number, number];
  parts: [number, number][];
}

/** Every relation of the table that involves a suppressed cell. */
export function equationsOf(t: StatTable): Equation[] {
  const hierarchy = new Set<number>();
  const rowTotals = new Set<number>();
  const width = t.cols.length;
  for (const c of t.cells.values()) {
    if (c.status === CellStatus.Published) continue;
    rowTotals.add(c.row);
    const node = t.rows[c.row];
    if (node && node.children.length > 0) hierarchy.add(c.row * width + c.col);
    if (node && node.parent >= 0) hierarchy.add(node.parent * width + c.col);
  }
  const equations: Equation[] = [];
  for (const key of hierarchy) {
    const [row, col] = [Math.floor(key / width), key % width];
    const children = t.rows[row]?.children ?? [];
    equations.push({ total: [row, col], parts: children.map((ch) => [ch, col]) });
  }
  for (const row of rowTotals) {
    const parts: [number, number][] = [];
    for (let col = 1; col < width; col++) parts.push([row, col]);
    equations.push({ total: [row, 0], parts });
  }
  return equations;
}

const isHidden = (cell: Cell | undefined): cell is Cell => !!cell && cell.status !== CellStatus.Published;

/**
 * The suppressed cells that subtraction gives away, repeated to exhaustion. The relations are those
 * of equationsOf, in the same order, each kept as the set of its suppressed cells only: a hierarchy
 * total with its children in one column, and a row's total with its partners (every suppressed
 * cell of the row).
 */
export function derivedBySubtraction(t: StatTable): Cell[] {
  const width = t.cols.length;
  const hidden = (key: number) => isHidden(t.cells.get(key));
  const totals = new Set<number>();
  const rows = new Map<number, number[]>();
  for (const [key, c] of t.cells) {
    if (c.status === CellStatus.Published) continue;
    const node = t.rows[c.row];
    if (node && node.children.length > 0) totals.add(key);
    if (node && node.parent >= 0) totals.add(node.parent * width + c.col);
    const inRow = rows.get(c.row);
    if (inRow) inRow.push(key);
    else rows.set(c.row, [key]);
  }
  const unknowns: Set<number>[] = [];
  for (const key of totals) {
    const [row, col] = [Math.floor(key / width), key % width];
    const members = new Set<number>();
    if (hidden(key)) members.add(key);
    for (const ch of t.rows[row]?.children ?? []) if (hidden(ch * width + col)) members.add(ch * width + col);
    unknowns.push(members);
  }
  for (const keys of rows.values()) unknowns.push(new Set(keys));
  const equationsOfCell = new Map<number, number[]>();
  unknowns.forEach((set, i) => {
    for (const key of set) {
      const list = equationsOfCell.get(key);
      if (list) list.push(i);
      else equationsOfCell.set(key, [i]);
    }
  });
  const derived: Cell[] = [];
  const queue = unknowns.flatMap((set, i) => (set.size === 1 ? [i] : []));
  while (queue.length > 0) {
    const set = unknowns[queue.pop() ?? 0];
    if (!set || set.size !== 1) continue;
    const [key] = [...set] as [number];
    const cell = t.cells.get(key);
    if (cell) derived.push(cell);
    for (const i of equationsOfCell.get(key) ?? []) {
      const other = unknowns[i];
      other?.delete(key);
      if (other?.size === 1) queue.push(i);
    }
  }
  return derived;
}

export interface Interval {
  low: number;
  /** Infinity when nothing published bounds it. */
  high: number;
}

/** The tightest bounds on a suppressed cell's `measure` that the published cells allow. */
export function intervalOf(
  t: StatTable,
  target: Cell,
  measure: 'value' | 'declarations' = 'value',
): Interval {
  const width = t.cols.length;
  const index = new Map<number, number>();
  for (const [key, c] of t.cells) if (isHidden(c)) index.set(key, index.size);
  const A: number[][] = [];
  const b: number[] = [];
  for (const e of equationsOf(t)) {
    const line = new Array<number>(index.size).fill(0);
    let rhs = 0;
    const terms: [[number, number], number][] = [
      [e.total, 1],
      ...e.parts.map((p): [[number, number], number] => [p, -1]),
    ];
    for (const [[r, c], sign] of terms) {
      const cell = cellAt(t, r, c);
      const i = index.get(r * width + c);
      if (i !== undefined) line[i] = (line[i] ?? 0) + sign;
      else rhs -= sign * (cell?.[measure] ?? 0);
    }
    A.push(line);
    b.push(rhs);
  }
  const at = index.get(target.row * width + target.col);
  if (at === undefined) return { low: target[measure], high: target[measure] };
  const objective = (sign: number) => {
    const c = new Array<number>(index.size).fill(0);
    c[at] = sign;
    return maximize(c, A, b);
  };
  const high = objective(1);
  const low = objective(-1);
  if (high.status === 'infeasible' || low.status === 'infeasible')
    throw new Error('the published table is inconsistent');
  return {
    low: low.status === 'optimal' ? -low.value : 0,
    high: high.status === 'optimal' ? high.value : Infinity,
  };
}
