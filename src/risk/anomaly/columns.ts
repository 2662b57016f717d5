/**
 * Throws unless there is one column per name, all of the same length; with `finite`, also rejects
 * infinities (NaN marks a missing value). Returns the number of rows.
 */
export function checkColumns(
  columns: readonly Float64Array[],
  names: readonly string[],
  what: string,
  finite = false,
): number {
  if (columns.length !== names.length) {
    throw new Error(`${what}: ${names.length} feature names but ${columns.length} columns`);
  }
  const rows = columns[0]?.length ?? 0;
  columns.forEach((column, j) => {
    const name = names[j] ?? String(j);
    if (column.length !== rows) {
      throw new Error(
        `${what}: column "${name}" has ${column.length} values, column "${names[0]}" has ${rows}`,
      );
    }
    if (!finite) return;
    for (let i = 0; i < column.length; i++) {
      const x = column[i] ?? 0;
      if (x === Infinity || x === -Infinity) {
        throw new Error(`${what}: column "${name}" row ${i} is ${x}; use NaN for a missing value`);
      }
    }
  });
  return rows;
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
