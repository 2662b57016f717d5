/**
 * The exchange side of the test harness: a partner administration's signing key, and a partner
 * registered through the API as administrators do it, proposed by one and confirmed by another
 * with the digest the proposal gave (four-eyes).
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { signerFrom, type LedgerSigner } from '../governance/ledger/signing.ts';
import type { TestServer } from './harness.ts';

/** A new Ed25519 key of a partner administration. */
export const partnerKey = (): LedgerSigner => signerFrom(generateKeyPairSync('ed25519').privateKey);

export interface PartnerTerms {
  code: string;
  publicKeyPem: string;
  name?: string;
  agreementRef?: string;
  validFrom?: string;
}

/** Registers `terms` as a partner in force: proposed with `proposer`'s token, confirmed with `confirmer`'s. */
export async function registerPartner(
  server: Pick<TestServer, 'request'>,
  admins: { proposer: string; confirmer: string },
  terms: PartnerTerms,
): Promise<void> {
  const proposed = await server.request('POST', '/api/exchange/partners', {
    token: admins.proposer,
    body: {
      code: terms.code,
      name: terms.name ?? `Customs of ${terms.code}`,
      endpoint: 'http://127.0.0.1:9/api/exchange/inbox',
      publicKey: terms.publicKeyPem,
      messageTypes: ['export_declarations'],
      agreementRef: terms.agreementRef ?? `MoU ${terms.code} 2026`,
      validFrom: terms.validFrom ?? '2026-01-01',
    },
  });
  assert.equal(proposed.status, 202, JSON.stringify(proposed.body));
  const confirmed = await server.request('POST', `/api/exchange/partners/${terms.code}/confirm`, {
    token: admins.confirmer,
    body: { digest: proposed.body.digest },
  });
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
}
