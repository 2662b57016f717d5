/**
 * The digest naming one version of an agreement's terms. The approving official reads the
 * agreement, sees its `termsDigest`, and sends it back with the approval: if the drafter changed
 * the draft in between, the digests differ and the approval is refused, so an official approves
 * exactly the terms they reviewed (four-eyes on the terms, not only on the agreement's number).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../governance/ledger/entry.ts';
import type { AgreementTerms } from './agreement-terms.ts';

/** A terms digest as sent back: SHA-256 in lower-case hex. */
export const termsDigestPattern = '^[0-9a-f]{64}$';

/**
 * SHA-256 (hex) of the canonical JSON (keys sorted, no spaces) of the terms as stored: agency,
 * purpose, legal basis, fields (catalog paths, in stored order), filters, level, delivery, webhook
 * address and validity days. The workflow (status, who decided) is not part of the terms.
 */
export function termsDigest(t: AgreementTerms): string {
  const terms: AgreementTerms = {
    agency: t.agency,
    purpose: t.purpose,
    legalBasis: t.legalBasis,
    fields: t.fields,
    filters: {
      hsPrefixes: t.filters.hsPrefixes,
      procedures: t.filters.procedures,
      offices: t.filters.offices,
      declarationTypes: t.filters.declarationTypes,
    },
    level: t.level,
    delivery: t.delivery,
    webhookUrl: t.webhookUrl,
    validFrom: t.validFrom,
    validTo: t.validTo,
  };
  return createHash('sha256').update(canonicalJson(terms)).digest('hex');
}
