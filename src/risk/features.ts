/**
 * Features for the learned risk model. Categorical fields of any cardinality (trader, declarant,
 * seller, HS code, countries, national codes) become target statistics: the smoothed fraud rate
 * of the declarations seen before this one in time, and how many there were. Training rows see
 * only their past (ordered target statistics, as in CatBoost), so a row's own label never leaks
 * into its features; scoring uses everything learned in training. Numeric features describe the
 * value, mass, unit value against the HS6 median, duty and timing.
 */
import type { DeclarationInput, GoodsItem } from '../declarations/model.ts';
import type { Dataset } from './gbdt/index.ts';

export interface Labelled {
  declaration: DeclarationInput;
  /** 1 when a control found an irregularity. */
  fraud: number;
  /** 1 when it was critical. */
  critical: number;
}

type Accessor = (d: DeclarationInput, main: GoodsItem) => string | undefined;

/** The categorical fields, by name. Pairs capture habits (a trader's usual goods, a route). */
const categorical: [string, Accessor][] = [
  ['trader', (d) => d.trader],
  ['declarant', (d) => d.declarant],
  ['seller', (d) => d.seller],
  ['courier', (d) => d.courier],
  ['hs6', (_, i) => i.hsCode.slice(0, 6)],
  ['hs4', (_, i) => i.hsCode.slice(0, 4)],
  ['hs2', (_, i) => i.hsCode.slice(0, 2)],
  ['office', (d) => d.office],
  ['processingMode', (d) => d.processingMode],
  ['procedure', (d) => d.procedure],
  ['additionalProcedure', (d) => d.additionalProcedure],
  ['paymentMethod', (d) => d.paymentMethod],
  ['transportMode', (d) => d.transportMode],
  ['dutyTaxType', (_, i) => i.dutyTaxType],
  ['originIndicator', (_, i) => i.originIndicator],
  ['dispatchCountry', (d) => d.dispatchCountry],
  ['originCountry', (d, i) => i.originCountry ?? d.originCountry],
  ['trader×hs6', (d, i) => `${d.trader}|${i.hsCode.slice(0, 6)}`],
  ['origin×hs6', (d, i) => `${i.originCountry ?? d.originCountry}|${i.hsCode.slice(0, 6)}`],
  ['declarant×trader', (d) => `${d.declarant}|${d.trader}`],
  ['seller×trader', (d) => (d.seller ? `${d.seller}|${d.trader}` : undefined)],
];

const numericNames = [
  'logValue',
  'logMass',
  'logUnitValue',
  'unitValueVsHs6',
  'dutyRate',
  'logDuty',
  'items',
  'month',
  'weekday',
];

export const featureNames: readonly string[] = [
  ...numericNames,
  ...categorical.flatMap(([name]) => [`${name}:rate`, `${name}:count`]),
];

/** Smoothing of target statistics: this many pseudo-observations at the prior rate. */
const smoothing = 5;

/** Per category value: the sum of labels and the count of declarations seen. */
type CategoryStats = Map<string, { sum: number; count: number }>;

export interface SerializedEncoder {
  prior: number;
  hs6LogUnitValue: [string, number][];
  categories: { name: string; keys: string[]; sums: number[]; counts: number[] }[];
}

/** The item that carries the declaration: the one of highest value. */
function mainItem(d: DeclarationInput): GoodsItem {
  let best = d.items[0];
  for (const item of d.items) if (best === undefined || item.value > best.value) best = item;
  if (!best) throw new Error('a declaration without items cannot be scored');
  return best;
}

function numeric(
  d: DeclarationInput,
  main: GoodsItem,
  medians: Map<string, number>,
  out: Float64Array,
): void {
  let value = 0;
  let mass = 0;
  let duty = 0;
  for (const item of d.items) {
    value += item.value;
    mass += item.netMass ?? 0;
    duty += (item.value * (item.dutyRate ?? 0)) / 100;
  }
  const unitValue = mass > 0 && value > 0 ? Math.log(value / mass) : NaN;
  const median = medians.get(main.hsCode.slice(0, 6));
  out[0] = Math.log1p(value);
  out[1] = Math.log1p(mass);
  out[2] = unitValue;
  out[3] = median === undefined ? NaN : unitValue - median;
  out[4] = main.dutyRate ?? NaN;
  out[5] = Math.log1p(duty);
  out[6] = d.items.length;
  out[7] = Number(d.date.slice(5, 7));
  out[8] = weekday(d.date);
}

const monthOffsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];

/** Day of the week of a YYYY-MM-DD date, 0 = Sunday (Sakamoto's method, no Date object). */
export function weekday(date: string): number {
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const year = Number(date.slice(0, 4)) - (month < 3 ? 1 : 0);
  const offset = monthOffsets[month - 1] ?? 0;
  return (year + Math.floor(year / 4) - Math.floor(year / 100) + Math.floor(year / 400) + offset + day) % 7;
}

export class FeatureEncoder {
  private constructor(
    private readonly prior: number,
    private readonly medians: Map<string, number>,
    private readonly stats: CategoryStats[],
  ) {}

  /**
   * Learns the encoder from labelled declarations in time order and returns the training matrix,
   * where each row's statistics come only from the rows before it.
   */
  static fit(rows: readonly Labelled[]): { encoder: FeatureEncoder; data: Dataset } {
    const order = rows.map((_, i) => i).sort((a, b) => compareDates(rows[a], rows[b]) || a - b);
    const prior = rows.reduce((s, r) => s + r.fraud, 0) / Math.max(1, rows.length);
    const encoder = new FeatureEncoder(
      prior,
      hs6Medians(rows),
      categorical.map((): CategoryStats => new Map()),
    );
    const data = emptyDataset(rows.length);
    const row = new Float64Array(featureNames.length);
    for (const i of order) {
      const labelled = rows[i];
      if (!labelled) continue;
      encoder.encodeInto(labelled.declaration, row);
      for (let f = 0; f < row.length; f++) (data.columns[f] as Float64Array)[i] = row[f] ?? NaN;
      encoder.learn(labelled.declaration, labelled.fraud);
    }
    return { encoder, data };
  }

  static fromJSON(json: SerializedEncoder): FeatureEncoder {
    if (
      json.categories.length !== categorical.length ||
      json.categories.some((c, i) => c.name !== categorical[i]?.[0])
    ) {
      throw new Error(
        `the model's categorical features (${json.categories.map((c) => c.name).join(', ')}) are not the ones this version computes`,
      );
    }
    const stats = json.categories.map(
      (c): CategoryStats =>
        new Map(c.keys.map((k, j) => [k, { sum: c.sums[j] ?? 0, count: c.counts[j] ?? 0 }])),
    );
    return new FeatureEncoder(json.prior, new Map(json.hs6LogUnitValue), stats);
  }

  toJSON(): SerializedEncoder {
    return {
      prior: this.prior,
      hs6LogUnitValue: [...this.medians],
      categories: categorical.map(([name], i) => {
        const entries = [...(this.stats[i] ?? new Map()).entries()];
        return {
          name,
          keys: entries.map(([k]) => k),
          sums: entries.map(([, v]) => v.sum),
          counts: entries.map(([, v]) => v.count),
        };
      }),
    };
  }

  /** The feature row of a declaration, in `featureNames` order. */
  encode(d: DeclarationInput): Float64Array {
    const row = new Float64Array(featureNames.length);
    this.encodeInto(d, row);
    return row;
  }

  encodeMany(declarations: readonly DeclarationInput[]): Dataset {
    const data = emptyDataset(declarations.length);
    const row = new Float64Array(featureNames.length);
    declarations.forEach((d, i) => {
      this.encodeInto(d, row);
      for (let f = 0; f < row.length; f++) (data.columns[f] as Float64Array)[i] = row[f] ?? NaN;
    });
    return data;
  }

  private encodeInto(d: DeclarationInput, out: Float64Array): void {
    const main = mainItem(d);
    numeric(d, main, this.medians, out);
    let f = numericNames.length;
    for (let c = 0; c < categorical.length; c++) {
      const key = (categorical[c] as [string, Accessor])[1](d, main);
      if (key === undefined) {
        out[f++] = NaN;
        out[f++] = NaN;
        continue;
      }
      const seen = (this.stats[c] as CategoryStats).get(key);
      const count = seen?.count ?? 0;
      out[f++] = ((seen?.sum ?? 0) + smoothing * this.prior) / (count + smoothing);
      out[f++] = Math.log1p(count);
    }
  }

  private learn(d: DeclarationInput, fraud: number): void {
    const main = mainItem(d);
    for (let c = 0; c < categorical.length; c++) {
      const key = (categorical[c] as [string, Accessor])[1](d, main);
      if (key === undefined) continue;
      const stats = this.stats[c] as CategoryStats;
      const seen = stats.get(key);
      if (seen) {
        seen.count++;
        seen.sum += fraud;
      } else stats.set(key, { sum: fraud, count: 1 });
    }
  }
}

function compareDates(a: Labelled | undefined, b: Labelled | undefined): number {
  const x = a?.declaration.date ?? '';
  const y = b?.declaration.date ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function hs6Medians(rows: readonly Labelled[]): Map<string, number> {
  const values = new Map<string, number[]>();
  for (const { declaration: d } of rows) {
    const main = mainItem(d);
    if (!main.netMass || main.netMass <= 0 || main.value <= 0) continue;
    const hs6 = main.hsCode.slice(0, 6);
    const list = values.get(hs6) ?? [];
    list.push(Math.log(main.value / main.netMass));
    values.set(hs6, list);
  }
  const medians = new Map<string, number>();
  for (const [hs6, list] of values) {
    if (list.length < 5) continue;
    list.sort((a, b) => a - b);
    medians.set(hs6, list[Math.floor(list.length / 2)] ?? NaN);
  }
  return medians;
}

function emptyDataset(rows: number): Dataset {
  return { names: [...featureNames], columns: featureNames.map(() => new Float64Array(rows)), rows };
}
