/**
 * Whole numbers written by callers (ids, cursors, counts in a URL or a file) are read strictly:
 * digits only, with a minus only where negatives are allowed, and within the range of the column
 * they go to. `Number()` would read `0x10`, `1e3`, ` 1`, `Infinity` and `1e21`; this reads none.
 */

/** The largest value of an `integer` (int4) column. */
export const int4Max = 2_147_483_647;
/** The largest `bigint` id the server handles: ids are read as JavaScript numbers, exact below 2^53. */
export const idMax = Number.MAX_SAFE_INTEGER;

/** The whole number written in `text`, or null unless it is plain digits within [min, max]. */
export function parseInteger(text: string, min: number, max: number): number | null {
  if (!/^-?\d{1,16}$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}

/** "a whole number from 1 to 500", for messages that name the range. */
export const wholeNumberFrom = (min: number, max: number) => `a whole number from ${min} to ${max}`;
