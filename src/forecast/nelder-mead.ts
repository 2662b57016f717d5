/**
 * Nelder–Mead simplex minimisation: no gradients, robust to the flat and kinked objectives that
 * smoothing parameters give (a penalty outside their bounds is an infinite cost). Standard
 * coefficients (reflection 1, expansion 2, contraction ½, shrink ½).
 */
export interface Minimum {
  x: number[];
  value: number;
  evaluations: number;
}

export function nelderMead(
  f: (x: readonly number[]) => number,
  start: readonly number[],
  options: { step?: number; maxEvaluations?: number; tolerance?: number } = {},
): Minimum {
  const { step = 0.1, maxEvaluations = 200 * start.length, tolerance = 1e-8 } = options;
  const n = start.length;
  let evaluations = 0;
  const cost = (x: number[]) => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const simplex: { x: number[]; value: number }[] = [{ x: [...start], value: cost([...start]) }];
  for (let i = 0; i < n; i++) {
    const x = [...start];
    x[i] = (x[i] ?? 0) + step;
    simplex.push({ x, value: cost(x) });
  }
  const point = (a: readonly number[], b: readonly number[], t: number) =>
    a.map((ai, i) => ai + t * ((b[i] ?? 0) - ai));
  const vertex = (i: number) => simplex[i] ?? { x: [...start], value: Infinity };

  while (evaluations < maxEvaluations) {
    simplex.sort((a, b) => a.value - b.value);
    const best = vertex(0);
    const worst = vertex(n);
    const spread = Math.abs(worst.value - best.value);
    if (spread <= tolerance * (Math.abs(best.value) + tolerance) && Number.isFinite(worst.value)) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) centroid[j] = (centroid[j] ?? 0) + (vertex(i).x[j] ?? 0) / n;
    const reflected = point(centroid, worst.x, -1);
    const reflectedValue = cost(reflected);
    if (reflectedValue < best.value) {
      const expanded = point(centroid, worst.x, -2);
      const expandedValue = cost(expanded);
      simplex[n] =
        expandedValue < reflectedValue
          ? { x: expanded, value: expandedValue }
          : { x: reflected, value: reflectedValue };
    } else if (reflectedValue < vertex(n - 1).value) {
      simplex[n] = { x: reflected, value: reflectedValue };
    } else {
      const outside = reflectedValue < worst.value;
      const contracted = point(centroid, outside ? reflected : worst.x, 0.5);
      const contractedValue = cost(contracted);
      if (contractedValue < (outside ? reflectedValue : worst.value)) {
        simplex[n] = { x: contracted, value: contractedValue };
      } else {
        for (let i = 1; i <= n; i++) {
          const x = point(best.x, vertex(i).x, 0.5);
          simplex[i] = { x, value: cost(x) };
        }
      }
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  const best = vertex(0);
  return { x: best.x, value: best.value, evaluations };
}
