/**
 * Agency findings as risk indicators: a declaration's own findings and its trader's of the last 365
 * days, the same one at a time and in a batch, and a rule profile testing them at lodging.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { declarationsRepository } from '../declarations/repository.ts';
import { Role } from '../governance/roles.ts';
import { computeIndicators, computeIndicatorsBatch } from '../risk/indicators.ts';
import { compileProfile, evaluateProfile } from '../risk/profiles/evaluate.ts';
import { parseProfile, type ProfileDefinition } from '../risk/profiles/profile.ts';
import { profilesRepository } from '../risk/profiles/repository.ts';
import { apiSuite } from '../testing/api-suite.ts';
import { aDeclaration, otherTrader, storageTargets } from '../testing/harness.ts';
import { anAgency, delivered } from '../testing/sharing-findings.ts';

const definition = (code: string, field: string): ProfileDefinition => {
  const parsed = parseProfile({
    name: `agency findings (${field})`,
    code,
    lane: 'red',
    weight: 80,
    reason: 'partner agencies reported on this trader',
    validFrom: '2020-01-01',
    conditions: [{ field, op: 'gte', value: 1 }],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
};

for (const target of storageTargets()) {
  describe(`agency findings as risk indicators (${target})`, () => {
    const s = apiSuite(target, {
      agri: { username: 'agri-inspector', role: Role.PartnerAgency, partyId: 'AGRI' },
      otherTrader: { username: 'trader-b', role: Role.Trader, partyId: otherTrader },
    });
    let found: number; // TRADER-A's, with a finding
    let clean: number; // TRADER-A's, lodged after it, without one
    let elsewhere: number; // TRADER-B's
    const input = async (id: number) => {
      const d = await declarationsRepository.findById(s.ctx.db, id, { kind: 'all' });
      assert.ok(d);
      return d;
    };
    before(async () => {
      found = (await s.lodge()).id;
      await anAgency(s.ctx.db, 'AGRI');
      await delivered(s.ctx.db, 'AGRI', [found]);
      const res = await s.call(s.user('agri'), 'POST', '/api/sharing/findings', {
        declarationId: found,
        kind: 'phytosanitary_hold',
        severity: 'medium',
        text: 'Live pests in the packaging',
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      clean = (await s.lodge()).id;
      const other = await s.call(
        s.user('otherTrader'),
        'POST',
        '/api/declarations',
        aDeclaration({ trader: otherTrader }),
      );
      assert.equal(other.status, 201, JSON.stringify(other.body));
      elsewhere = Number(other.body.id);
    });

    test("a declaration counts its own findings, and its trader's on earlier declarations", async () => {
      const prices = s.ctx.prices();
      const one = await Promise.all(
        [found, clean, elsewhere].map(async (id) => computeIndicators(s.ctx.db, prices, await input(id), id)),
      );
      const counts = one.map((x) => [x.agencyFindings, x.traderAgencyFindings]);
      assert.deepEqual(counts, [
        [1, 0],
        [0, 1],
        [0, 0],
      ]);
      const batch = await computeIndicatorsBatch(
        s.ctx.db,
        prices,
        await Promise.all([elsewhere, clean, found].map(async (id) => ({ id, input: await input(id) }))),
      );
      assert.deepEqual(
        batch.map((x) => [x.agencyFindings, x.traderAgencyFindings]),
        [counts[2], counts[1], counts[0]],
      );
    });

    test('a finding older than 365 days no longer counts for the trader', async () => {
      const prices = s.ctx.prices();
      const [later, reported] = [await input(clean), await input(found)];
      // PGlite has one connection: inside the transaction, everything is read through it
      await s.ctx.db
        .transaction(async (tx) => {
          await tx.query(
            `UPDATE agency_findings SET created_at = now() - interval '366 days' WHERE declaration_id = $1`,
            [found],
          );
          const x = await computeIndicators(tx, prices, later, clean);
          assert.deepEqual([x.agencyFindings, x.traderAgencyFindings], [0, 0]);
          const [own] = await computeIndicatorsBatch(tx, prices, [{ id: found, input: reported }]);
          assert.equal(own?.agencyFindings, 1);
          throw new Rollback();
        })
        .catch((e: unknown) => {
          if (!(e instanceof Rollback)) throw e;
        });
    });

    test('a profile on indicator.agencyFindings hits the declaration with a finding and not one without', async () => {
      const profile = compileProfile(definition('AGENCY-OWN', 'indicator.agencyFindings'));
      const prices = s.ctx.prices();
      const hits = await Promise.all(
        [found, clean].map(async (id) => {
          const d = await input(id);
          return evaluateProfile(profile, d, await computeIndicators(s.ctx.db, prices, d, id), d.date);
        }),
      );
      assert.deepEqual(
        hits.map((h) => h?.code ?? null),
        ['AGENCY-OWN', null],
      );
    });

    test("a profile in force on indicator.traderAgencyFindings selects a new declaration of the reported trader at lodging, not another trader's", async () => {
      const draft = await profilesRepository.create(
        s.ctx.db,
        definition('AGENCY-TRADER', 'indicator.traderAgencyFindings'),
        'analyst-1',
      );
      await profilesRepository.submit(s.ctx.db, draft.id, 'analyst-1');
      const decided = await profilesRepository.decide(s.ctx.db, draft.id, 'analyst-2', true, null);
      assert.ok(decided.ok);
      s.ctx.risk.invalidate();
      const reported = (await s.lodge()).id;
      const other = await s.call(
        s.user('otherTrader'),
        'POST',
        '/api/declarations',
        aDeclaration({ trader: otherTrader }),
      );
      assert.equal(other.status, 201);
      const hitsOf = async (id: number) =>
        (
          await s.ctx.db.query<{ id: number }>(
            'SELECT profile_id::int8 AS id FROM profile_hits WHERE declaration_id = $1',
            [id],
          )
        ).map((r) => r.id);
      assert.deepEqual(await hitsOf(reported), [draft.id]);
      assert.deepEqual(await hitsOf(Number(other.body.id)), []);
    });
  });
}

class Rollback extends Error {}
