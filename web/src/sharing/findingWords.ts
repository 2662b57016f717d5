/**
 * Agency findings in words, and their shapes taken from the server's TypeBox schemas
 * (src/sharing/findings-schema.ts): only the types cross over, nothing of the server's code.
 */
import type { Static } from 'typebox';
import type { FindingKind, Severity } from '../../../src/sharing/findings-kinds.ts';
import type {
  DeclarationFindings as DeclarationFindingsSchema,
  FindingView,
} from '../../../src/sharing/findings-schema.ts';

export type AgencyFinding = Static<typeof FindingView>;
export type DeclarationFindings = Static<typeof DeclarationFindingsSchema>;

/** Every kind of finding, in the order the form offers them. */
export const kindWords: Record<FindingKind, string> = {
  sanitary_hold: 'Sanitary hold',
  phytosanitary_hold: 'Phytosanitary hold',
  licence_missing: 'Licence missing',
  licence_invalid: 'Licence invalid',
  standards_nonconformity: 'Standards nonconformity',
  tax_discrepancy: 'Tax discrepancy',
  other: 'Other',
};

export const severityWords: Record<Severity, string> = { low: 'Low', medium: 'Medium', high: 'High' };

const isKind = (k: string): k is FindingKind => k in kindWords;
const isSeverity = (s: string): s is Severity => s in severityWords;

/** "Sanitary hold, high severity". */
export const findingWords = (f: { kind: string; severity: string }): string =>
  `${isKind(f.kind) ? kindWords[f.kind] : f.kind}, ${isSeverity(f.severity) ? severityWords[f.severity].toLowerCase() : f.severity} severity`;
