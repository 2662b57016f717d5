/** The digest naming a version of an agreement's terms, against a vector computed outside the code. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgreementTerms } from './agreement-terms.ts';
import { termsDigest } from './terms-digest.ts';

const terms: AgreementTerms = {
  agency: 'AGRI',
  purpose: 'Sanitary controls',
  legalBasis: 'Food Safety Act, art. 12',
  fields: ['items[].hsCode', 'originCountry'],
  filters: { hsPrefixes: ['0201'], procedures: [], offices: [], declarationTypes: ['IM'] },
  level: 'pseudonymised',
  delivery: 'feed',
  webhookUrl: null,
  validFrom: '2027-01-01',
  validTo: '2027-12-31',
};

test('the digest is SHA-256 of the canonical JSON of the terms (keys sorted, no spaces)', () => {
  // printf '%s' '{"agency":"AGRI","delivery":"feed","fields":["items[].hsCode","originCountry"],"filters":{"declarationTypes":["IM"],"hsPrefixes":["0201"],"offices":[],"procedures":[]},"legalBasis":"Food Safety Act, art. 12","level":"pseudonymised","purpose":"Sanitary controls","validFrom":"2027-01-01","validTo":"2027-12-31","webhookUrl":null}' | sha256sum
  assert.equal(termsDigest(terms), '4fbc6d1488a6e78c61f261e7cffee19572f29eaf8003ba9f92741a6debbe09d1');
});

test('the workflow of a stored agreement (status, who decided) is not part of its terms', () => {
  const stored = { ...terms, id: 7, status: 'active', draftedBy: 'ada', decidedBy: 'sam' };
  assert.equal(termsDigest(stored), termsDigest(terms));
});

const changes: [string, Partial<AgreementTerms>][] = [
  ['agency', { agency: 'HEALTH' }],
  ['purpose', { purpose: 'Sanitary controls.' }],
  ['legal basis', { legalBasis: 'Food Safety Act, art. 13' }],
  ['a field more', { fields: ['items[].hsCode', 'originCountry', 'trader'] }],
  ['the order of the fields', { fields: ['originCountry', 'items[].hsCode'] }],
  ['a filter', { filters: { ...terms.filters, offices: ['030'] } }],
  ['level', { level: 'identified' }],
  ['delivery', { delivery: 'both', webhookUrl: 'https://agri.example/hook' }],
  ['first day', { validFrom: '2027-01-02' }],
  ['last day', { validTo: '2028-12-31' }],
];
for (const [what, change] of changes)
  test(`a change of ${what} changes the digest`, () => {
    assert.notEqual(termsDigest({ ...terms, ...change }), termsDigest(terms));
  });
