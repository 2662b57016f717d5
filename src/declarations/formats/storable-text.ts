/**
 * Text that PostgreSQL cannot store (a NUL character, half of a UTF-16 surrogate pair) read from a
 * declaration file: refused at its field, as a finding of the row's declaration, and never echoed
 * into a finding's message, so that a bad row is a rejected row and never stops an import.
 */
import type { Finding } from '../model.ts';
import type { ParsedDeclaration } from './format.ts';

/** A cheap first look: most text holds neither a NUL nor a surrogate. */
const suspect = /[\0\uD800-\uDFFF]/;
const unstorable = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorableAll = new RegExp(unstorable.source, 'g');

const problemOf = (text: string): string | null => {
  if (!suspect.test(text)) return null;
  const m = unstorable.exec(text);
  if (!m) return null;
  return m[0] === '\0' ? 'a NUL character' : 'half of a UTF-16 surrogate pair';
};

/** The text with every character PostgreSQL cannot store replaced by U+FFFD, for messages. */
export const storable = (text: string): string =>
  suspect.test(text) ? text.replace(unstorableAll, '\uFFFD') : text;

/**
 * Takes every text PostgreSQL cannot store out of a parsed declaration, with a format finding at
 * its field (the field is then left out, as an unreadable number is).
 */
export function refuseUnstorableText(parsed: ParsedDeclaration): void {
  const { draft } = parsed;
  const fields: Record<string, unknown> = draft;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (typeof value !== 'string') continue;
    const problem = problemOf(value);
    if (!problem) continue;
    parsed.edgeFindings.push(finding(key, problem));
    fields[key] = undefined;
  }
  draft.items?.forEach((item, i) => {
    const itemFields: Record<string, unknown> = item;
    for (const key of Object.keys(itemFields)) {
      const value = itemFields[key];
      if (typeof value !== 'string') continue;
      const problem = problemOf(value);
      if (!problem) continue;
      parsed.edgeFindings.push(finding(`items[${i}].${key}`, problem));
      itemFields[key] = undefined;
    }
  });
  const irregularity = parsed.control?.irregularity;
  if (parsed.control && irregularity !== undefined) {
    const problem = problemOf(irregularity);
    if (problem) {
      parsed.edgeFindings.push(finding('irregularity', problem));
      delete parsed.control.irregularity;
    }
  }
}

const finding = (path: string, problem: string): Finding => ({
  path,
  code: 'unstorable_text',
  message: `${path} contains ${problem}, which cannot be stored: remove it`,
  severity: 'error',
  layer: 'format',
});
