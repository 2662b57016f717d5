import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentHash } from './content-hash.ts';
import type { DeclarationInput } from './model.ts';
import { encodeContent } from './rows.ts';

const stored: DeclarationInput = {
  type: 'IM',
  functionalReference: 'HASH-1',
  date: '2026-03-02',
  office: '030',
  declarant: 'BROKER-A',
  trader: 'TRADER-A',
  currency: 'USD',
  invoiceTotal: 1200,
  items: [{ sequence: 1, hsCode: '85171300', value: 1200, netMass: 12.5 }],
};

test('a declaration without exchange fields keeps the fingerprint it had before they existed', () => {
  // computed by the fingerprint of the release before UCR, transport document, exporter, destination and Incoterm
  assert.equal(contentHash(encodeContent(stored)), '0BRzvGJ2lntCq2e7Fka-VJ5n3S0');
});

test('each exchange field changes the fingerprint', () => {
  const base = contentHash(encodeContent(stored));
  const fields = {
    ucr: '6KR-1',
    transportDocument: 'MSKU1',
    transportDocumentType: 'N705',
    exporter: 'CN1',
    destinationCountry: 'KR',
    incoterm: 'FOB',
  };
  const seen = new Set([base]);
  for (const [field, value] of Object.entries(fields)) {
    const hash = contentHash(encodeContent({ ...stored, [field]: value }));
    assert.ok(!seen.has(hash), field);
    seen.add(hash);
  }
});
