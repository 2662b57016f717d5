/**
 * The fixed lists of an agency finding: its kinds and severities, and the length of its text. It
 * imports nothing, so the web application can take its types.
 */

/** What an agency found, in a fixed list: a hold of its own, a licence, a standard, a tax. */
export const FindingKind = {
  SanitaryHold: 'sanitary_hold',
  PhytosanitaryHold: 'phytosanitary_hold',
  LicenceMissing: 'licence_missing',
  LicenceInvalid: 'licence_invalid',
  StandardsNonconformity: 'standards_nonconformity',
  TaxDiscrepancy: 'tax_discrepancy',
  Other: 'other',
} as const;
export type FindingKind = (typeof FindingKind)[keyof typeof FindingKind];
export const findingKinds: readonly FindingKind[] = Object.values(FindingKind);

export const Severity = { Low: 'low', Medium: 'medium', High: 'high' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];
export const severities: readonly Severity[] = Object.values(Severity);

/** The longest text a finding may carry, in characters. */
export const findingTextMax = 2000;
