/**
 * Counting what validation finds, for the data-quality scores. Every validation that can store a
 * declaration (lodging and amending through the API, batches, imports, uploads) is counted per
 * declaration day, trader and field, in three dimensions:
 *
 * - completeness: the existence layer (a required field is missing);
 * - validity: the format and reference layers (a value is malformed or not in its code list);
 * - consistency: the consistency and plausibility layers (values contradict each other or are
 *   implausible, e.g. a unit value far outside its band).
 *
 * A finding fails its field in its dimension whatever its severity: a warning is accepted, but it is
 * still a defect in the data. A declaration fails a field at most once per dimension, however many
 * items or findings name it, so a score reads "the share of declarations in which the field was
 * sound". The counts are summed in memory per request or batch and written with one upsert.
 */
import type { PreparedStatement, Sql } from '../db/database.ts';
import { isSupportedDay } from '../shared/day.ts';
import type { Layer } from './model.ts';

export const Dimension = {
  Completeness: 'completeness',
  Validity: 'validity',
  Consistency: 'consistency',
} as const;
export type Dimension = (typeof Dimension)[keyof typeof Dimension];
export const dimensions: readonly Dimension[] = Object.values(Dimension);

export const dimensionOfLayer: Record<Layer, Dimension> = {
  existence: Dimension.Completeness,
  format: Dimension.Validity,
  reference: Dimension.Validity,
  consistency: Dimension.Consistency,
  plausibility: Dimension.Consistency,
};

/** The column counting each dimension's failures in `quality_counts`. */
type Column = 'missing' | 'invalid' | 'inconsistent';
export const failureColumn: Record<Dimension, Column> = {
  completeness: 'missing',
  validity: 'invalid',
  consistency: 'inconsistent',
};

/** The field of a path: item numbers taken out, `items[3].hsCode` is `items[].hsCode`. */
export const fieldOf = (path: string): string => path.replace(/\[\d+\]/g, '[]');

/** The row holding how many declarations were validated (each is checked for every field). */
export const declarationsField = '';

/** The trader of validations that cannot be attributed to a trader the lodger may act for. */
export const unattributed = '';

/** What one validation found, reduced to what the counters need; plain values, so it can cross threads. */
export interface ValidationOutcome {
  /** The trader it is counted for, or `unattributed`. */
  trader: string;
  /** The declaration date, or the day of validation when the date is missing or no supported day. */
  day: string;
  /** Each failed field once per dimension, written `dimension:field`. */
  failures: string[];
}

const columnOf: ReadonlyMap<string, Column> = new Map(Object.entries(failureColumn));

/** The outcome of a validation, with the findings of every layer (errors and warnings). */
export function outcomeOf(
  trader: string,
  date: string | undefined,
  today: string,
  findings: readonly { path: string; layer?: Layer }[],
): ValidationOutcome {
  // a day the database cannot take (0000-01-01) is counted on the day of validation, as a malformed one
  const day = date !== undefined && isSupportedDay(date) ? date : today;
  // most declarations of an import have no finding: no set is made for them
  if (findings.length === 0) return { trader, day, failures: [] };
  const failures = new Set<string>();
  for (const f of findings) {
    if (f.layer === undefined) continue;
    failures.add(`${dimensionOfLayer[f.layer]}:${fieldOf(f.path)}`);
  }
  return { trader, day, failures: [...failures] };
}

interface Counts {
  checked: number;
  missing: number;
  invalid: number;
  inconsistent: number;
}

// prepared: it runs with every lodging
const addCounts: PreparedStatement = {
  name: 'quality_counts_add',
  // in key order, so that two transactions adding to the same rows lock them in the same order
  // (the order of every write path: risk/capacity.ts)
  text: `INSERT INTO quality_counts (day, trader_id, field, checked, missing, invalid, inconsistent)
    SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])
      AS q(day, trader_id, field, checked, missing, invalid, inconsistent)
    ORDER BY q.day, q.trader_id COLLATE "C", q.field COLLATE "C"
    ON CONFLICT (day, trader_id, field) DO UPDATE SET
      checked = quality_counts.checked + EXCLUDED.checked,
      missing = quality_counts.missing + EXCLUDED.missing,
      invalid = quality_counts.invalid + EXCLUDED.invalid,
      inconsistent = quality_counts.inconsistent + EXCLUDED.inconsistent`,
};

/** Counters summed in memory, written with one statement. */
export class QualityTally {
  private readonly counts = new Map<string, Counts>();

  get size(): number {
    return this.counts.size;
  }

  add(outcome: ValidationOutcome): void {
    this.bump(outcome.day, outcome.trader, declarationsField).checked++;
    this.addFailures(outcome);
  }

  /**
   * Only the failures, for a declaration already counted as checked: what a later pass over it
   * found (declarations/description-pass.ts).
   */
  addFailures(outcome: ValidationOutcome): void {
    for (const failure of outcome.failures) {
      const colon = failure.indexOf(':');
      const column = columnOf.get(failure.slice(0, colon));
      // an outcome from another thread is plain data: skip anything that is not one of ours
      if (column === undefined) continue;
      this.bump(outcome.day, outcome.trader, failure.slice(colon + 1))[column]++;
    }
  }

  private bump(day: string, trader: string, field: string): Counts {
    const key = `${day}\u0000${trader}\u0000${field}`;
    let c = this.counts.get(key);
    if (!c) {
      c = { checked: 0, missing: 0, invalid: 0, inconsistent: 0 };
      this.counts.set(key, c);
    }
    return c;
  }

  /** Adds the counters to `quality_counts` in one upsert; nothing when there is nothing to add. */
  async write(sql: Sql): Promise<void> {
    if (this.counts.size === 0) return;
    const cols: [string[], string[], string[], number[], number[], number[], number[]] = [
      [],
      [],
      [],
      [],
      [],
      [],
      [],
    ];
    for (const key of this.counts.keys()) {
      const c = this.counts.get(key);
      if (!c) continue;
      const [day = '', trader = '', field = ''] = key.split('\u0000');
      cols[0].push(day);
      cols[1].push(trader);
      cols[2].push(field);
      cols[3].push(c.checked);
      cols[4].push(c.missing);
      cols[5].push(c.invalid);
      cols[6].push(c.inconsistent);
    }
    await sql.query(addCounts, cols);
    this.counts.clear();
  }
}
