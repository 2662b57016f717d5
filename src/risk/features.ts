/**
 * Features for the learned risk model. Categorical fields of any cardinality (trader, declarant,
 * seller, HS code, countries, national codes) become target statistics: the smoothed fraud rate
 * of the declarations seen before this one in time, and how many there were. Training rows see
 * only their past (ordered target statistics, as in CatBoost), so a row's own label never leaks
 * into its features; scoring uses everything learned in training. Numeric features describe the
 * value, mass, unit value against the HS6 median, duty and timing. The last features come from
 * outside the declaration (`RowExtras`): the mirror figures of an import matched to partners' export
 * records (ADR 0024), its value, quantity and mass ratios and whether an HS6 or an origin differs.
 * New features are appended, so that an older model's positions hold.
 */
import type { DeclarationInput, GoodsItem } from '../declarations/model.ts';
import { codesByRate } from './category-codes.ts';
import type { Dataset } from './gbdt/index.ts';

/**
 * What a row needs beyond the declaration: figures Clearway holds about it from elsewhere, given by
 * the caller (the indicators at lodging, exchange_matches in batches and training data).
 */
export interface RowExtras {
  /**
   * The import's customs value ÷ the partner's export value after the freight margin, the lowest
   * over its matches (ADR 0024); absent or NaN without a match whose values are comparable.
   */
  mirrorValueRatio?: number;
  /**
   * The quantity on the import ÷ on the partners' exports of the HS6 pool farthest from 1 either way
   * (ADR 0024); absent or NaN when no pool's quantities compare (or without a match).
   */
  mirrorQuantityRatio?: number;
  /** The net mass on the import ÷ on the exports, likewise. */
  mirrorMassRatio?: number;
  /** 1 when any item's HS6 differs from its export item's, 0 when none does; absent or NaN without a match. */
  mirrorHsMismatch?: number;
  /** 1 when any item's origin differs from its export item's, 0 when none does; absent or NaN without a match. */
  mirrorOriginMismatch?: number;
  /**
   * The lowest, over the items with a description, of the confidence the classification aid gives
   * the declared heading (risk/described.ts); absent or NaN without descriptions or without the aid.
   */
  descriptionAgreement?: number;
  /** How many discrepancies the reviews of the declaration's read documents found (documents/review.ts); 0 when none. */
  documentDiscrepancies?: number;
}

export interface Labelled {
  declaration: DeclarationInput;
  /** 1 when a control found an irregularity. */
  fraud: number;
  /** 1 when it was critical. */
  critical: number;
  /** What the row has from outside the declaration (none for a labelled file's rows). */
  extras?: RowExtras;
}

/** The categorical fields, by name; each is also a category of its own. */
const fieldNames = [
  'trader',
  'declarant',
  'seller',
  'courier',
  'hs6',
  'hs4',
  'hs2',
  'office',
  'processingMode',
  'procedure',
  'additionalProcedure',
  'paymentMethod',
  'transportMode',
  'dutyTaxType',
  'originIndicator',
  'dispatchCountry',
  'originCountry',
];

/** Positions in `fieldNames` of the fields that pairs join. */
const [trader, declarant, seller, hs6Field, origin] = [0, 1, 2, 4, 16];
/** Positions of the HS4 and HS2 fields, which are prefixes of the HS6 field. */
const [hs4Field, hs2Field] = [5, 6];

/** Reads the categorical fields of a declaration, in `fieldNames` order, but for HS4 and HS2. */
function readFields(d: DeclarationInput, main: GoodsItem, hs6: string, out: (string | undefined)[]): void {
  out[0] = d.trader;
  out[1] = d.declarant;
  out[2] = d.seller;
  out[3] = d.courier;
  out[4] = hs6;
  out[7] = d.office;
  out[8] = d.processingMode;
  out[9] = d.procedure;
  out[10] = d.additionalProcedure;
  out[11] = d.paymentMethod;
  out[12] = d.transportMode;
  out[13] = main.dutyTaxType;
  out[14] = main.originIndicator;
  out[15] = d.dispatchCountry;
  out[16] = main.originCountry ?? d.originCountry;
}

/** Reads the HS4 and HS2 fields. */
function readPrefixes(main: GoodsItem, out: (string | undefined)[]): void {
  out[hs4Field] = main.hsCode.slice(0, 4);
  out[hs2Field] = main.hsCode.slice(0, 2);
}

/**
 * A pair of fields, whose value `first|second` captures a habit (a trader's usual goods, a route).
 * A missing part is spelled "undefined", except that an `optional` pair is missing when its first
 * field is missing or empty.
 */
interface Pair {
  name: string;
  first: number;
  second: number;
  optional: boolean;
}

const pairs: Pair[] = [
  { name: 'trader×hs6', first: trader, second: hs6Field, optional: false },
  { name: 'origin×hs6', first: origin, second: hs6Field, optional: false },
  { name: 'declarant×trader', first: declarant, second: trader, optional: false },
  { name: 'seller×trader', first: seller, second: trader, optional: true },
];

const categoryNames = [...fieldNames, ...pairs.map((p) => p.name)];

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

/**
 * Features from `RowExtras`, after every other, in the order they were added: a model trained before
 * some of them keeps its positions (and reads those after its own as features it never uses).
 */
const extraNames = [
  'mirrorValueRatio',
  'mirrorQuantityRatio',
  'mirrorMassRatio',
  'mirrorHsMismatch',
  'mirrorOriginMismatch',
  'descriptionAgreement',
  'documentDiscrepancies',
] as const satisfies readonly (keyof RowExtras)[];
/**
 * The fields of few values that also get a code by fraud rate (category-codes.ts), appended after
 * the extras: positions in `fieldNames`.
 */
const codedFields: readonly number[] = [
  'office',
  'processingMode',
  'procedure',
  'additionalProcedure',
  'paymentMethod',
  'transportMode',
  'dutyTaxType',
  'originIndicator',
  'courier',
  'dispatchCountry',
  'originCountry',
  'hs2',
].map((name) => fieldNames.indexOf(name));
const codeNames = codedFields.map((f) => `${fieldNames[f]}:code`);

/** The features appended since models were first stored: a stored model may lack these, at the end. */
export const appendedFeatures: readonly string[] = [...extraNames, ...codeNames];

export const featureNames: readonly string[] = [
  ...numericNames,
  ...categoryNames.flatMap((name) => [`${name}:rate`, `${name}:count`]),
  ...extraNames,
  ...codeNames,
];

/** Position of the first extra feature in a row. */
const extrasAt = numericNames.length + 2 * categoryNames.length;

/** Position of the first code feature in a row. */
const codesAt = extrasAt + extraNames.length;

/** Writes the features of `RowExtras` at the end of a row (NaN for those not given). */
function putExtras(extras: RowExtras | undefined, out: Float64Array): void {
  extraNames.forEach((name, k) => (out[extrasAt + k] = extras?.[name] ?? NaN));
}

/** Smoothing of target statistics: this many pseudo-observations at the prior rate. */
const smoothing = 5;

/** Per category value: the sum of labels and the count of declarations seen. */
type CategoryStats = Map<string, { sum: number; count: number }>;

export interface SerializedEncoder {
  prior: number;
  hs6LogUnitValue: [string, number][];
  categories: { name: string; keys: string[]; sums: number[]; counts: number[] }[];
  /**
   * How pair keys are spelled: `json`, a JSON array of the two values (null for a missing one);
   * absent in models written before, whose keys joined the values with `|`.
   */
  pairKeys?: 'json';
}

/** A pair's two values, as one key no other two values share. */
export const pairKeyOf = (first: string | undefined, second: string | undefined): string =>
  JSON.stringify([first ?? null, second ?? null]);

/**
 * The values a stored pair key may stand for: exactly one pair for a JSON key; for a key joined
 * with `|` (older models), every split of it, as those models were read.
 */
function pairsOfKey(key: string, json: boolean): [string | null, string | null][] {
  if (json) {
    const parsed: unknown = JSON.parse(key);
    const part = (v: unknown) => (typeof v === 'string' ? v : null);
    if (!Array.isArray(parsed) || parsed.length !== 2) throw new Error(`pair key ${key} is not two values`);
    return [[part(parsed[0]), part(parsed[1])]];
  }
  const splits: [string, string][] = [];
  for (let at = key.indexOf('|'); at >= 0; at = key.indexOf('|', at + 1))
    splits.push([key.slice(0, at), key.slice(at + 1)]);
  return splits;
}

/** The item that carries the declaration: the one of highest value. */
export function mainItem(d: DeclarationInput): GoodsItem {
  let best = d.items[0];
  for (const item of d.items) if (best === undefined || item.value > best.value) best = item;
  if (!best) throw new Error('a declaration without items cannot be scored');
  return best;
}

/** The number written in `text` from `start` to `end`, as `Number(text.slice(start, end))`. */
function digits(text: string, start: number, end: number): number {
  if (end > text.length) return Number(text.slice(start, end));
  let n = 0;
  for (let at = start; at < end; at++) {
    const digit = text.charCodeAt(at) - 48;
    if (!(digit >= 0 && digit <= 9)) return Number(text.slice(start, end));
    n = n * 10 + digit;
  }
  return n;
}

/** A declaration's value, net mass and duty over its items, and its unit value (NaN without both). */
export function declarationTotals(d: DeclarationInput): {
  value: number;
  mass: number;
  duty: number;
  unitValue: number;
} {
  let value = 0;
  let mass = 0;
  let duty = 0;
  for (const item of d.items) {
    value += item.value;
    mass += item.netMass ?? 0;
    duty += (item.value * (item.dutyRate ?? 0)) / 100;
  }
  return { value, mass, duty, unitValue: mass > 0 && value > 0 ? value / mass : NaN };
}

function numeric(d: DeclarationInput, main: GoodsItem, median: number | undefined, out: Float64Array): void {
  const { value, mass, duty, unitValue: perKg } = declarationTotals(d);
  const unitValue = Math.log(perKg);
  out[0] = Math.log1p(value);
  out[1] = Math.log1p(mass);
  out[2] = unitValue;
  out[3] = median === undefined ? NaN : unitValue - median;
  out[4] = main.dutyRate ?? NaN;
  out[5] = Math.log1p(duty);
  out[6] = d.items.length;
  out[7] = digits(d.date, 5, 7);
  out[8] = weekday(d.date);
}

const monthOffsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];

/** Day of the week of a YYYY-MM-DD date, 0 = Sunday (Sakamoto's method, no Date object). */
export function weekday(date: string): number {
  const month = digits(date, 5, 7);
  const day = digits(date, 8, 10);
  const year = digits(date, 0, 4) - (month < 3 ? 1 : 0);
  const offset = monthOffsets[month - 1] ?? 0;
  return (year + Math.floor(year / 4) - Math.floor(year / 100) + Math.floor(year / 400) + offset + day) % 7;
}

/** A pair's key from its fields' values, or undefined when the pair is missing. */
function pairKey(pair: Pair, fields: readonly (string | undefined)[]): string | undefined {
  const first = fields[pair.first];
  if (pair.optional && !first) return undefined;
  return pairKeyOf(first, fields[pair.second]);
}

/**
 * The statistics of a pair category by the ids of its two parts: for each first id, the second ids
 * it was seen with, sorted, and where `encodings` holds each pair's rate and count.
 */
class PairIndex {
  /** The pairs of first id f are at `start[f]` up to `start[f + 1]`. */
  private readonly start: Int32Array;
  private readonly second: Int32Array;
  private readonly encoding: Int32Array;

  constructor(firstIds: number, entries: readonly (readonly [number, number, number])[]) {
    const sorted = [...entries].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    this.start = new Int32Array(firstIds + 1);
    for (const [first] of sorted) this.start[first + 1] = (this.start[first + 1] ?? 0) + 1;
    for (let f = 0; f < firstIds; f++) this.start[f + 1] = (this.start[f + 1] ?? 0) + (this.start[f] ?? 0);
    this.second = Int32Array.from(sorted, ([, second]) => second);
    this.encoding = Int32Array.from(sorted, ([, , encoding]) => encoding);
  }

  /** Where `encodings` holds the statistics of the pair (first, second), or -1 when it was never seen. */
  find(first: number, second: number): number {
    let low = this.start[first] ?? 0;
    let high = this.start[first + 1] ?? 0;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const found = this.second[middle] ?? 0;
      if (found === second) return this.encoding[middle] ?? -1;
      if (found < second) low = middle + 1;
      else high = middle;
    }
    return -1;
  }
}

/** A hash of a string's characters (FNV-1a), as a 32-bit integer. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash;
}

/**
 * Strings to ids in flat arrays, so that a lookup reads one slot instead of a Map's bucket, entry
 * and key string: open addressing with linear probing on a hash of the characters, each slot
 * holding the key's hash, id (-1 when empty), length and characters.
 */
class StringIds {
  private readonly words: Int32Array;
  private readonly chars: Uint16Array;
  /** Words per slot: three, then the characters two to a word, rounded up to a power of two. */
  private readonly stride: number;
  private readonly shift: number;
  private readonly longest: number;

  constructor(ids: ReadonlyMap<string, number>) {
    this.longest = Math.max(0, ...[...ids.keys()].map((key) => key.length));
    this.stride = 2 ** Math.ceil(Math.log2(3 + Math.ceil(this.longest / 2)));
    let bits = 1;
    while (1 << bits < 2 * ids.size) bits++;
    this.shift = 32 - bits;
    this.words = new Int32Array(this.stride << bits);
    this.chars = new Uint16Array(this.words.buffer);
    for (let at = 1; at < this.words.length; at += this.stride) this.words[at] = -1;
    for (const [key, id] of ids) {
      let at = this.home(hashOf(key));
      while (this.words[at + 1] !== -1) at = (at + this.stride) % this.words.length;
      this.words.set([hashOf(key), id, key.length], at);
      for (let i = 0; i < key.length; i++) this.chars[2 * (at + 3) + i] = key.charCodeAt(i);
    }
  }

  private home(hash: number): number {
    return (Math.imul(hash, 0x9e3779b1) >>> this.shift) * this.stride;
  }

  /** The id of `key`, or -1 when it has none. */
  get(key: string): number {
    if (key.length > this.longest) return -1;
    const { words, stride } = this;
    const hash = hashOf(key);
    for (let at = this.home(hash); ; at = (at + stride) & (words.length - 1)) {
      const id = words[at + 1] ?? -1;
      if (id === -1) return -1;
      if (words[at] === hash && words[at + 2] === key.length && this.holds(at, key)) return id;
    }
  }

  private holds(at: number, key: string): boolean {
    const { chars } = this;
    for (let i = 0, c = 2 * (at + 3); i < key.length; i++, c++)
      if (chars[c] !== key.charCodeAt(i)) return false;
    return true;
  }
}

/**
 * The encoded statistics learned in training, laid out for scoring: every value a field takes in
 * training has an id, per field; a single category finds its value's statistics by id, a pair by
 * the ids of its two parts, so that scoring never joins strings (a missing part has an id of its
 * own, after those of the field's values). Statistics are shared by all values with the same sum
 * and count, which keeps the tables small.
 */
class ScoringTables {
  /** Per field: the id of each value seen in training, alone or as part of a pair. */
  readonly ids: StringIds[];
  /** Per field and id: where `encodings` holds the value's statistics as a single category. */
  readonly singles: Int32Array[];
  /** Per pair: where `encodings` holds a pair's statistics, by the ids of its parts. */
  readonly pairs: PairIndex[];
  /** Per field: the id of a missing value as a pair part. */
  readonly missingIds: Int32Array;
  /** Rate and log1p(count) of each distinct sum and count; encoding 0 is a value never seen. */
  readonly encodings: Float64Array;
  /** Per hs6 id: the HS6 median log unit value, NaN when there is none. */
  readonly hs6Medians: Float64Array;
  /** Per hs6 id: the ids of its first four and first two characters as HS4 and HS2 (-1 when unseen). */
  readonly hsPrefixes: Int32Array;
  /** Per coded field (in `codedFields` order) and id: the value's code, NaN when it has none. */
  readonly codes: Float64Array[];

  constructor(
    prior: number,
    medians: Map<string, number>,
    stats: readonly CategoryStats[],
    jsonKeys: boolean,
  ) {
    const encodings = new Map<string, number>();
    const values: number[] = [];
    const encode = (sum: number, count: number): number => {
      const key = `${sum}/${count}`;
      let at = encodings.get(key);
      if (at === undefined) {
        encodings.set(key, (at = encodings.size));
        values.push((sum + smoothing * prior) / (count + smoothing), Math.log1p(count));
      }
      return at;
    };
    encode(0, 0);
    const ids = fieldNames.map(
      (_, f) => new Map([...(stats[f] ?? new Map()).keys()].map((key, id) => [key, id])),
    );
    const idOf = (f: number, value: string) => {
      const known = ids[f] as Map<string, number>;
      let id = known.get(value);
      if (id === undefined) known.set(value, (id = known.size));
      return id;
    };
    const pairEntries = pairs.map((pair, p) => {
      const entries: [string | null, string | null, number][] = [];
      for (const [key, { sum, count }] of stats[fieldNames.length + p] ?? []) {
        const encoding = encode(sum, count);
        for (const [first, second] of pairsOfKey(key, jsonKeys)) {
          if (first !== null) idOf(pair.first, first);
          if (second !== null) idOf(pair.second, second);
          entries.push([first, second, encoding]);
        }
      }
      return entries;
    });
    // every value has its id now: a missing part takes the next one
    this.missingIds = Int32Array.from(ids, (known) => known.size);
    const partId = (f: number, value: string | null) =>
      value === null ? (this.missingIds[f] ?? -1) : (ids[f]?.get(value) ?? -1);
    this.singles = ids.map((known, f) =>
      Int32Array.from(known.keys(), (key) => {
        const seen = stats[f]?.get(key);
        return seen ? encode(seen.sum, seen.count) : 0;
      }),
    );
    this.pairs = pairs.map(
      (pair, p) =>
        new PairIndex(
          (ids[pair.first]?.size ?? 0) + 1,
          (pairEntries[p] ?? []).map(([first, second, encoding]) => [
            partId(pair.first, first),
            partId(pair.second, second),
            encoding,
          ]),
        ),
    );
    this.encodings = Float64Array.from(values);
    this.codes = codedFields.map((f) => {
      const codes = codesByRate(stats[f] ?? new Map(), prior, smoothing);
      return Float64Array.from(ids[f]?.keys() ?? [], (key) => codes.get(key) ?? NaN);
    });
    this.ids = ids.map((known) => new StringIds(known));
    const hs6Ids = ids[hs6Field] ?? new Map<string, number>();
    this.hs6Medians = new Float64Array(hs6Ids.size).fill(NaN);
    this.hsPrefixes = new Int32Array(2 * hs6Ids.size);
    for (const [key, id] of hs6Ids) {
      this.hs6Medians[id] = medians.get(key) ?? NaN;
      this.hsPrefixes[2 * id] = ids[hs4Field]?.get(key.slice(0, 4)) ?? -1;
      this.hsPrefixes[2 * id + 1] = ids[hs2Field]?.get(key.slice(0, 2)) ?? -1;
    }
  }
}

/** Marks a field value that is missing, and one that training never saw. */
const missing = -2;
const unknown = -1;

function emptyDataset(rows: number): Dataset {
  return { names: [...featureNames], columns: featureNames.map(() => new Float64Array(rows)), rows };
}

/** Copies a feature row into row i of column-major data. */
function putRow(row: Float64Array, data: Dataset, i: number): void {
  for (let f = 0; f < row.length; f++) (data.columns[f] as Float64Array)[i] = row[f] ?? NaN;
}

export class FeatureEncoder {
  private readonly tables: ScoringTables;
  /** Scratch: the field values and their ids of the declaration being encoded. */
  private readonly fields: (string | undefined)[] = fieldNames.map(() => undefined);
  private readonly fieldIds = new Int32Array(fieldNames.length);

  private constructor(
    private readonly prior: number,
    private readonly medians: Map<string, number>,
    private readonly stats: CategoryStats[],
    /** Pair keys are JSON arrays; false for an encoder read from an older model (keys joined with `|`). */
    private readonly jsonKeys = true,
  ) {
    this.tables = new ScoringTables(prior, medians, stats, jsonKeys);
  }

  /**
   * Learns the encoder from labelled declarations in time order and returns the training matrix,
   * where each row's statistics come only from the rows before it.
   */
  static fit(rows: readonly Labelled[]): { encoder: FeatureEncoder; data: Dataset } {
    const order = rows.map((_, i) => i).sort((a, b) => compareDates(rows[a], rows[b]) || a - b);
    const prior = rows.reduce((s, r) => s + r.fraud, 0) / Math.max(1, rows.length);
    const medians = hs6Medians(rows);
    const stats = categoryNames.map((): CategoryStats => new Map());
    const data = emptyDataset(rows.length);
    const row = new Float64Array(featureNames.length);
    const fields: (string | undefined)[] = [];
    // the values of the coded fields, row by row: their codes are known only once all are counted
    const coded = codedFields.map((): (string | undefined)[] => new Array<string | undefined>(rows.length));
    for (const i of order) {
      const labelled = rows[i];
      if (!labelled) continue;
      const d = labelled.declaration;
      const main = mainItem(d);
      const hs6 = main.hsCode.slice(0, 6);
      numeric(d, main, medians.get(hs6), row);
      readFields(d, main, hs6, fields);
      readPrefixes(main, fields);
      codedFields.forEach((field, k) => ((coded[k] as (string | undefined)[])[i] = fields[field]));
      for (let c = 0, f = numericNames.length; c < categoryNames.length; c++, f += 2) {
        const pair = pairs[c - fieldNames.length];
        const key = pair ? pairKey(pair, fields) : fields[c];
        if (key === undefined) {
          row[f] = row[f + 1] = NaN;
          continue;
        }
        const category = stats[c] as CategoryStats;
        const seen = category.get(key);
        const count = seen?.count ?? 0;
        row[f] = ((seen?.sum ?? 0) + smoothing * prior) / (count + smoothing);
        row[f + 1] = Math.log1p(count);
        if (seen) {
          seen.count++;
          seen.sum += labelled.fraud;
        } else category.set(key, { sum: labelled.fraud, count: 1 });
      }
      putExtras(labelled.extras, row);
      putRow(row, data, i);
    }
    const encoder = new FeatureEncoder(prior, medians, stats);
    encoder.putCodes(coded, data);
    return { encoder, data };
  }

  /**
   * Writes the code features of every training row, which depend on all of training
   * (category-codes.ts), from each row's values of the coded fields: `coded[k][i]` is row i's value
   * of `codedFields[k]`.
   */
  private putCodes(coded: readonly (readonly (string | undefined)[])[], data: Dataset): void {
    const { ids, codes } = this.tables;
    codedFields.forEach((field, k) => {
      const column = data.columns[codesAt + k] ?? new Float64Array(0);
      const known = ids[field];
      const codeOf = codes[k] ?? new Float64Array(0);
      const values = coded[k] ?? [];
      for (let i = 0; i < column.length; i++) {
        const value = values[i];
        const id = value === undefined || known === undefined ? -1 : known.get(value);
        column[i] = id >= 0 ? (codeOf[id] ?? NaN) : NaN;
      }
    });
  }

  static fromJSON(json: SerializedEncoder): FeatureEncoder {
    if (
      json.categories.length !== categoryNames.length ||
      json.categories.some((c, i) => c.name !== categoryNames[i])
    ) {
      throw new Error(
        `the model's categorical features (${json.categories.map((c) => c.name).join(', ')}) are not the ones this version computes`,
      );
    }
    const stats = json.categories.map(
      (c): CategoryStats =>
        new Map(c.keys.map((k, j) => [k, { sum: c.sums[j] ?? 0, count: c.counts[j] ?? 0 }])),
    );
    return new FeatureEncoder(json.prior, new Map(json.hs6LogUnitValue), stats, json.pairKeys === 'json');
  }

  toJSON(): SerializedEncoder {
    return {
      prior: this.prior,
      hs6LogUnitValue: [...this.medians],
      categories: categoryNames.map((name, i) => {
        const entries = [...(this.stats[i] ?? new Map()).entries()];
        return {
          name,
          keys: entries.map(([k]) => k),
          sums: entries.map(([, v]) => v.sum),
          counts: entries.map(([, v]) => v.count),
        };
      }),
      ...(this.jsonKeys ? { pairKeys: 'json' as const } : {}),
    };
  }

  /**
   * What the model learned of one categorical feature's value in a declaration (`trader`, `hs6`,
   * `origin×hs6`, ...): the value (both parts for a pair), how many training declarations had it and
   * how many of those were found irregular, beside the rate over every training declaration. Null
   * when the declaration has no such value (a missing field); an unknown name throws.
   */
  history(
    d: DeclarationInput,
    name: string,
  ): { subject: string[]; declarations: number; irregular: number; overallRate: number } | null {
    const c = categoryNames.indexOf(name);
    if (c < 0) throw new Error(`${name} is not a categorical feature`);
    const main = mainItem(d);
    const fields: (string | undefined)[] = fieldNames.map(() => undefined);
    readFields(d, main, main.hsCode.slice(0, 6), fields);
    readPrefixes(main, fields);
    const pair = pairs[c - fieldNames.length];
    let key: string | undefined;
    let subject: string[];
    if (pair) {
      const first = fields[pair.first];
      const second = fields[pair.second];
      if (pair.optional && !first) return null;
      key = this.jsonKeys ? pairKeyOf(first, second) : `${first}|${second}`;
      subject = [first ?? '', second ?? ''];
    } else {
      key = fields[c];
      if (key === undefined) return null;
      subject = [key];
    }
    const seen = this.stats[c]?.get(key);
    return { subject, declarations: seen?.count ?? 0, irregular: seen?.sum ?? 0, overallRate: this.prior };
  }

  /** The median unit value (per kg) of an HS6 code in the training data, when it had five or more. */
  medianUnitValue(hs6: string): number | undefined {
    const log = this.medians.get(hs6);
    return log === undefined ? undefined : Math.exp(log);
  }

  /** The feature row of a declaration, in `featureNames` order, with what `extras` holds of it. */
  encode(d: DeclarationInput, extras?: RowExtras): Float64Array {
    const row = new Float64Array(featureNames.length);
    this.encodeInto(d, extras, row);
    return row;
  }

  /** The feature rows of many declarations, column-major; `extras[i]` is declaration i's. */
  encodeMany(
    declarations: readonly DeclarationInput[],
    extras: readonly (RowExtras | undefined)[] = [],
  ): Dataset {
    const data = emptyDataset(declarations.length);
    this.encodeRows(declarations, extras, data, new Float64Array(featureNames.length));
    return data;
  }

  /**
   * Encodes every declaration into its row of `data`, through `row`. The loop has a method of its
   * own, with nothing before it, so that its compiled code does not depend on a one-off prologue.
   */
  private encodeRows(
    declarations: readonly DeclarationInput[],
    extras: readonly (RowExtras | undefined)[],
    data: Dataset,
    row: Float64Array,
  ): void {
    for (let i = 0; i < declarations.length; i++) {
      this.encodeInto(declarations[i] as DeclarationInput, extras[i], row);
      putRow(row, data, i);
    }
  }

  private encodeInto(d: DeclarationInput, extras: RowExtras | undefined, out: Float64Array): void {
    const { fields, fieldIds: ids, tables } = this;
    const main = mainItem(d);
    const hs6 = main.hsCode.slice(0, 6);
    readFields(d, main, hs6, fields);
    for (let f = 0; f < fields.length; f++) {
      if (f === hs4Field || f === hs2Field) continue;
      const value = fields[f];
      ids[f] = value === undefined ? missing : (tables.ids[f]?.get(value) ?? unknown);
    }
    const hs6Id = ids[hs6Field] ?? unknown;
    this.hsPrefixIds(main, hs6Id, fields, ids);
    numeric(d, main, hs6Id >= 0 ? tables.hs6Medians[hs6Id] : this.medians.get(hs6), out);
    let at = numericNames.length;
    for (let f = 0; f < fields.length; f++, at += 2) {
      const id = ids[f] ?? missing;
      this.put(id === missing ? missing : id === unknown ? 0 : (tables.singles[f]?.[id] ?? 0), out, at);
    }
    for (let p = 0; p < pairs.length; p++, at += 2) this.put(this.pairEncoding(p, fields, ids), out, at);
    putExtras(extras, out);
    for (let k = 0; k < codedFields.length; k++) {
      const id = ids[codedFields[k] ?? 0] ?? missing;
      out[codesAt + k] = id >= 0 ? (tables.codes[k]?.[id] ?? NaN) : NaN;
    }
  }

  /** The ids of the HS4 and HS2 fields: through the HS6 id when training saw the HS6 code. */
  private hsPrefixIds(main: GoodsItem, hs6Id: number, fields: (string | undefined)[], ids: Int32Array): void {
    const { tables } = this;
    if (hs6Id >= 0) {
      ids[hs4Field] = tables.hsPrefixes[2 * hs6Id] ?? unknown;
      ids[hs2Field] = tables.hsPrefixes[2 * hs6Id + 1] ?? unknown;
      return;
    }
    readPrefixes(main, fields);
    for (const f of [hs4Field, hs2Field]) ids[f] = tables.ids[f]?.get(fields[f] ?? '') ?? unknown;
  }

  /** Where `encodings` holds pair p's statistics for the current declaration (0 if unseen), or `missing`. */
  private pairEncoding(p: number, fields: readonly (string | undefined)[], ids: Int32Array): number {
    const pair = pairs[p] as Pair;
    if (pair.optional && !fields[pair.first]) return missing;
    const first = this.partId(pair.first, fields, ids);
    const second = this.partId(pair.second, fields, ids);
    if (first < 0 || second < 0) return 0;
    return Math.max(0, this.tables.pairs[p]?.find(first, second) ?? 0);
  }

  /** Writes the rate and count of an encoding at f, or NaN for a missing category. */
  private put(encoding: number, out: Float64Array, f: number): void {
    const { encodings } = this.tables;
    out[f] = encoding === missing ? NaN : (encodings[2 * encoding] ?? NaN);
    out[f + 1] = encoding === missing ? NaN : (encodings[2 * encoding + 1] ?? NaN);
  }

  /** The id of field f as a pair part; a missing value has an id of its own (older models: "undefined"). */
  private partId(f: number, fields: readonly (string | undefined)[], ids: Int32Array): number {
    const id = ids[f] ?? unknown;
    if (id !== missing || fields[f] !== undefined) return id;
    if (!this.jsonKeys) return this.tables.ids[f]?.get('undefined') ?? unknown;
    return this.tables.missingIds[f] ?? unknown;
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
