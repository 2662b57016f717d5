/** `clearway classify`, run as a subprocess against a fresh database of each engine with a small active model. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { storeTestClassifier } from '../testing/classifier.ts';
import { clearway } from '../testing/cli-process.ts';
import { storageTargets } from '../testing/harness.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';

for (const target of storageTargets()) {
  describe(`clearway classify on ${target}`, () => {
    let store: EmptyStore;
    let dir = '';
    let version = 0;
    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'clearway-classify-'));
      store = await emptyStore(target);
      const db = await store.open();
      try {
        version = await storeTestClassifier(db);
      } finally {
        await db.close();
      }
    });
    after(async () => {
      await store?.dispose();
      await rm(dir, { recursive: true, force: true });
    });
    const run = (args: string[]) => clearway({ ...store.env, LOG_LEVEL: 'silent' }, args);

    test('suggest prints the likely subheadings of a description with their texts, as one JSON line', async () => {
      const res = await run([
        'classify',
        'suggest',
        'frozen',
        'shrimp',
        '500g',
        'bag',
        '--date',
        '2026-03-02',
        '--json',
      ]);
      assert.equal(res.code, 0, res.stderr);
      const answer = JSON.parse(res.stdout) as {
        model: number;
        edition: string;
        suggestions: { hs6: string; code: string; words: string[]; heading: { description: string } }[];
      };
      assert.deepEqual([answer.model, answer.edition, answer.suggestions.length], [version, 'HS2022', 5]);
      assert.equal(answer.suggestions[0]?.hs6.slice(0, 4), '0306');
      assert.match(answer.suggestions[0]?.heading.description ?? '', /rustaceans/);
    });

    test('evaluate prints top-1, 3 and 5 shares at HS2, HS4 and HS6, and names a bad row', async () => {
      const cases = path.join(dir, 'cases.csv');
      await writeFile(
        cases,
        'id,text,expected_hs_code\n1,frozen shrimp 500g bag,0306.17\n2,"mens cotton shirts, woven",620520\n3,fresh bananas,080390\n4,lithium ion battery pack 48V,850760\n',
      );
      const res = await run(['classify', 'evaluate', '--input', cases, '--json']);
      assert.equal(res.code, 0, res.stderr);
      const result = JSON.parse(res.stdout) as Record<string, unknown> & {
        n: number;
        top1: Record<string, number>;
        top5: Record<string, number>;
      };
      assert.deepEqual(Object.keys(result), ['n', 'top1', 'top3', 'top5']);
      assert.equal(result.n, 4);
      assert.ok((result.top1.hs2 ?? 0) >= 0.75, JSON.stringify(result));
      assert.ok(
        (result.top5.hs4 ?? 0) >= (result.top1.hs4 ?? 1) && (result.top1.hs6 ?? 1) <= (result.top1.hs4 ?? 0),
      );
      const bad = path.join(dir, 'bad.csv');
      await writeFile(bad, 'text,expected_hs_code\nfrozen shrimp,0306\n');
      const refused = await run(['classify', 'evaluate', '--input', bad]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /line 2/);
    });
  });
}
