/**
 * The description check for imported declarations: a file prepared in worker threads is stored
 * without it, and the pass after the import adds the warning lodging gives, counts it in the
 * data-quality counts once, and adds nothing when run again.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { registerTestClassifier } from '../testing/classifier.ts';
import { openTestContext, storageTargets, type TestContext } from '../testing/harness.ts';
import { compareImportedDescriptions } from './description-pass.ts';
import { clearwayColumns } from './formats/clearway-columns.ts';
import { importFile } from './importer.ts';
import type { Finding } from './model.ts';

const row = (ref: string, description: string, hsCode: string): Record<string, string> => ({
  type: 'IM',
  functional_reference: ref,
  date: '2026-04-01',
  office: '030',
  declarant: 'B1',
  trader: 'T-PASS',
  currency: 'USD',
  invoice_total: '300',
  item_sequence: '1',
  hs_code: hsCode,
  description,
  item_origin_country: 'VN',
  net_mass: '20',
  gross_mass: '22',
  item_value: '300',
});

const csvOf = (rows: Record<string, string>[]) =>
  [clearwayColumns.join(','), ...rows.map((r) => clearwayColumns.map((c) => r[c] ?? '').join(','))].join(
    '\n',
  ) + '\n';

for (const target of storageTargets()) {
  describe(`comparing imported descriptions with their codes (${target})`, () => {
    let ctx: TestContext;
    let dir: string;
    before(async () => {
      ctx = await openTestContext(target);
      await registerTestClassifier(ctx);
      dir = await mkdtemp(path.join(tmpdir(), 'clearway-description-pass-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
      await ctx.dispose();
    });

    const findingsOf = async (ref: string) =>
      (
        await ctx.db.query<{ findings: Finding[] }>(
          'SELECT findings FROM declarations WHERE functional_reference = $1',
          [ref],
        )
      )[0]?.findings ?? [];
    const inconsistentHsCodes = async () =>
      (
        await ctx.db.query<{ n: number }>(
          `SELECT coalesce(sum(inconsistent), 0)::int8 AS n FROM quality_counts
           WHERE trader_id = 'T-PASS' AND field = 'items[].hsCode' AND day = '2026-04-01'`,
        )
      )[0]?.n;

    test('an imported file gets the warning lodging gives, counted once, and a second pass adds nothing', async () => {
      const aid = await ctx.classification();
      const file = path.join(dir, 'declarations.csv');
      await writeFile(
        file,
        csvOf([
          row('PASS-SHRIMP', 'frozen shrimp peeled in 500g bags', '851713'),
          row('PASS-SHIRTS', 'cotton t-shirts', '610910'),
          row('PASS-VAGUE', 'goods', '851713'),
        ]),
      );
      const [start] = await ctx.db.query<{ id: number }>(
        'SELECT coalesce(max(id), 0)::int8 AS id FROM declarations',
      );
      const rejected: unknown[] = [];
      const summary = await importFile(
        ctx.db,
        { ...ctx.validation(), referenceDir: ctx.config.referenceDir },
        file,
        {
          format: 'clearway',
          actor: 'import:declarations.csv',
          workers: 1,
          onReject: (r) => rejected.push(r),
        },
      );
      assert.deepEqual([summary.accepted, summary.rejected], [3, 0], JSON.stringify(rejected));
      // prepared in a worker thread, which has no aid: nothing compared yet
      assert.equal(
        (await findingsOf('PASS-SHRIMP')).filter((f) => f.code.startsWith('description')).length,
        0,
      );
      assert.equal(await inconsistentHsCodes(), 0);

      const scope = { afterId: start?.id ?? 0, lodgedBy: 'import:declarations.csv', source: 'clearway' };
      const validation = { ...ctx.validation(), descriptionCodes: aid };
      assert.deepEqual(await compareImportedDescriptions(ctx.db, validation, scope), {
        declarations: 3,
        findings: 1,
      });
      const warning = (await findingsOf('PASS-SHRIMP')).find(
        (f) => f.code === 'description_suggests_other_code',
      );
      assert.ok(warning);
      assert.equal(warning.path, 'items[0].hsCode');
      assert.equal(warning.severity, 'warning');
      assert.equal(warning.layer, 'plausibility');
      assert.match(warning.message, /suggests 0306\.\d\d \(heading 0306, \d+% sure\), declared 8517\.13/);
      const shirts = await findingsOf('PASS-SHIRTS');
      assert.ok(!shirts.some((f) => f.code === 'description_suggests_other_code'), JSON.stringify(shirts));
      // a vague description has its own warning and is not compared
      const vague = await findingsOf('PASS-VAGUE');
      assert.deepEqual(
        vague.map((f) => f.code).filter((c) => c.includes('description')),
        ['vague_description'],
      );
      assert.equal(await inconsistentHsCodes(), 1);

      assert.deepEqual(await compareImportedDescriptions(ctx.db, validation, scope), {
        declarations: 3,
        findings: 0,
      });
      assert.equal(
        (await findingsOf('PASS-SHRIMP')).filter((f) => f.code === 'description_suggests_other_code').length,
        1,
      );
      assert.equal(await inconsistentHsCodes(), 1);
    });
  });
}
