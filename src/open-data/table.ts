/**
 * The statistical tables of a release, built from each trader's contributions to the finest cells.
 *
 * One table per flow, month and customs procedure. Its rows are the HS hierarchy (the total, then
 * chapters, headings and subheadings, each the sum of the rows below it); its columns are the partner
 * countries and their total. No total across tables is published, so each table is protected alone.
 * Every measure is a sum: value (cents of the release's currency), net mass (grams), supplementary
 * quantity (thousandths of the subheading's unit, so at subheadings only), and declarations (a
 * declaration counts once in each subheading and partner it has goods in; higher rows add them up).
 */
export const Flow = { Imports: 'imports', Exports: 'exports' } as const;
export type Flow = (typeof Flow)[keyof typeof Flow];

export const TOTAL = 'TOTAL';

/** One trader's goods in one subheading and partner of one table. */
export interface Contribution {
  flow: Flow;
  /** YYYY-MM */
  month: string;
  procedure: string;
  hs6: string;
  partner: string;
  trader: string;
  value: number;
  netMass: number;
  supplementary: number;
  declarations: number;
}

export const CellStatus = { Published: 'published', Primary: 'primary', Secondary: 'secondary' } as const;
export type CellStatus = (typeof CellStatus)[keyof typeof CellStatus];

export interface Cell {
  row: number;
  col: number;
  value: number;
  netMass: number;
  supplementary: number;
  declarations: number;
  traders: number;
  /** The largest traders' values, largest first (as many as the dominance rules need). */
  top: number[];
  status: CellStatus;
  /** Why a primary cell is confidential: `traders` or `dominance:n,k`. */
  reason: string | null;
}

export interface RowNode {
  /** TOTAL, or a chapter (2 digits), heading (4) or subheading (6). */
  code: string;
  /** 0 the total, 1 chapter, 2 heading, 3 subheading. */
  level: number;
  /** -1 for the total. */
  parent: number;
  children: number[];
}

export interface TableKey {
  flow: Flow;
  month: string;
  procedure: string;
}

export interface StatTable {
  key: TableKey;
  /** Row 0 is the total; parents come before their children. */
  rows: RowNode[];
  /** Column 0 is the total; then partners in code order. */
  cols: string[];
  /** Cells that hold goods, by `row * cols.length + col`; an absent cell is a known zero. */
  cells: Map<number, Cell>;
}

export const tableName = (k: TableKey): string => `${k.flow}-${k.month}-${k.procedure}`;

export const cellAt = (t: StatTable, row: number, col: number): Cell | undefined =>
  t.cells.get(row * t.cols.length + col);

/** The tables of the contributions, in flow, month and procedure order; `topSize` largest traders kept. */
export function buildTables(contributions: Iterable<Contribution>, topSize: number): StatTable[] {
  const groups = new Map<string, Contribution[]>();
  for (const c of contributions) {
    const name = tableName(c);
    let list = groups.get(name);
    if (!list) groups.set(name, (list = []));
    list.push(c);
  }
  return [...groups.keys()].sort().map((name) => buildTable(groups.get(name) ?? [], topSize));
}

function rowTree(hs6Codes: Iterable<string>): { rows: RowNode[]; leafOf: Map<string, number[]> } {
  const rows: RowNode[] = [{ code: TOTAL, level: 0, parent: -1, children: [] }];
  const index = new Map<string, number>();
  const leafOf = new Map<string, number[]>();
  const add = (code: string, level: number, parent: number): number => {
    const known = index.get(code);
    if (known !== undefined) return known;
    const i = rows.push({ code, level, parent, children: [] }) - 1;
    index.set(code, i);
    rows[parent]?.children.push(i);
    return i;
  };
  for (const hs6 of [...new Set(hs6Codes)].sort()) {
    const chapter = add(hs6.slice(0, 2), 1, 0);
    const heading = add(hs6.slice(0, 4), 2, chapter);
    leafOf.set(hs6, [0, chapter, heading, add(hs6, 3, heading)]);
  }
  return { rows, leafOf };
}

function buildTable(list: Contribution[], topSize: number): StatTable {
  const first = list[0];
  if (!first) throw new Error('a table needs contributions');
  const { rows, leafOf } = rowTree(list.map((c) => c.hs6));
  const cols = [TOTAL, ...[...new Set(list.map((c) => c.partner))].sort()];
  const colOf = new Map(cols.map((c, i) => [c, i]));
  const width = cols.length;
  // the cells by `row * width + col` in a dense array while they are summed, then kept in a map
  const size = rows.length * width;
  const dense = new Array<Cell | undefined>(size);
  const made: number[] = [];
  // one trader at a time: what the trader holds in each cell is summed in `share`, then counted once
  // in the cell's traders and offered to its largest, so no cell needs a list of its traders
  const byTrader = new Map<string, Contribution[]>();
  for (const c of list) {
    const own = byTrader.get(c.trader);
    if (own) own.push(c);
    else byTrader.set(c.trader, [c]);
  }
  const share = new Float64Array(size);
  const lastTrader = new Int32Array(size).fill(-1);
  const touched: number[] = [];
  let trader = 0;
  for (const own of byTrader.values()) {
    for (const c of own) {
      const path = leafOf.get(c.hs6) ?? [];
      const partner = colOf.get(c.partner) ?? 0;
      for (const row of path) {
        // the total column, then the partner's (the same one when the partner is unknown)
        for (let col = 0; ; col = partner) {
          const key = row * width + col;
          let cell = dense[key];
          if (!cell) {
            cell = {
              row,
              col,
              value: 0,
              netMass: 0,
              supplementary: 0,
              declarations: 0,
              traders: 0,
              top: [],
              status: CellStatus.Published,
              reason: null,
            };
            dense[key] = cell;
            made.push(key);
          }
          cell.value += c.value;
          cell.netMass += c.netMass;
          if (row === path[3]) cell.supplementary += c.supplementary;
          cell.declarations += c.declarations;
          if (lastTrader[key] !== trader) {
            lastTrader[key] = trader;
            share[key] = 0;
            touched.push(key);
          }
          share[key] = (share[key] ?? 0) + c.value;
          if (col === partner) break;
        }
      }
    }
    for (const key of touched) {
      const cell = dense[key];
      if (!cell) continue;
      cell.traders++;
      keepLargest(cell.top, share[key] ?? 0, topSize);
    }
    touched.length = 0;
    trader++;
  }
  const cells = new Map<number, Cell>();
  for (const key of made) {
    const cell = dense[key];
    if (cell) cells.set(key, cell);
  }
  return { key: { flow: first.flow, month: first.month, procedure: first.procedure }, rows, cols, cells };
}

/** Puts `value` among `top` (largest first) when it is one of the `n` largest. */
function keepLargest(top: number[], value: number, n: number): void {
  let at = top.length;
  while (at > 0 && (top[at - 1] ?? 0) < value) at--;
  if (at >= n) return;
  top.splice(at, 0, value);
  if (top.length > n) top.pop();
}
