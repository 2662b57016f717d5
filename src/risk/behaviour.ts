/**
 * Behavioural features for anomaly detection: how a declaration compares with its trader's own
 * past. A jump in declared value against the trader's usual value, and whether the trader declares
 * the origin for the first time. Learned in time order like the target statistics (ADR 0004):
 * training rows see only their past, scoring uses everything learned in training.
 */
import type { DeclarationInput } from '../declarations/model.ts';

export const behaviourNames: readonly string[] = ['valueJump', 'trader×origin:count'];

interface TraderStats {
  /** Declarations seen, and the sum and sum of squares of their log values. */
  n: number;
  sum: number;
  squares: number;
  origins: Map<string, number>;
}

export interface SerializedBehaviour {
  traders: [string, number, number, number, [string, number][]][];
}

const logValue = (d: DeclarationInput) => Math.log1p(d.items.reduce((s, it) => s + it.value, 0));
const originOf = (d: DeclarationInput) => d.items[0]?.originCountry ?? d.originCountry ?? '';

/** At least this many past declarations before a jump in value is measured. */
const minimumHistory = 3;

export class BehaviourEncoder {
  private constructor(private readonly traders: Map<string, TraderStats>) {}

  /** Learns from declarations in time order; returns the features each had from its past alone. */
  static fit(declarations: readonly DeclarationInput[], order: readonly number[]) {
    const encoder = new BehaviourEncoder(new Map());
    const columns = behaviourNames.map(() => new Float64Array(declarations.length));
    const row = new Float64Array(behaviourNames.length);
    for (const i of order) {
      const d = declarations[i];
      if (!d) continue;
      encoder.encodeInto(d, row);
      columns.forEach((column, f) => (column[i] = row[f] ?? NaN));
      encoder.learn(d);
    }
    return { encoder, columns };
  }

  static fromJSON(json: SerializedBehaviour): BehaviourEncoder {
    if (!json || !Array.isArray(json.traders))
      throw new Error('the model file is corrupt: its behaviour statistics are missing');
    return new BehaviourEncoder(
      new Map(
        json.traders.map(([trader, n, sum, squares, origins]) => [
          trader,
          { n, sum, squares, origins: new Map(origins) },
        ]),
      ),
    );
  }

  toJSON(): SerializedBehaviour {
    return {
      traders: [...this.traders].map(([trader, s]) => [trader, s.n, s.sum, s.squares, [...s.origins]]),
    };
  }

  /** The features of a declaration in `behaviourNames` order, written into `out`. */
  encodeInto(d: DeclarationInput, out: Float64Array): void {
    const s = this.traders.get(d.trader);
    if (!s || s.n < minimumHistory) {
      out[0] = NaN;
    } else {
      const mean = s.sum / s.n;
      const spread = Math.sqrt(Math.max(0, s.squares / s.n - mean * mean));
      // in standard deviations of the trader's own values, at least a tenth of a log unit wide
      out[0] = (logValue(d) - mean) / Math.max(0.1, spread);
    }
    out[1] = Math.log1p(s?.origins.get(originOf(d)) ?? 0);
  }

  private learn(d: DeclarationInput): void {
    let s = this.traders.get(d.trader);
    if (!s) this.traders.set(d.trader, (s = { n: 0, sum: 0, squares: 0, origins: new Map() }));
    const v = logValue(d);
    s.n++;
    s.sum += v;
    s.squares += v * v;
    const origin = originOf(d);
    s.origins.set(origin, (s.origins.get(origin) ?? 0) + 1);
  }
}
