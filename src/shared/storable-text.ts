/**
 * Text PostgreSQL cannot store: a NUL character, or half of a UTF-16 surrogate pair. Every edge
 * (HTTP requests, declaration files) refuses it with this one test, naming the field.
 */

export type UnstorableProblem = 'a NUL character' | 'a lone UTF-16 surrogate';

/** A cheap first look: most text holds neither a NUL nor a surrogate. */
const suspect = /[\0\uD800-\uDFFF]/;
/** A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const unstorable = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorableAll = new RegExp(unstorable.source, 'g');

/** What in `text` cannot be stored, or null when all of it can. */
export function unstorableProblem(text: string): UnstorableProblem | null {
  if (!suspect.test(text)) return null;
  const m = unstorable.exec(text);
  if (!m) return null;
  return m[0] === '\0' ? 'a NUL character' : 'a lone UTF-16 surrogate';
}

/** The text with every character PostgreSQL cannot store replaced by U+FFFD, for messages. */
export const storable = (text: string): string =>
  suspect.test(text) ? text.replace(unstorableAll, '\uFFFD') : text;
