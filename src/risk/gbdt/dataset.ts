/** Column-major numeric data: `columns[j][i]` is feature `names[j]` of row `i`; NaN marks a missing value. */
export interface Dataset {
  names: string[];
  columns: Float64Array[];
  rows: number;
}

/** Throws unless every column has `rows` values; with `finite`, also rejects infinities (use NaN for missing). */
export function checkDataset(data: Dataset, what: string, finite = false): void {
  if (!Number.isInteger(data.rows) || data.rows < 0) throw new Error(`${what}: rows must be a whole number`);
  if (data.columns.length !== data.names.length) {
    throw new Error(`${what}: ${data.names.length} feature names but ${data.columns.length} columns`);
  }
  data.columns.forEach((column, j) => {
    const name = data.names[j] ?? String(j);
    if (column.length !== data.rows) {
      throw new Error(`${what}: column "${name}" has ${column.length} values, expected ${data.rows}`);
    }
    if (!finite) return;
    for (let i = 0; i < column.length; i++) {
      const x = column[i] ?? 0;
      if (x === Infinity || x === -Infinity) {
        throw new Error(`${what}: column "${name}" row ${i} is ${x}; use NaN for a missing value`);
      }
    }
  });
}

/** Throws unless labels are 0 or 1, one per row. */
export function checkLabels(labels: Float64Array, rows: number, what: string): void {
  if (labels.length !== rows) throw new Error(`${what}: ${labels.length} labels for ${rows} rows`);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new Error(`${what}: label of row ${i} is ${y}, expected 0 or 1`);
  }
}

const shown = 12;

function list(names: readonly string[]): string {
  const head = names.slice(0, shown).join(', ');
  return names.length > shown ? `[${head}, … ${names.length - shown} more]` : `[${head}]`;
}

/** Describes how `actual` differs from `expected` feature names, or returns undefined when they match. */
export function featureMismatch(expected: readonly string[], actual: readonly string[]): string | undefined {
  if (expected.length === actual.length && expected.every((name, i) => actual[i] === name)) return undefined;
  const has = new Set(actual);
  const known = new Set(expected);
  const missing = expected.filter((name) => !has.has(name)).slice(0, 3);
  const extra = actual.filter((name) => !known.has(name)).slice(0, 3);
  const details: string[] = [];
  if (missing.length > 0) details.push(`missing ${missing.map((n) => `"${n}"`).join(', ')}`);
  if (extra.length > 0) details.push(`unexpected ${extra.map((n) => `"${n}"`).join(', ')}`);
  if (details.length === 0) {
    const at = expected.findIndex((name, i) => actual[i] !== name);
    if (at >= 0) details.push(`order differs at position ${at}: "${expected[at]}" vs "${actual[at]}"`);
    else details.push(`${expected.length} names vs ${actual.length}`);
  }
  return (
    `the model was trained on features ${list(expected)}, these data have ${list(actual)} ` +
    `(${details.join('; ')})`
  );
}
