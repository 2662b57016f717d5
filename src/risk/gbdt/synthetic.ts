import type { Dataset } from './dataset.ts';
import { seededRandom } from './random.ts';

/** Labelled synthetic data for tests and benchmarks. */
export interface Labelled {
  data: Dataset;
  labels: Float64Array;
}

export interface SyntheticOptions {
  rows: number;
  /** Features, uniform in [0, 1); at least 2. */
  features: number;
  seed: number;
  /** Share of labels flipped at random. */
  noise: number;
  /** The rule the labels follow (before noise); defaults to x0 > 0.5 xor x1 > 0.3. */
  rule: (row: Float64Array, random: () => number) => boolean;
}

const xorRule = (row: Float64Array): boolean => (row[0] ?? 0) > 0.5 !== (row[1] ?? 0) > 0.3;

/** A builder of random data whose labels follow `rule`, e.g. `aSyntheticDataset({ rows: 2000 })`. */
export function aSyntheticDataset(options: Partial<SyntheticOptions> = {}): Labelled {
  const { rows = 2000, features = 5, seed = 7, noise = 0.05, rule = xorRule } = options;
  const random = seededRandom(seed);
  const columns = Array.from({ length: features }, () => new Float64Array(rows));
  const labels = new Float64Array(rows);
  const row = new Float64Array(features);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < features; f++) row[f] = random();
    const positive = rule(row, random) !== random() < noise;
    labels[i] = positive ? 1 : 0;
    columns.forEach((column, f) => (column[i] = row[f] ?? 0));
  }
  const names = Array.from({ length: features }, (_, f) => `x${f}`);
  return { data: { names, columns, rows }, labels };
}

/** The rows `from..to` of labelled data. */
export function sliceRows(labelled: Labelled, from: number, to: number): Labelled {
  const { data, labels } = labelled;
  return {
    data: { names: data.names, columns: data.columns.map((c) => c.slice(from, to)), rows: to - from },
    labels: labels.slice(from, to),
  };
}
