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

export { featureMismatch } from '../gbdt/dataset.ts';
