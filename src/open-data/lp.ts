/**
 * A small dense two-phase simplex (Bland's rule, so it never cycles) for the attacker's interval
 * bounds: maximise c·x subject to A x = b and x >= 0. Exact enough for tables of a few hundred
 * suppressed cells; it is the attacker's tool, not the suppression's.
 */
export type LpResult =
  { status: 'optimal'; value: number } | { status: 'unbounded' } | { status: 'infeasible' };

const eps = 1e-9;

function pivot(tab: number[][], r: number, j: number): void {
  const row = tab[r] ?? [];
  const p = row[j] ?? 1;
  for (let k = 0; k < row.length; k++) row[k] = (row[k] ?? 0) / p;
  for (let i = 0; i < tab.length; i++) {
    if (i === r) continue;
    const other = tab[i] ?? [];
    const f = other[j] ?? 0;
    if (Math.abs(f) < eps) continue;
    for (let k = 0; k < other.length; k++) other[k] = (other[k] ?? 0) - f * (row[k] ?? 0);
  }
}

/** Minimises the objective in the last row; false when it is unbounded below. */
function run(tab: number[][], basis: number[], allowed: number): boolean {
  const m = basis.length;
  const obj = tab[m] ?? [];
  const rhs = obj.length - 1;
  for (;;) {
    let j = -1;
    for (let k = 0; k < allowed; k++)
      if ((obj[k] ?? 0) < -eps) {
        j = k;
        break;
      }
    if (j < 0) return true;
    let r = -1;
    let best = Infinity;
    for (let i = 0; i < m; i++) {
      const a = tab[i]?.[j] ?? 0;
      if (a <= eps) continue;
      const ratio = (tab[i]?.[rhs] ?? 0) / a;
      if (ratio < best - eps || (Math.abs(ratio - best) <= eps && (basis[i] ?? 0) < (basis[r] ?? 0))) {
        [best, r] = [ratio, i];
      }
    }
    if (r < 0) return false;
    pivot(tab, r, j);
    basis[r] = j;
  }
}

export function maximize(c: number[], A: number[][], b: number[]): LpResult {
  const m = A.length;
  const n = c.length;
  const width = n + m + 1;
  const tab: number[][] = A.map((row, i) => {
    const sign = (b[i] ?? 0) < 0 ? -1 : 1;
    const line = new Array<number>(width).fill(0);
    for (let k = 0; k < n; k++) line[k] = sign * (row[k] ?? 0);
    line[n + i] = 1;
    line[width - 1] = sign * (b[i] ?? 0);
    return line;
  });
  const basis = A.map((_, i) => n + i);
  const phase1 = new Array<number>(width).fill(0);
  for (const line of tab)
    for (let k = 0; k < width; k++)
      if (k < n || k === width - 1) phase1[k] = (phase1[k] ?? 0) - (line[k] ?? 0);
  tab.push(phase1);
  run(tab, basis, n + m);
  if (-(tab[m]?.[width - 1] ?? 0) > 1e-7) return { status: 'infeasible' };
  // artificials left in the basis at zero are pivoted out where a real column can replace them
  for (let i = 0; i < m; i++) {
    if ((basis[i] ?? 0) < n) continue;
    const k = (tab[i] ?? []).findIndex((v, col) => col < n && Math.abs(v) > eps);
    if (k >= 0) {
      pivot(tab, i, k);
      basis[i] = k;
    }
  }
  const obj = new Array<number>(width).fill(0);
  for (let k = 0; k < n; k++) obj[k] = -(c[k] ?? 0);
  for (let i = 0; i < m; i++) {
    const bi = basis[i] ?? 0;
    const cost = bi < n ? -(c[bi] ?? 0) : 0;
    if (cost === 0) continue;
    for (let k = 0; k < width; k++) obj[k] = (obj[k] ?? 0) - cost * (tab[i]?.[k] ?? 0);
  }
  tab[m] = obj;
  if (!run(tab, basis, n)) return { status: 'unbounded' };
  return { status: 'optimal', value: tab[m]?.[width - 1] ?? 0 };
}
