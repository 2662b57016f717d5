/**
 * Text that PostgreSQL cannot store (a NUL character, half of a UTF-16 surrogate pair) read from a
 * declaration file: refused at its field, as a finding of the row's declaration, and never echoed
 * into a finding's message, so that a bad row is a rejected row and never stops an import.
 */
import type { Finding } from '../model.ts';
import type { ParsedDeclaration } from './format.ts';
import { unstorableProblem as problemOf } from '../../shared/storable-text.ts';

export { storable } from '../../shared/storable-text.ts';

/**
 * Takes every text PostgreSQL cannot store out of a parsed declaration, with a format finding at
 * its field (the field is then left out, as an unreadable number is).
 */
export function refuseUnstorableText(parsed: ParsedDeclaration): void {
  const { draft } = parsed;
  clearUnstorable(draft, '', parsed);
  draft.items?.forEach((item, i) => clearUnstorable(item, `items[${i}].`, parsed));
  const irregularity = parsed.control?.irregularity;
  if (parsed.control && irregularity !== undefined) {
    const problem = problemOf(irregularity);
    if (problem) {
      parsed.edgeFindings.push(finding('irregularity', problem));
      delete parsed.control.irregularity;
    }
  }
}

/** Leaves out each text field of `fields` that cannot be stored, with a finding at `prefix + key`. */
function clearUnstorable(fields: object, prefix: string, parsed: ParsedDeclaration): void {
  // the keys are read once, before any is cleared; no copy of the fields (this runs for every row)
  const record = fields as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (typeof value !== 'string') continue;
    const problem = problemOf(value);
    if (!problem) continue;
    parsed.edgeFindings.push(finding(`${prefix}${key}`, problem));
    record[key] = undefined;
  }
}

const finding = (path: string, problem: string): Finding => ({
  path,
  code: 'unstorable_text',
  message: `${path} contains ${problem}, which cannot be stored: remove it`,
  severity: 'error',
  layer: 'format',
});
