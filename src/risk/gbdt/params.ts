/** Settings of the boosting run; see `defaultParams`. */
export interface GbdtParams {
  /** Boosting rounds (trees) at most. */
  trees: number;
  /** Shrinkage applied to every leaf value. */
  learningRate: number;
  /** Leaves per tree at most (trees grow leaf-wise, best gain first). */
  maxLeaves: number;
  /** Depth of a leaf at most; the root is depth 0. */
  maxDepth: number;
  /** Hessian sum a child needs at least. */
  minChildWeight: number;
  /** Sampled rows a child needs at least. */
  minSamplesLeaf: number;
  /** L2 regularisation of leaf values. */
  l2: number;
  /** Value bins per feature at most (2..255); missing values get one more bin. */
  bins: number;
  /** Share of rows sampled for each tree, in (0, 1]. */
  subsample: number;
  /** Share of features sampled for each tree, in (0, 1]. */
  colsample: number;
  /** Seed of the sampling; equal seeds give equal models. */
  seed: number;
  /** Stop when validation log-loss has not improved for this many rounds (needs `valid`). */
  earlyStoppingRounds?: number;
}

export const defaultParams: GbdtParams = {
  trees: 300,
  learningRate: 0.05,
  maxLeaves: 31,
  maxDepth: 6,
  minChildWeight: 1,
  minSamplesLeaf: 20,
  l2: 1,
  bins: 255,
  subsample: 0.8,
  colsample: 0.8,
  seed: 1,
};

type Check = [keyof GbdtParams, (value: number) => boolean, string];

const checks: Check[] = [
  ['trees', (v) => Number.isInteger(v) && v >= 1, 'a whole number >= 1'],
  ['learningRate', (v) => v > 0 && v <= 1, 'in (0, 1]'],
  ['maxLeaves', (v) => Number.isInteger(v) && v >= 2, 'a whole number >= 2'],
  ['maxDepth', (v) => Number.isInteger(v) && v >= 1, 'a whole number >= 1'],
  ['minChildWeight', (v) => v >= 0, '>= 0'],
  ['minSamplesLeaf', (v) => Number.isInteger(v) && v >= 1, 'a whole number >= 1'],
  ['l2', (v) => v >= 0, '>= 0'],
  ['bins', (v) => Number.isInteger(v) && v >= 2 && v <= 255, 'a whole number in 2..255'],
  ['subsample', (v) => v > 0 && v <= 1, 'in (0, 1]'],
  ['colsample', (v) => v > 0 && v <= 1, 'in (0, 1]'],
  ['seed', (v) => Number.isInteger(v), 'a whole number'],
  ['earlyStoppingRounds', (v) => Number.isInteger(v) && v >= 1, 'a whole number >= 1'],
];

/** Fills in defaults and throws on a setting out of range. */
export function resolveParams(partial: Partial<GbdtParams> = {}): GbdtParams {
  const params: GbdtParams = { ...defaultParams };
  const known = new Set<string>(checks.map(([key]) => key));
  for (const [key, value] of Object.entries(partial)) {
    if (!known.has(key)) throw new Error(`unknown gbdt parameter ${key}`);
    if (value !== undefined) Object.assign(params, { [key]: value });
  }
  for (const [key, valid, expected] of checks) {
    const value = params[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || Number.isNaN(value) || !valid(value)) {
      throw new Error(`gbdt parameter ${key} is ${String(value)}, expected ${expected}`);
    }
  }
  return params;
}
