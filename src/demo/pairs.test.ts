import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseWcoMessage } from '../declarations/formats/wco-xml/index.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import { validateDeclaration } from '../declarations/validate/index.ts';
import { parsePairsArgs } from '../cli/demo.ts';
import { openTestContext, type TestContext } from '../testing/harness.ts';
import { generatePairs, PairSide, pairTraders, type PairOptions } from './pairs.ts';
import { writeDemoPairs } from './pairs-writer.ts';

const options: PairOptions = {
  pairs: 300,
  seed: 5,
  from: '2026-01-01',
  to: '2026-03-31',
  exporting: 'NL',
  importing: 'KR',
  undervaluedShare: 0.25,
  unmatchedShare: 0.1,
};
const pairs = [...generatePairs(options)];

describe('demo pairs of exports and imports for two administrations', () => {
  let ctx: TestContext;
  let dir: string;
  before(async () => {
    ctx = await openTestContext('pglite');
    dir = await mkdtemp(path.join(tmpdir(), 'clearway-pairs-'));
  });
  after(async () => {
    await ctx.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  test('the same seed gives the same pairs and another seed others', () => {
    assert.equal(pairs.length, options.pairs);
    assert.deepEqual([...generatePairs(options)], pairs);
    assert.notDeepEqual([...generatePairs({ ...options, seed: 6 })], pairs);
  });

  test('the consignments are spread over the whole period', () => {
    const months = new Set(pairs.flatMap((p) => (p.import ? [p.import.date.slice(0, 7)] : [])));
    assert.deepEqual([...months].sort(), ['2026-01', '2026-02', '2026-03']);
  });

  test('a matched pair shares its UCR, transport document, parties and goods, and is bound from A to B', () => {
    for (const p of pairs.filter((p) => p.side === PairSide.Both)) {
      const { export: ex, import: im } = p;
      assert.ok(ex && im);
      assert.equal(ex.type, 'EX');
      assert.equal(im.type, 'IM');
      assert.deepEqual([ex.ucr, im.ucr], [p.ucr, p.ucr]);
      assert.deepEqual(
        [ex.transportDocument, im.transportDocument],
        [p.transportDocument, p.transportDocument],
      );
      assert.deepEqual([ex.dispatchCountry, ex.destinationCountry], ['NL', 'KR']);
      assert.deepEqual([im.dispatchCountry, im.destinationCountry], ['NL', 'KR']);
      assert.equal(im.exporter, ex.trader);
      assert.equal(ex.buyer, im.trader);
      assert.ok(ex.date <= im.date, 'exported before imported');
      const goods = (d: DeclarationInput) => d.items.map((i) => [i.hsCode, i.netMass, i.originCountry]);
      assert.deepEqual(goods(im), goods(ex));
      const ratio = (im.invoiceTotal ?? 0) / (ex.invoiceTotal ?? 1);
      if (p.undervaluedRatio === undefined) assert.ok(ratio > 1 && ratio < 1.1, `honest ratio ${ratio}`);
      else
        assert.ok(Math.abs(ratio - p.undervaluedRatio) < 0.02 && ratio < 0.45, `undervalued ratio ${ratio}`);
    }
  });

  test('shares of undervalued and one-sided consignments follow the options', () => {
    const count = (side: string) => pairs.filter((p) => p.side === side).length;
    const both = count(PairSide.Both);
    assert.ok(count(PairSide.ExportOnly) > 15 && count(PairSide.ExportOnly) < 50);
    assert.ok(count(PairSide.ImportOnly) > 15 && count(PairSide.ImportOnly) < 50);
    assert.ok(
      pairs.every((p) =>
        p.side === PairSide.ExportOnly ? !p.import : p.side === PairSide.ImportOnly ? !p.export : true,
      ),
    );
    const undervalued = pairs.filter((p) => p.undervaluedRatio !== undefined).length;
    assert.ok(undervalued > both * 0.15 && undervalued < both * 0.35, `${undervalued} of ${both}`);
    const none = [...generatePairs({ ...options, undervaluedShare: 0, unmatchedShare: 0 })];
    assert.ok(none.every((p) => p.side === PairSide.Both && p.undervaluedRatio === undefined));
  });

  test('every declaration passes validation, lodged by its side’s broker for its side’s traders', () => {
    const validation = ctx.validation();
    for (const p of pairs)
      for (const d of [p.export, p.import]) {
        if (!d) continue;
        const result = validateDeclaration(structuredClone(d), validation);
        assert.ok(result.ok, JSON.stringify(result.ok ? [] : result.error.findings.slice(0, 3)));
        const side = d.type === 'EX' ? 'NL' : 'KR';
        assert.equal(d.declarant, `${side}BROKER`);
        assert.ok(pairTraders(side).includes(d.trader));
      }
  });

  test('writes batch bodies, a WCO XML folder of the imports and the labels', async () => {
    const out = path.join(dir, 'pairs');
    const written = await writeDemoPairs({ ...options, pairs: 40 }, out);
    const exports = JSON.parse(await readFile(path.join(out, 'NL-exports.json'), 'utf8')) as {
      declarations: DeclarationInput[];
    };
    const imports = JSON.parse(await readFile(path.join(out, 'KR-imports.json'), 'utf8')) as {
      declarations: DeclarationInput[];
    };
    assert.equal(exports.declarations.length, written.exports);
    assert.equal(imports.declarations.length, written.imports);
    const files = (await readdir(path.join(out, 'KR-imports'))).sort();
    assert.equal(files.length, written.imports);
    for (const f of files) {
      const parsed = parseWcoMessage(await readFile(path.join(out, 'KR-imports', f), 'utf8'));
      assert.ok(parsed.ok && parsed.value.findings.length === 0, f);
    }
    const labels = (await readFile(path.join(out, 'labels.csv'), 'utf8')).trim().split('\n');
    assert.equal(labels.length, 41);
    assert.equal(labels.filter((l) => l.split(',')[7] === 'true').length, written.undervalued);
    assert.equal(
      (await readFile(path.join(out, 'KR-traders.txt'), 'utf8')).trim(),
      pairTraders('KR').join(','),
    );
  });

  test('the command refuses bad options with a message naming them', () => {
    const refused = (args: string[]) => {
      const r = parsePairsArgs(args, '2026-06-01');
      return r.ok ? '' : r.error.message;
    };
    assert.match(refused([]), /--out DIR is required/);
    assert.match(refused(['--out', 'x', '--pairs', '1001']), /--pairs must be an integer from 1 to 1000/);
    assert.match(refused(['--out', 'x', '--undervalued', '2']), /--undervalued must be a share/);
    assert.match(refused(['--out', 'x', '--exporting', 'KR']), /must differ/);
    assert.match(refused(['--out', 'x', '--importing', 'kr']), /--importing must be an administration code/);
    const ok = parsePairsArgs(['--out', 'x'], '2026-06-01');
    assert.ok(ok.ok && ok.value.options.from === '2026-03-01' && ok.value.options.exporting === 'NL');
  });
});
