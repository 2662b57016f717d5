/**
 * The classification aid over HTTP: suggestions from the active version with their texts and
 * words, every bad request named, versions listed and activated by a risk analyst only, and what
 * the aid says of a description reaching lodging (a warning) and rule profiles (an indicator).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseProfile } from '../risk/profiles/profile.ts';
import { profilesRepository } from '../risk/profiles/repository.ts';
import { apiSuite } from '../testing/api-suite.ts';
import { registerTestClassifier } from '../testing/classifier.ts';
import { anItem, storageTargets } from '../testing/harness.ts';

interface Suggested {
  hs6: string;
  code: string;
  confidence: number;
  words: string[];
  heading: { code: string; description: string };
  subheading: { code: string; description: string };
}

const shrimpAsPhones = () => [
  anItem({ description: 'frozen shrimp, peeled, 500g bags', hsCode: '85171300' }),
];

for (const target of storageTargets()) {
  describe(`classification aid over HTTP (${target})`, () => {
    const s = apiSuite(target, {});
    let version: number;

    test('before any version is active, a suggestion is refused with what to do', async () => {
      const res = await s.call(s.tokens.trader, 'POST', '/api/classification/suggest', {
        description: 'frozen shrimp',
      });
      assert.equal(res.status, 409);
      assert.equal(res.body.error, 'no_classification_model');
      assert.match(String(res.body.message), /risk analyst activates/);
    });

    test('a version is registered inactive, listed, and activated by a risk analyst alone', async () => {
      version = await registerTestClassifier(s.ctx, { activate: false });
      const listed = await s.call(s.tokens.risk_analyst, 'GET', '/api/classification/models');
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      const [newest] = listed.body.models as {
        id: number;
        active: boolean;
        allowed: string[];
        codes: number;
      }[];
      assert.deepEqual([newest?.id, newest?.active, newest?.allowed], [version, false, ['activate']]);
      assert.ok((newest?.codes ?? 0) > 100);
      const bySupervisor = await s.call(s.tokens.supervisor, 'GET', '/api/classification/models');
      assert.deepEqual((bySupervisor.body.models as { allowed: string[] }[])[0]?.allowed, []);
      for (const role of ['trader', 'officer', 'partner_agency'] as const) {
        const res = await s.call(s.tokens[role], 'GET', '/api/classification/models');
        assert.equal(res.status, 403, role);
      }
      const refused = await s.call(
        s.tokens.supervisor,
        'POST',
        `/api/classification/models/${version}/activate`,
      );
      assert.equal(refused.status, 403);
      const missing = await s.call(
        s.tokens.risk_analyst,
        'POST',
        '/api/classification/models/999999/activate',
      );
      assert.deepEqual([missing.status, missing.body.error], [404, 'classification_model_not_found']);
      // two activations at once are taken one after the other
      const other = await registerTestClassifier(s.ctx, { activate: false });
      const both = await Promise.all(
        [other, version].map((id) =>
          s.call(s.tokens.risk_analyst, 'POST', `/api/classification/models/${id}/activate`),
        ),
      );
      assert.deepEqual(
        both.map((r) => r.status),
        [200, 200],
        JSON.stringify(both.map((r) => r.body)),
      );
      const activated = await s.call(
        s.tokens.risk_analyst,
        'POST',
        `/api/classification/models/${version}/activate`,
      );
      assert.equal(activated.status, 200, JSON.stringify(activated.body));
      assert.deepEqual([activated.body.active, activated.body.activatedBy], [true, 'risk-analyst']);
      const entries = await s.ctx.db.query<{ action: string }>(
        `SELECT action FROM ledger_pending WHERE subject_kind = 'classification_model' AND subject_id = $1
         UNION ALL SELECT action FROM ledger WHERE subject_kind = 'classification_model' AND subject_id = $1`,
        [String(version)],
      );
      // activated once at the same time as another version, then once more
      assert.deepEqual(entries.map((e) => e.action).sort(), [
        'classification_model.activated',
        'classification_model.activated',
        'classification_model.registered',
      ]);
    });

    test('a trader gets the likely subheadings of its words, with their texts and the words behind them', async () => {
      const res = await s.call(s.tokens.trader, 'POST', '/api/classification/suggest', {
        description: 'frozen shrimp 500g bag',
        date: '2026-03-02',
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.model, res.body.edition, res.body.date], [version, 'HS2022', '2026-03-02']);
      const found = res.body.suggestions as Suggested[];
      assert.equal(found.length, 5);
      const [first] = found;
      assert.ok(first);
      assert.equal(first.hs6.slice(0, 4), '0306', JSON.stringify(found.map((f) => f.hs6)));
      assert.equal(first.code, `${first.hs6.slice(0, 4)}.${first.hs6.slice(4)}`);
      assert.equal(first.heading.code, '0306');
      assert.match(first.heading.description, /rustaceans/);
      assert.ok(first.subheading.description.length > 0);
      assert.ok(
        first.words.some((w) => /shrimp/i.test(w)),
        first.words.join(', '),
      );
      const total = found.reduce((sum, f) => sum + f.confidence, 0);
      assert.ok(total <= 1 + 1e-9 && first.confidence >= (found[1]?.confidence ?? 0));
      const three = await s.call(s.tokens.officer, 'POST', '/api/classification/suggest', {
        description: 'mens cotton shirts',
        limit: 3,
      });
      assert.equal(three.status, 200);
      assert.equal((three.body.suggestions as Suggested[]).length, 3);
    });

    test('every bad request is named, and a partner agency may not ask', async () => {
      const bad: [Record<string, unknown>, RegExp][] = [
        [{}, /description/],
        [{ description: '   ' }, /description/],
        [{ description: 'x'.repeat(513) }, /description/],
        [{ description: 'shirts', date: '2026-13' }, /date/],
        [{ description: 'shirts', date: '2010-01-01' }, /no HS edition/],
        [{ description: 'shirts', date: '2024-02-31' }, /not a day/],
        [{ description: 'shirts', origin: 'china' }, /origin/],
        [{ description: 'shirts', origin: 'XX' }, /origin XX/],
        [{ description: 'shirts', limit: 11 }, /limit/],
        [{ description: 'shirts', extra: 1 }, /extra/],
      ];
      for (const [body, message] of bad) {
        const res = await s.call(s.tokens.trader, 'POST', '/api/classification/suggest', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(JSON.stringify(res.body), message, JSON.stringify(body));
      }
      const agency = await s.call(s.tokens.partner_agency, 'POST', '/api/classification/suggest', {
        description: 'shirts',
      });
      assert.equal(agency.status, 403);
    });

    test('lodging warns at the HS code when the description points to another heading, and not when it agrees', async () => {
      const odd = await s.lodge({ items: shrimpAsPhones() });
      const warning = (
        odd.findings as { path: string; code: string; message: string; severity: string }[]
      ).find((f) => f.code === 'description_suggests_other_code');
      assert.ok(warning, JSON.stringify(odd.findings));
      assert.equal(warning.path, 'items[0].hsCode');
      assert.equal(warning.severity, 'warning');
      assert.match(warning.message, /suggests 0306\.\d\d \(heading 0306, \d+% sure\), declared 8517\.13/);
      const agreeing = await s.lodge();
      assert.ok(
        !(agreeing.findings as { code: string }[]).some((f) => f.code === 'description_suggests_other_code'),
        JSON.stringify(agreeing.findings),
      );
    });

    test('a rule profile tests whether a description points elsewhere', async () => {
      const parsed = parseProfile({
        code: 'DESCRIBED-ELSEWHERE',
        name: 'description against code',
        lane: 'yellow',
        weight: 70,
        reason: 'The description points to another heading than the declared code',
        validFrom: '2020-01-01',
        conditions: [{ field: 'indicator.descriptionSuggestsOtherCode', op: 'eq', value: true }],
      });
      assert.ok(parsed.ok, JSON.stringify(parsed));
      const draft = await profilesRepository.create(s.ctx.db, parsed.value, 'analyst-1');
      await profilesRepository.submit(s.ctx.db, draft.id, 'analyst-1');
      await profilesRepository.decide(s.ctx.db, draft.id, 'analyst-2', true, null);
      s.ctx.risk.invalidate();
      const hitCodes = async (id: number) => {
        const res = await s.call(s.tokens.risk_analyst, 'GET', `/api/declarations/${id}/assessment`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return JSON.stringify((res.body.latest as { reasons: unknown }).reasons);
      };
      const odd = await s.lodge({ items: shrimpAsPhones() });
      assert.match(await hitCodes(odd.id), /DESCRIBED-ELSEWHERE/);
      const agreeing = await s.lodge();
      assert.doesNotMatch(await hitCodes(agreeing.id), /DESCRIBED-ELSEWHERE/);
    });
  });
}
