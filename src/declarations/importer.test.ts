import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { clearwayColumns } from './formats/clearway-columns.ts';
import { HeaderError } from './formats/format.ts';
import { importDeclarations, type ImportFormat } from './importer.ts';
import { openTestContext, storageTargets, type TestContext } from '../testing/harness.ts';
import { dataFile } from '../reference/reference-dir.ts';

const kcsDir = dataFile('kcs');

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

/** A clearway CSV from rows given as partial column maps. */
function clearwayCsv(rows: Record<string, string>[]): string {
  const lines = rows.map((r) => clearwayColumns.map((c) => r[c] ?? '').join(','));
  return [clearwayColumns.join(','), ...lines].join('\n') + '\n';
}

const row = (ref: string, overrides: Record<string, string> = {}) => ({
  type: 'IM',
  functional_reference: ref,
  date: '2026-04-01',
  office: 'ICN',
  declarant: 'B1',
  trader: 'T1',
  currency: 'USD',
  invoice_total: '300',
  item_sequence: '1',
  hs_code: '610910',
  description: 'cotton t-shirts',
  item_origin_country: 'VN',
  net_mass: '20',
  gross_mass: '22',
  item_value: '300',
  ...overrides,
});

for (const target of storageTargets()) {
  describe(`importing declaration files (${target})`, () => {
    let ctx: TestContext;
    before(async () => {
      ctx = await openTestContext(target);
    });
    after(() => ctx.dispose());

    const run = (input: Readable, format: ImportFormat, rejects?: PassThrough) =>
      importDeclarations(ctx.db, ctx.validation(), input, {
        format,
        actor: 'test',
        ...(rejects ? { rejects } : {}),
      });

    test('imports every row of the KCS training file, keeping dates and inspection results', async () => {
      const rejects = new PassThrough();
      const text = collect(rejects);
      const summary = await run(createReadStream(path.join(kcsDir, 'train.csv')), 'kcs', rejects);
      assert.equal(summary.rejected, 0, text());
      assert.equal(summary.accepted, 37_385);
      const [dates] = await ctx.db.query<{ min: string; max: string }>(
        "SELECT min(date)::text AS min, max(date)::text AS max FROM declarations WHERE source = 'kcs'",
      );
      assert.deepEqual(dates, { min: '2020-01-01', max: '2020-12-31' });
      const outcomes = await ctx.db.query<{ outcome: string; severity: number; n: number }>(
        'SELECT outcome, severity, count(*)::int8 AS n FROM control_results GROUP BY 1, 2 ORDER BY 1, 2',
      );
      assert.deepEqual(outcomes, [
        { outcome: 'compliant', severity: 0, n: 29_271 },
        { outcome: 'non_compliant', severity: 1, n: 7_720 },
        { outcome: 'non_compliant', severity: 2, n: 394 },
      ]);
    });

    test('imports every row of the KCS validation file', async () => {
      const summary = await run(createReadStream(path.join(kcsDir, 'valid.csv')), 'kcs');
      assert.deepEqual([summary.accepted, summary.rejected], [8_134, 0]);
    });

    test('importing the same file twice adds nothing', async () => {
      const before = await ctx.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM declarations');
      const summary = await run(createReadStream(path.join(kcsDir, 'valid.csv')), 'kcs');
      assert.deepEqual([summary.accepted, summary.duplicates, summary.rejected], [0, 8_134, 0]);
      const afterwards = await ctx.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM declarations');
      assert.deepEqual(afterwards, before);
    });

    test('groups consecutive item rows of a clearway file into one declaration', async () => {
      const csv = clearwayCsv([
        row('MULTI-1', { invoice_total: '500' }),
        row('MULTI-1', {
          invoice_total: '500',
          item_sequence: '2',
          hs_code: '620342',
          description: 'cotton trousers',
          item_value: '200',
        }),
        row('SINGLE-1'),
      ]);
      const summary = await run(Readable.from([csv]), 'clearway');
      assert.deepEqual([summary.accepted, summary.rejected], [2, 0]);
      const items = await ctx.db.query<{ n: number }>(
        "SELECT count(*)::int8 AS n FROM declaration_items i JOIN declarations d ON d.id = i.declaration_id WHERE d.functional_reference = 'MULTI-1'",
      );
      assert.equal(items[0]?.n, 2);
    });

    test('writes rejected rows with their line and reasons, and stores the rest', async () => {
      const rejects = new PassThrough();
      const text = collect(rejects);
      const csv =
        clearwayCsv([
          row('BAD-1', { hs_code: '12AB56' }),
          row('GOOD-1'),
          row('BAD-2', { net_mass: 'heavy' }),
        ]) + 'too,few,fields\n';
      const summary = await run(Readable.from([csv]), 'clearway', rejects);
      assert.deepEqual([summary.accepted, summary.rejected], [1, 3]);
      const lines = text().trim().split('\n');
      assert.equal(lines[0], 'line,functional_reference,path,code,message');
      assert.match(text(), /^2,BAD-1,items\[0\]\.hsCode,invalid_format,/m);
      assert.match(text(), /^4,BAD-2,items\[0\]\.netMass,invalid_number,/m);
      assert.match(text(), /^5,,row,unreadable_row,"row 5 has 3 fields, the header has 34"$/m);
    });

    test('stores text with backslashes and quotes exactly as declared', async () => {
      const description = 'valves \\ fittings "DN50", 2\\3 inch';
      const csv = clearwayCsv([row('ESCAPE-1', { description: `"${description.replace(/"/g, '""')}"` })]);
      const summary = await run(Readable.from([csv]), 'clearway');
      assert.equal(summary.accepted, 1);
      const [stored] = await ctx.db.query<{ description: string }>(
        "SELECT i.description FROM declaration_items i JOIN declarations d ON d.id = i.declaration_id WHERE d.functional_reference = 'ESCAPE-1'",
      );
      assert.equal(stored?.description, description);
    });

    test('rejects a resubmission that reuses a functional reference for different content', async () => {
      await run(Readable.from([clearwayCsv([row('SAME-1')])]), 'clearway');
      const summary = await run(
        Readable.from([clearwayCsv([row('SAME-1', { item_value: '301', invoice_total: '301' })])]),
        'clearway',
      );
      assert.deepEqual([summary.accepted, summary.rejected, summary.duplicates], [0, 1, 0]);
    });

    test('refuses a file whose header lacks required columns, naming them', async () => {
      const csv = 'type,functional_reference,date\nIM,X,2026-01-01\n';
      await assert.rejects(
        run(Readable.from([csv]), 'clearway'),
        (e: unknown) =>
          e instanceof HeaderError &&
          /office, declarant, trader, currency, hs_code, item_value/.test(e.message),
      );
      await assert.rejects(
        run(Readable.from(['Declaration ID,Date\n']), 'kcs'),
        /lacks the column\(s\): Office ID/,
      );
      await assert.rejects(run(Readable.from(['']), 'kcs'), /the file is empty/);
    });
  });
}
