import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { clearwayColumns } from './formats/clearway-columns.ts';
import { maxRowLength } from './formats/csv-reader.ts';
import { HeaderError } from './formats/format.ts';
import { importDeclarations, importFile, type ImportFormat } from './importer.ts';
import { declarationColumns, itemColumns } from './rows.ts';
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
  office: '030',
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
      // the last row names no trader, so it may belong to BAD-2 before it: it goes with it
      assert.deepEqual([summary.accepted, summary.rejected], [1, 2]);
      const lines = text().trim().split('\n');
      assert.equal(lines[0], 'line,functional_reference,path,code,message');
      assert.match(text(), /^2,BAD-1,items\[0\]\.hsCode,invalid_format,/m);
      assert.match(text(), /^4,BAD-2,items\[0\]\.netMass,invalid_number,/m);
      assert.match(
        text(),
        /^5,BAD-2,row,unreadable_row,"row 5 has 3 fields, the header has 40; which declaration/m,
      );
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

    /** Imports a clearway file, returning the summary, the rejects as [line, reference, path, code] and the message of each. */
    async function importing(csv: string) {
      const rejects = new PassThrough();
      const text = collect(rejects);
      const summary = await run(Readable.from([csv]), 'clearway', rejects);
      const rows = text()
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => {
          const [line = '', reference = '', path = '', code = '', ...message] = l.split(',');
          return { at: [Number(line), reference, path, code], message: message.join(',') };
        });
      return { summary, rejects: rows.map((r) => r.at), messages: rows.map((r) => r.message) };
    }

    /** The stored declarations whose reference starts with `prefix`, with their number of items. */
    async function stored(prefix: string): Promise<Record<string, number>> {
      const rows = await ctx.db.query<{ ref: string; n: number }>(
        `SELECT d.functional_reference AS ref, count(i.*)::int8 AS n FROM declarations d
         JOIN declaration_items i ON i.declaration_id = d.id
         WHERE d.functional_reference LIKE $1 GROUP BY 1 ORDER BY 1`,
        [`${prefix}%`],
      );
      return Object.fromEntries(rows.map((r) => [r.ref, r.n]));
    }

    const item = (ref: string, n: number, overrides: Record<string, string> = {}) =>
      row(ref, {
        invoice_total: '900',
        item_sequence: String(n),
        item_value: '300',
        ...overrides,
      });

    test('a row that cannot be read inside a declaration rejects it whole, each of its rows named', async () => {
      const csv = clearwayCsv([item('IN-0', 1), item('IN-0', 2), item('IN-0', 3)])
        .split('\n')
        .map((l, i) => (i === 2 ? l.replace('cotton t-shirts', '"cotton t-shirts') : l))
        .join('\n');
      const before = clearwayCsv([item('IN-A', 1), item('IN-A', 2), item('IN-A', 3)]);
      const after = clearwayCsv([item('IN-B', 1), item('IN-B', 2), item('IN-B', 3)]);
      const file = before + csv.split('\n').slice(1).join('\n') + after.split('\n').slice(1).join('\n');
      const { summary, rejects, messages } = await importing(file);
      assert.deepEqual([summary.accepted, summary.rejected], [2, 1]);
      assert.deepEqual(rejects, [
        [5, 'IN-0', 'row', 'declaration_rejected'],
        [6, 'IN-0', 'row', 'unreadable_row'],
        [7, 'IN-0', 'row', 'declaration_rejected'],
      ]);
      assert.match(messages[0] ?? '', /from line 5\) for what was found at line 6/);
      assert.deepEqual(await stored('IN-'), { 'IN-A': 3, 'IN-B': 3 });
    });

    test('a row that cannot be read between two declarations rejects both, saying why', async () => {
      const file =
        clearwayCsv([
          item('BETWEEN-A', 1),
          item('BETWEEN-A', 2),
          item('BETWEEN-B', 1),
          item('BETWEEN-B', 2),
        ]) +
        clearwayCsv([item('BETWEEN-C', 1), item('BETWEEN-C', 2), item('BETWEEN-D', 1)])
          .split('\n')
          .slice(1)
          .join('\n');
      // an open quote at the start of BETWEEN-C's first row, closed only by a quote two rows later
      const lines = file.split('\n');
      lines[5] = (lines[5] ?? '').replace(',030,', ',"030,');
      lines[7] = (lines[7] ?? '').replace('cotton t-shirts', '"cotton, t-shirts"');
      const { summary, rejects, messages } = await importing(lines.join('\n'));
      assert.deepEqual([summary.accepted, summary.rejected], [2, 2]);
      assert.deepEqual(rejects, [
        [4, 'BETWEEN-B', 'row', 'declaration_rejected'],
        [5, 'BETWEEN-B', 'row', 'declaration_rejected'],
        [6, 'BETWEEN-B', 'row', 'unreadable_row'],
        [7, 'BETWEEN-C', 'row', 'unreadable_row_before'],
      ]);
      assert.match(messages[2] ?? '', /declarations on both sides of it are rejected/);
      assert.match(messages[3] ?? '', /line 6 just before this declaration could not be read/);
      // the quote that closed the broken one belongs to a row that is read again, whole
      assert.deepEqual(await stored('BETWEEN-'), { 'BETWEEN-A': 2, 'BETWEEN-D': 1 });
    });

    test('a row of the wrong width that names its declaration rejects that declaration only', async () => {
      const csv = clearwayCsv([
        item('WIDTH-A', 1),
        item('WIDTH-B', 1),
        item('WIDTH-B', 2),
        item('WIDTH-C', 1),
      ]);
      const lines = csv.split('\n');
      lines[3] = `${lines[3] ?? ''},extra`;
      const { summary, rejects } = await importing(lines.join('\n'));
      assert.deepEqual([summary.accepted, summary.rejected], [2, 1]);
      assert.deepEqual(rejects, [
        [3, 'WIDTH-B', 'row', 'declaration_rejected'],
        [4, 'WIDTH-B', 'row', 'unreadable_row'],
      ]);
      assert.deepEqual(await stored('WIDTH-'), { 'WIDTH-A': 1, 'WIDTH-C': 1 });
    });

    test('a field over the size limit between two declarations rejects both, and the file is read on', async () => {
      const csv = clearwayCsv([
        item('LONG-A', 1),
        item('LONG-B', 1),
        item('LONG-B', 2, { description: 'x'.repeat(maxRowLength) }),
        item('LONG-C', 1),
        item('LONG-D', 1),
      ]);
      const { summary, rejects } = await importing(csv);
      assert.deepEqual([summary.accepted, summary.rejected], [2, 2]);
      assert.deepEqual(rejects, [
        [3, 'LONG-B', 'row', 'declaration_rejected'],
        [4, 'LONG-B', 'row', 'unreadable_row'],
        [5, 'LONG-C', 'row', 'unreadable_row_before'],
      ]);
      assert.deepEqual(await stored('LONG-'), { 'LONG-A': 1, 'LONG-D': 1 });
    });

    test('a header field that differs between the rows of a declaration rejects it, naming the row and field', async () => {
      const { summary, rejects, messages } = await importing(
        clearwayCsv([
          item('HEAD-A', 1),
          item('HEAD-A', 2, { date: '2026-04-02' }),
          item('HEAD-A', 3, { office: '' }),
          item('HEAD-B', 1),
        ]),
      );
      assert.deepEqual([summary.accepted, summary.rejected], [1, 1]);
      assert.deepEqual(rejects, [
        [2, 'HEAD-A', 'row', 'declaration_rejected'],
        [3, 'HEAD-A', 'date', 'inconsistent_header'],
        [4, 'HEAD-A', 'office', 'inconsistent_header'],
      ]);
      assert.match(
        messages[1] ?? '',
        /^"?row 3 gives date ""2026-04-02"", where the declaration's first row \(line 2\) gives ""2026-04-01""/,
      );
      assert.match(
        messages[2] ?? '',
        /^"?row 4 leaves office empty, where the declaration's first row \(line 2\) gives ""030""/,
      );
      assert.deepEqual(await stored('HEAD-'), { 'HEAD-B': 1 });
    });

    test('text the database cannot store is a finding at its field, and the import goes on', async () => {
      const { summary, rejects } = await importing(
        clearwayCsv([
          item('NUL-A', 1),
          item('NUL-B', 1, { description: 'cotton\u0000shirts' }),
          item('NUL-C', 1, { seller: 'ACME\uD800' }),
          item('NUL-D', 1, {
            net_mass: '2\u00000',
            control_outcome: 'non_compliant',
            irregularity: 'x\u0000',
          }),
          item('NUL-E\u0000', 1),
          item('NUL-F', 1),
        ]),
      );
      assert.deepEqual([summary.accepted, summary.rejected], [2, 4]);
      assert.deepEqual(rejects, [
        [3, 'NUL-B', 'items[0].description', 'unstorable_text'],
        [4, 'NUL-C', 'seller', 'unstorable_text'],
        [5, 'NUL-D', 'items[0].netMass', 'invalid_number'],
        [5, 'NUL-D', 'irregularity', 'unstorable_text'],
        [6, '', 'functionalReference', 'unstorable_text'],
      ]);
      assert.deepEqual(await stored('NUL-'), { 'NUL-A': 1, 'NUL-F': 1 });
    });

    test('a KCS row that cannot be read is rejected alone, and the rows after it are read', async () => {
      const text = await readFile(path.join(kcsDir, 'valid.csv'), 'utf8');
      const [header = '', ...rows] = text.split('\n').slice(0, 5);
      const own = rows.map((r, i) => r.replace(/^\d+/, `KCSQ-${i + 1}`));
      own[1] = (own[1] ?? '').replace(/,(\w+),/, ',"$1,');
      const rejects = new PassThrough();
      const written = collect(rejects);
      const summary = await run(Readable.from([[header, ...own].join('\n') + '\n']), 'kcs', rejects);
      assert.deepEqual([summary.accepted, summary.rejected], [3, 1], written());
      assert.match(written(), /^3,,row,unreadable_row,row 3: a quoted field is never closed$/m);
      const found = await ctx.db.query<{ ref: string }>(
        "SELECT functional_reference AS ref FROM declarations WHERE functional_reference LIKE 'KCSQ-%' ORDER BY 1",
      );
      assert.deepEqual(
        found.map((r) => r.ref),
        ['KCSQ-1', 'KCSQ-3', 'KCSQ-4'],
      );
    });

    test('a file prepared in parts by several worker threads stores the same rows, ids and rejects as one worker', async () => {
      const file = await messyFile();
      const once = async (workers: number) => {
        const own = await openTestContext(target);
        try {
          const rejects = new PassThrough();
          const written = collect(rejects);
          const validation = { ...own.validation(), referenceDir: own.config.referenceDir };
          // parts of about 3 KB: the file is cut in dozens of places, some inside a declaration
          const summary = await importFile(own.db, validation, file.path, {
            format: 'clearway',
            actor: 'test',
            rejects,
            batchSize: 7,
            workers,
            partBytes: 3_000,
          });
          return { summary: { ...summary, seconds: 0 }, rejects: written(), stored: await storedRows(own) };
        } finally {
          await own.dispose();
        }
      };
      try {
        const alone = await once(1);
        const parallel = await once(3);
        assert.ok(alone.summary.accepted > 100 && alone.summary.rejected > 10, JSON.stringify(alone.summary));
        assert.ok(alone.summary.duplicates > 0 && /functional_reference_conflict/.test(alone.rejects));
        assert.deepEqual(parallel.summary, alone.summary);
        assert.equal(parallel.rejects, alone.rejects);
        assert.equal(parallel.stored, alone.stored);
      } finally {
        await file.remove();
      }
    });
  });
}

/**
 * A clearway file of a few hundred declarations of one to three rows, with what a real file may
 * hold: broken rows, a quote never closed, quoted fields over several lines (one holding lines that
 * read as rows of their own), repeated declarations and a reused functional reference.
 */
async function messyFile(): Promise<{ path: string; remove: () => Promise<void> }> {
  const lines: string[] = [];
  const line = (r: Record<string, string>) => clearwayColumns.map((c) => r[c] ?? '').join(',');
  for (let d = 0; d < 300; d++) {
    const ref = `PAR-${d}`;
    const items = 1 + (d % 3);
    for (let i = 1; i <= items; i++) {
      const r = row(ref, {
        item_sequence: String(i),
        invoice_total: String(300 * items),
        trader: `T${d % 7}`,
      });
      if (d % 41 === 5 && i === 1) r.description = `"cotton\nt-shirts, ""printed""\nin three lines"`;
      if (d % 53 === 9 && i === 1)
        r.description = `"a note\n${line(row('PAR-IN-1'))}\n${line(row('PAR-IN-2'))}\nend"`;
      // longer than two parts: a part starts inside it, and takes its lines for rows (then the rest
      // of the file is prepared by one worker from where the part before ended)
      if (d === 270 && i === 1)
        r.description = `"a note\n${Array.from({ length: 40 }, (_, n) => line(row(`PAR-IN-${n}`))).join('\n')}\nend"`;
      if (d % 37 === 7) r.net_mass = 'heavy';
      if (d % 43 === 11 && i === items) r.gross_mass = '1';
      lines.push(line(r));
    }
    if (d % 29 === 3) lines.push('broken,row');
    if (d % 61 === 17) lines.push(`${line(row(`PAR-Q-${d}`)).replace(',', ',"')}`);
    if (d % 31 === 13)
      lines.push(
        line(row(`PAR-${d - 1}`, { trader: `T${(d - 1) % 7}`, invoice_total: '301', item_value: '301' })),
      );
    if (d % 47 === 19)
      lines.push(line(row(`PAR-${d - 2}`, { trader: `T${(d - 2) % 7}`, invoice_total: '300' })));
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'clearway-parts-'));
  const file = path.join(dir, 'declarations.csv');
  await writeFile(file, [clearwayColumns.join(','), ...lines].join('\n') + '\n');
  return { path: file, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** What an import stored, as text: every column it writes, in id order. */
async function storedRows(ctx: TestContext): Promise<string> {
  const tables: [string, string, string][] = [
    ['declarations', declarationColumns.join(', '), 'id'],
    ['declaration_items', itemColumns.join(', '), 'declaration_id, sequence'],
    ['declaration_events', 'declaration_id, seq, kind, actor, data', 'declaration_id, seq'],
    [
      'control_results',
      'declaration_id, outcome, irregularity, severity, source, recorded_by',
      'declaration_id',
    ],
    ['quality_counts', '*', '1, 2, 3'],
  ];
  const out: string[] = [];
  for (const [table, columns, order] of tables) {
    const rows = await ctx.db.query(`SELECT ${columns} FROM ${table} ORDER BY ${order}`);
    out.push(`${table}: ${rows.length}`, ...rows.map((r) => JSON.stringify(r)));
  }
  return out.join('\n');
}
