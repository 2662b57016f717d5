/**
 * Partner agencies and data-sharing agreements through the real HTTP server on each engine: the
 * terms checked field by field, the four-eyes workflow, concurrent decisions, the ledger, and what
 * partner agency users may read.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sealPending } from '../governance/ledger/seal.ts';
import {
  createRoleUsers,
  createUserToken,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { isInForce } from './agreements.ts';

type Body = Record<string, unknown>;

describe('isInForce', () => {
  const a = { status: 'active', validFrom: '2027-01-01', validTo: '2027-12-31' };
  const cases: [string, { status: string; validFrom: string; validTo: string }, string, boolean][] = [
    ['on its first day', a, '2027-01-01', true],
    ['on its last day', a, '2027-12-31', true],
    ['the day before it starts', a, '2026-12-31', false],
    ['the day after it ends', a, '2028-01-01', false],
    ['suspended, within its days', { ...a, status: 'suspended' }, '2027-06-01', false],
    ['a draft, within its days', { ...a, status: 'draft' }, '2027-06-01', false],
    ['revoked, within its days', { ...a, status: 'revoked' }, '2027-06-01', false],
  ];
  for (const [what, agreement, day, expected] of cases)
    test(`an agreement ${what} is ${expected ? '' : 'not '}in force`, () => {
      assert.equal(isInForce(agreement, day), expected);
    });
});

for (const target of storageTargets()) {
  describe(`data-sharing agreements (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    const tokens: Record<string, string> = {};

    before(async () => {
      ctx = await openTestContext(target);
      server = await startTestServer(ctx);
      Object.assign(tokens, await createRoleUsers(ctx));
      tokens.admin2 = await createUserToken(ctx, { username: 'admin-two', role: 'administrator' });
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    const as = (who: string, method: string, path: string, body?: unknown) =>
      server.request(method, path, { token: tokens[who], body });
    const terms = (overrides: Body = {}): Body => ({
      agency: 'AGRI',
      purpose: 'Sanitary and phytosanitary controls of food imports',
      legalBasis: 'Food Safety Act, art. 12',
      fields: ['items[].hsCode', 'originCountry', '137'],
      filters: { hsPrefixes: ['01', '0201', '020130'], declarationTypes: ['IM'] },
      level: 'pseudonymised',
      delivery: 'feed',
      validFrom: '2020-01-01',
      validTo: '2099-12-31',
      ...overrides,
    });
    const draft = async (overrides: Body = {}) => {
      const made = await as('administrator', 'POST', '/api/sharing/agreements', terms(overrides));
      assert.equal(made.status, 201, JSON.stringify(made.body));
      return Number(made.body.id);
    };
    /** `who` reads the agreement and approves the terms it read, named by their digest. */
    const approve = async (who: string, id: number) => {
      const read = await as(who, 'GET', `/api/sharing/agreements/${id}`);
      return as(who, 'POST', `/api/sharing/agreements/${id}/approve`, { termsDigest: read.body.termsDigest });
    };
    const ledgerActions = async (kind: string, id: string) => {
      await sealPending(ctx.db);
      const rows = await ctx.db.query<{ action: string; actor: string }>(
        'SELECT action, actor FROM ledger WHERE subject_kind = $1 AND subject_id = $2 ORDER BY seq',
        [kind, id],
      );
      return rows.map((r) => `${r.action} by ${r.actor}`);
    };

    test('an administrator adds agencies and changes one; each change is on the ledger', async () => {
      for (const [code, name] of [
        ['AGRI', 'Ministry of Agriculture'],
        ['HEALTH', 'Health inspectorate'],
      ]) {
        const added = await as('administrator', 'POST', '/api/sharing/agencies', {
          code,
          name,
          contact: 'liaison@example.org',
        });
        assert.equal(added.status, 201, JSON.stringify(added.body));
      }
      const again = await as('administrator', 'POST', '/api/sharing/agencies', {
        code: 'AGRI',
        name: 'x',
        contact: 'y',
      });
      assert.deepEqual([again.status, again.body.error], [409, 'agency_exists']);
      const bad = await as('administrator', 'POST', '/api/sharing/agencies', {
        code: 'agri!',
        name: 'x',
        contact: 'y',
      });
      assert.deepEqual(
        [bad.status, bad.body.error, bad.body.details],
        [422, 'invalid_agency', { field: 'code' }],
      );
      const changed = await as('administrator', 'PATCH', '/api/sharing/agencies/HEALTH', {
        contact: 'desk@health.example',
      });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.equal(changed.body.contact, 'desk@health.example');
      const missing = await as('administrator', 'PATCH', '/api/sharing/agencies/NONE', { name: 'x' });
      assert.deepEqual([missing.status, missing.body.error], [404, 'agency_not_found']);
      const list = await as('supervisor', 'GET', '/api/sharing/agencies');
      assert.deepEqual(
        (list.body.agencies as Body[]).map((a) => a.code),
        ['AGRI', 'HEALTH'],
      );
      assert.deepEqual(await ledgerActions('agency', 'HEALTH'), [
        'agency.created by administrator',
        'agency.changed by administrator',
      ]);
    });

    test('a partner agency user belongs to an existing agency, or to none', async () => {
      const refused = await as('administrator', 'POST', '/api/users', {
        username: 'agency-nope',
        password: 'correct horse battery',
        role: 'partner_agency',
        partyId: 'NOPE',
      });
      assert.equal(refused.status, 422, JSON.stringify(refused.body));
      assert.equal(refused.body.error, 'invalid_user');
      assert.match(String(refused.body.message), /"NOPE" is not an agency/);
      tokens.agri = await createUserToken(ctx, {
        username: 'agri-user',
        role: 'partner_agency',
        partyId: 'AGRI',
      });
      tokens.health = await createUserToken(ctx, {
        username: 'health-user',
        role: 'partner_agency',
        partyId: 'HEALTH',
      });
      const moved = await as('administrator', 'PATCH', '/api/users/health-user', { partyId: 'GONE' });
      assert.equal(moved.status, 422, JSON.stringify(moved.body));
      assert.match(String(moved.body.message), /"GONE" is not an agency/);
    });

    test('terms that are wrong are refused naming the field and the values', async () => {
      const cases: [string, Body, string, RegExp][] = [
        ['an unknown agency', { agency: 'NOPE' }, 'agency', /"NOPE"/],
        [
          'unknown fields',
          { fields: ['items[].hsCode', 'items[].colour', '999'] },
          'fields',
          /"items\[\]\.colour", "999"/,
        ],
        ['a group for a field', { fields: ['items'] }, 'fields', /"items" is a group/],
        [
          'an HS chapter that is not one',
          { filters: { hsPrefixes: ['77', '123'] } },
          'filters.hsPrefixes',
          /"123", "77"/,
        ],
        ['an unknown procedure', { filters: { procedures: ['4000', '99'] } }, 'filters.procedures', /"99"/],
        ['an unknown office', { filters: { offices: ['030', 'ZZ999'] } }, 'filters.offices', /"ZZ999"/],
        [
          'an unknown declaration type',
          { filters: { declarationTypes: ['XX'] } },
          'filters.declarationTypes',
          /"XX"/,
        ],
        ['a webhook without its address', { delivery: 'webhook' }, 'webhookUrl', /https webhookUrl/],
        [
          'a webhook over http',
          { delivery: 'both', webhookUrl: 'http://agri.example/hook' },
          'webhookUrl',
          /https/,
        ],
        [
          'a webhook to a private address',
          { delivery: 'webhook', webhookUrl: 'https://10.0.0.1/hook' },
          'webhookUrl',
          /private/,
        ],
        [
          'days the wrong way round',
          { validFrom: '2027-02-01', validTo: '2027-01-01' },
          'validTo',
          /before validFrom/,
        ],
        ['a day that does not exist', { validFrom: '2027-02-30' }, 'validFrom', /2027-02-30/],
        ['an empty purpose', { purpose: '  ' }, 'purpose', /purpose/],
      ];
      for (const [what, overrides, field, message] of cases) {
        const refused = await as('administrator', 'POST', '/api/sharing/agreements', terms(overrides));
        assert.equal(refused.status, 422, `${what}: ${JSON.stringify(refused.body)}`);
        assert.equal(refused.body.error, 'invalid_agreement', what);
        assert.deepEqual(refused.body.details, { field }, what);
        assert.match(String(refused.body.message), message, what);
      }
      const [{ count }] = (await ctx.db.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM sharing_agreements',
      )) as [{ count: number }];
      assert.equal(count, 0);
    });

    test('fields given by WCO ID are stored as catalog paths and shown with their WCO ID and name', async () => {
      const id = await draft({ fields: ['166', 'items[].hsCode', 'items[].hsCode'] });
      const read = await as('supervisor', 'GET', `/api/sharing/agreements/${id}`);
      assert.deepEqual(read.body.fields, [
        { path: 'procedure', wcoId: '166', name: 'Government procedure, coded' },
        { path: 'additionalProcedure', wcoId: '166', name: 'Government procedure, coded' },
        { path: 'items[].hsCode', wcoId: '145', name: 'Commodity Classification' },
      ]);
      assert.deepEqual(read.body.filters, {
        hsPrefixes: ['01', '0201', '020130'],
        procedures: [],
        offices: [],
        declarationTypes: ['IM'],
      });
      assert.equal(read.body.releaseLabel, `agreement-${id}`);
    });

    test('a draft is edited by its drafter and approved by a second official, never by the drafter', async () => {
      const id = await draft();
      const mine = await as('administrator', 'GET', `/api/sharing/agreements/${id}`);
      assert.deepEqual([mine.body.status, mine.body.inForce, mine.body.allowed], ['draft', false, ['edit']]);
      const theirs = await as('supervisor', 'GET', `/api/sharing/agreements/${id}`);
      assert.deepEqual(theirs.body.allowed, ['approve', 'reject']);

      const byOther = await as('admin2', 'PATCH', `/api/sharing/agreements/${id}`, { purpose: 'Other' });
      assert.deepEqual([byOther.status, byOther.body.error], [403, 'forbidden']);
      const edited = await as('administrator', 'PATCH', `/api/sharing/agreements/${id}`, {
        level: 'aggregated',
        filters: { hsPrefixes: ['02'] },
      });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.deepEqual([edited.body.level, (edited.body.filters as Body).hsPrefixes], ['aggregated', ['02']]);
      const badEdit = await as('administrator', 'PATCH', `/api/sharing/agreements/${id}`, {
        fields: ['nothing'],
      });
      assert.deepEqual([badEdit.status, badEdit.body.details], [422, { field: 'fields' }]);

      const ownApproval = await approve('administrator', id);
      assert.deepEqual([ownApproval.status, ownApproval.body.error], [403, 'four_eyes']);
      assert.match(String(ownApproval.body.message), /administrator drafted agreement/);
      const approved = await approve('supervisor', id);
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.deepEqual(
        [approved.body.status, approved.body.inForce, approved.body.decidedBy, approved.body.allowed],
        ['active', true, 'supervisor', ['suspend', 'revoke']],
      );
      const lateEdit = await as('administrator', 'PATCH', `/api/sharing/agreements/${id}`, { purpose: 'x' });
      assert.deepEqual([lateEdit.status, lateEdit.body.error], [409, 'action_not_allowed']);
    });

    test('an approval names the terms reviewed: refused 409 when the drafter changed the draft since', async () => {
      const id = await draft();
      const reviewed = await as('supervisor', 'GET', `/api/sharing/agreements/${id}`);
      const digest = String(reviewed.body.termsDigest);
      assert.match(digest, /^[0-9a-f]{64}$/);
      const listed = await as('supervisor', 'GET', '/api/sharing/agreements?status=draft');
      assert.equal((listed.body.agreements as Body[]).find((a) => a.id === id)?.termsDigest, digest);

      const without = await as('supervisor', 'POST', `/api/sharing/agreements/${id}/approve`, {});
      assert.deepEqual([without.status, without.body.error], [400, 'invalid_request']);
      const malformed = await as('supervisor', 'POST', `/api/sharing/agreements/${id}/approve`, {
        termsDigest: 'not a digest',
      });
      assert.equal(malformed.status, 400);

      const edited = await as('administrator', 'PATCH', `/api/sharing/agreements/${id}`, {
        purpose: 'Sanitary controls of food imports, and their tariff classification',
      });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.notEqual(edited.body.termsDigest, digest);
      const stale = await as('supervisor', 'POST', `/api/sharing/agreements/${id}/approve`, {
        termsDigest: digest,
      });
      assert.deepEqual([stale.status, stale.body.error], [409, 'agreement_changed']);
      assert.match(String(stale.body.message), new RegExp(`agreement ${id} is not the one reviewed`));
      const still = await as('supervisor', 'GET', `/api/sharing/agreements/${id}`);
      assert.equal(still.body.status, 'draft');

      // the drafter puts back the terms reviewed: the same terms, the same digest
      const back = await as('administrator', 'PATCH', `/api/sharing/agreements/${id}`, {
        purpose: 'Sanitary and phytosanitary controls of food imports',
      });
      assert.equal(back.body.termsDigest, digest);
      const approved = await as('supervisor', 'POST', `/api/sharing/agreements/${id}/approve`, {
        termsDigest: digest,
      });
      assert.deepEqual([approved.status, approved.body.status], [200, 'active']);
      assert.equal(approved.body.termsDigest, digest);
      await sealPending(ctx.db);
      const [entry] = await ctx.db.query<{ digest: string }>(
        `SELECT data::jsonb->>'termsDigest' AS digest FROM ledger
         WHERE subject_kind = 'sharing_agreement' AND subject_id = $1 AND action = 'sharing_agreement.approved'`,
        [String(id)],
      );
      assert.equal(entry?.digest, digest);
    });

    test('of two officials approving the same draft at once, one wins and the other is refused', async () => {
      const id = await draft();
      const [a, b] = await Promise.all([
        approve('supervisor', id),
        as('admin2', 'POST', `/api/sharing/agreements/${id}/reject`, { reason: 'too broad' }),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [200, 409], JSON.stringify([a.body, b.body]));
      const actions = await ledgerActions('sharing_agreement', String(id));
      assert.equal(actions.length, 2, actions.join('; '));
      assert.equal(actions[0], 'sharing_agreement.drafted by administrator');
    });

    test('suspended at once with a reason, resumed by another official, revoked for good; all on the ledger', async () => {
      const id = await draft();
      const approvedBare = await approve('admin2', id);
      assert.equal(approvedBare.status, 200, JSON.stringify(approvedBare.body));
      const noReason = await as('administrator', 'POST', `/api/sharing/agreements/${id}/suspend`, {});
      assert.equal(noReason.status, 400, JSON.stringify(noReason.body));
      const suspended = await as('administrator', 'POST', `/api/sharing/agreements/${id}/suspend`, {
        reason: 'a breach is investigated',
      });
      assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
      assert.deepEqual(
        [suspended.body.status, suspended.body.inForce, suspended.body.reason, suspended.body.allowed],
        ['suspended', false, 'a breach is investigated', ['revoke']],
      );
      const ownResume = await as('administrator', 'POST', `/api/sharing/agreements/${id}/resume`, {});
      assert.deepEqual([ownResume.status, ownResume.body.error], [403, 'four_eyes']);
      const resumed = await as('supervisor', 'POST', `/api/sharing/agreements/${id}/resume`, {});
      assert.deepEqual([resumed.status, resumed.body.status, resumed.body.inForce], [200, 'active', true]);
      const revoked = await as('supervisor', 'POST', `/api/sharing/agreements/${id}/revoke`, {
        reason: 'the law was repealed',
      });
      assert.deepEqual([revoked.status, revoked.body.status, revoked.body.allowed], [200, 'revoked', []]);
      const again = await as('admin2', 'POST', `/api/sharing/agreements/${id}/resume`, {});
      assert.deepEqual([again.status, again.body.error], [409, 'action_not_allowed']);
      assert.deepEqual(await ledgerActions('sharing_agreement', String(id)), [
        'sharing_agreement.drafted by administrator',
        'sharing_agreement.approved by admin-two',
        'sharing_agreement.suspended by administrator',
        'sharing_agreement.resumed by supervisor',
        'sharing_agreement.revoked by supervisor',
      ]);
      const rejectedId = await draft();
      const rejected = await as('supervisor', 'POST', `/api/sharing/agreements/${rejectedId}/reject`, {
        reason: 'no legal basis',
      });
      assert.deepEqual([rejected.body.status, rejected.body.reason], ['rejected', 'no legal basis']);
      const missing = await as('supervisor', 'POST', '/api/sharing/agreements/999999/approve', {
        termsDigest: 'a'.repeat(64),
      });
      assert.deepEqual([missing.status, missing.body.error], [404, 'agreement_not_found']);
    });

    test("a partner agency user reads its own agency's agreements only", async () => {
      const health = await draft({ agency: 'HEALTH' });
      const agriList = await as('agri', 'GET', '/api/sharing/agreements');
      assert.equal(agriList.status, 200);
      const agencies = new Set((agriList.body.agreements as Body[]).map((a) => a.agency));
      assert.deepEqual([...agencies], ['AGRI']);
      assert.ok((agriList.body.agreements as Body[]).every((a) => (a.allowed as unknown[]).length === 0));
      const others = await as('agri', 'GET', '/api/sharing/agreements?agency=HEALTH');
      assert.deepEqual(others.body.agreements, []);
      const one = await as('agri', 'GET', `/api/sharing/agreements/${health}`);
      assert.deepEqual([one.status, one.body.error], [404, 'agreement_not_found']);
      const own = await as('health', 'GET', `/api/sharing/agreements/${health}`);
      assert.equal(own.status, 200);
      const none = await as('partner_agency', 'GET', '/api/sharing/agreements');
      assert.deepEqual(none.body.agreements, []);
      const decide = await as('agri', 'POST', `/api/sharing/agreements/${health}/approve`, {
        termsDigest: 'a'.repeat(64),
      });
      assert.equal(decide.status, 403);
      const byStatus = await as('supervisor', 'GET', '/api/sharing/agreements?agency=HEALTH&status=draft');
      assert.deepEqual(
        (byStatus.body.agreements as Body[]).map((a) => a.id),
        [health],
      );
    });
  });
}
