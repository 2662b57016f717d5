/**
 * Uploading declaration files through the real HTTP server: the file is received, imported in the
 * background and assessed; the uploader follows its progress and reads the rejected rows. Rows for
 * someone else are refused, and so are files that are not CSV, too large or empty.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Role } from '../governance/roles.ts';
import {
  createRoleUsers,
  createUserToken,
  openTestContext,
  otherTrader,
  startTestServer,
  storageTargets,
  testTrader,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { aClearwayRow, clearwayCsv } from '../testing/clearway-csv.ts';

type Body = Record<string, unknown>;

const limit = 64 * 1024;
let serial = 0;
const references = (n: number) => {
  const run = `${process.pid}-${++serial}`;
  return Array.from({ length: n }, (_, i) => `UP-${run}-${i + 1}`);
};

for (const target of storageTargets()) {
  describe(`uploading declaration files (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let otherToken: string;

    before(async () => {
      ctx = await openTestContext(target, { CLEARWAY_UPLOAD_LIMIT: String(limit) });
      tokens = await createRoleUsers(ctx);
      otherToken = await createUserToken(ctx, {
        username: 'trader-b',
        role: Role.Trader,
        partyId: otherTrader,
      });
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server?.close();
      await ctx?.dispose();
    });

    const upload = (token: string, csv: string, query = 'format=clearway', contentType = 'text/csv') =>
      server.request('POST', `/api/imports?${query}`, {
        token,
        raw: csv,
        headers: { 'content-type': contentType },
      });

    /** Follows an import until it is done or failed. */
    async function finished(token: string, id: unknown): Promise<Body> {
      for (let i = 0; i < 300; i++) {
        const res = await server.request('GET', `/api/imports/${String(id)}`, { token });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`import ${String(id)} did not finish`);
    }

    async function uploaded(token: string, csv: string): Promise<Body> {
      const res = await upload(token, csv);
      assert.equal(res.status, 202, JSON.stringify(res.body));
      return finished(token, res.body.id);
    }

    const counts = (job: Body) => ({
      rowsRead: job.rowsRead,
      accepted: job.accepted,
      rejected: job.rejected,
      duplicates: job.duplicates,
      assessed: job.assessed,
    });

    async function rejectsOf(token: string, id: unknown) {
      const res = await server.request('GET', `/api/imports/${String(id)}/rejects`, { token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.items as { line: number; reference?: string; path: string; code: string }[];
    }

    test('a trader uploads its declarations: they are stored, assessed and visible with their lanes', async () => {
      const refs = references(5);
      const csv = clearwayCsv(refs.map((r) => aClearwayRow(r)));
      const res = await server.request('POST', '/api/imports?format=clearway&name=march.csv', {
        token: tokens.trader,
        raw: csv,
        headers: { 'content-type': 'text/csv; charset=utf-8' },
      });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.equal(res.body.status, 'importing');
      assert.equal(res.headers.get('location'), `/api/imports/${String(res.body.id)}`);

      const job = await finished(tokens.trader, res.body.id);
      assert.equal(job.status, 'done', String(job.error));
      assert.deepEqual(counts(job), { rowsRead: 5, accepted: 5, rejected: 0, duplicates: 0, assessed: 5 });
      assert.deepEqual(
        [job.owner, job.party, job.format, job.fileName, job.bytes],
        ['trader', testTrader, 'clearway', 'march.csv', Buffer.byteLength(csv)],
      );
      const lanes = job.lanes as Record<string, number>;
      assert.equal(
        Object.values(lanes).reduce((a, b) => a + b, 0),
        5,
      );

      const list = await server.request('GET', '/api/declarations?limit=500', { token: tokens.trader });
      const mine = (
        list.body.items as { functionalReference: string; lane?: string; status: string }[]
      ).filter((d) => refs.includes(d.functionalReference));
      assert.equal(mine.length, 5);
      for (const d of mine) {
        assert.match(d.lane ?? '', /^(red|yellow|blue|green)$/);
        // nothing to pay (a duty rate of 0): released at assessment unless it is to be checked
        assert.equal(d.status, d.lane === 'green' || d.lane === 'blue' ? 'released' : 'accepted');
      }

      const imports = await server.request('GET', '/api/imports', { token: tokens.trader });
      assert.equal((imports.body.items as Body[])[0]?.id, job.id);

      const again = await uploaded(tokens.trader, csv);
      assert.deepEqual(counts(again), { rowsRead: 5, accepted: 0, rejected: 0, duplicates: 5, assessed: 0 });
    });

    test('rows that cannot be imported are listed with their line numbers, as JSON and as CSV', async () => {
      const [a, b, c, bad, d] = references(5) as [string, string, string, string, string];
      const csv = clearwayCsv([
        aClearwayRow(a),
        aClearwayRow(bad, { hs_code: '99999999' }),
        aClearwayRow(b),
        'IM,too,few,fields',
        aClearwayRow(c),
        aClearwayRow(d),
      ]);
      const job = await uploaded(tokens.trader, csv);
      assert.equal(job.status, 'done', String(job.error));
      // the short row names no trader: the declarations on both sides of it go with it
      assert.deepEqual(counts(job), { rowsRead: 6, accepted: 2, rejected: 3, duplicates: 0, assessed: 2 });
      assert.deepEqual([job.findings, job.findingsKept], [4, 4]);

      const rejects = await rejectsOf(tokens.trader, job.id);
      assert.deepEqual(
        rejects.map((r) => [r.line, r.reference, r.path, r.code]),
        [
          [3, bad, 'items[0].hsCode', 'unknown_hs_code'],
          [4, b, 'row', 'declaration_rejected'],
          [5, b, 'row', 'unreadable_row'],
          [6, c, 'row', 'unreadable_row_before'],
        ],
      );

      const csvRes = await fetch(`${server.url}/api/imports/${String(job.id)}/rejects`, {
        headers: { authorization: `Bearer ${tokens.trader}`, accept: 'text/csv' },
      });
      assert.equal(csvRes.status, 200);
      assert.match(csvRes.headers.get('content-type') ?? '', /^text\/csv/);
      const lines = (await csvRes.text()).trim().split('\n');
      assert.equal(lines[0], 'line,functional_reference,path,code,message');
      assert.equal(lines.length, 5);
      assert.match(lines[1] ?? '', new RegExp(`^3,${bad},items\\[0\\]\\.hsCode,unknown_hs_code,`));
      assert.match(lines[3] ?? '', new RegExp(`^5,${b},row,unreadable_row,`));

      const firstPage = await server.request('GET', `/api/imports/${String(job.id)}/rejects?limit=1`, {
        token: tokens.trader,
      });
      assert.equal((firstPage.body.items as Body[]).length, 1);
      const next = await server.request(
        'GET',
        `/api/imports/${String(job.id)}/rejects?limit=1&after=${String(firstPage.body.nextCursor)}`,
        { token: tokens.trader },
      );
      assert.deepEqual(
        (next.body.items as Body[]).map((r) => r.line),
        [4],
      );
    });

    test('a bad row is a rejected row: a NUL byte, a broken quote or a changed header fail no upload', async () => {
      const refs = references(40);
      const rows: (Record<string, string> | string)[] = refs.map((r) => aClearwayRow(r));
      // a NUL in an HS code, whose finding would quote it, after 33 good declarations
      rows[33] = aClearwayRow(refs[33] ?? '', { hs_code: '8517\u000013' });
      // a declaration of three rows: the second cannot be read, the third changes the date
      const multi = refs[36] ?? '';
      const second = clearwayCsv([aClearwayRow(multi, { item_sequence: '2' })]).split('\n')[1] ?? '';
      rows.splice(
        37,
        0,
        second.replace('smartphones', '"smartphones'),
        aClearwayRow(multi, { item_sequence: '3', date: '2026-03-03' }),
      );
      const job = await uploaded(tokens.trader, clearwayCsv(rows));
      assert.equal(job.status, 'done', String(job.error));
      assert.deepEqual(counts(job), { rowsRead: 42, accepted: 38, rejected: 2, duplicates: 0, assessed: 38 });
      const rejects = await rejectsOf(tokens.trader, job.id);
      assert.deepEqual(
        rejects.map((r) => [r.line, r.reference, r.path, r.code]),
        [
          [35, refs[33], 'items[0].hsCode', 'unstorable_text'],
          [38, multi, 'row', 'declaration_rejected'],
          [39, multi, 'row', 'unreadable_row'],
          [40, multi, 'date', 'inconsistent_header'],
        ],
      );
      const list = await server.request('GET', '/api/declarations?limit=500', { token: tokens.trader });
      const stored = new Set(
        (list.body.items as { functionalReference: string }[]).map((d) => d.functionalReference),
      );
      assert.deepEqual(
        refs.filter((r) => !stored.has(r)),
        [refs[33], multi],
      );
    });

    test("a trader's rows for another trader are rejected and never stored", async () => {
      const [own, theirs] = references(2) as [string, string];
      const job = await uploaded(
        tokens.trader,
        clearwayCsv([aClearwayRow(own), aClearwayRow(theirs, { trader: otherTrader })]),
      );
      assert.deepEqual(counts(job), { rowsRead: 2, accepted: 1, rejected: 1, duplicates: 0, assessed: 1 });
      const rejects = await rejectsOf(tokens.trader, job.id);
      assert.deepEqual(
        rejects.map((r) => [r.line, r.reference, r.path, r.code]),
        [[3, theirs, 'trader', 'not_authorized_for_trader']],
      );
      const list = await server.request('GET', '/api/declarations?limit=500', { token: otherToken });
      const refs = (list.body.items as { functionalReference: string }[]).map((d) => d.functionalReference);
      assert.ok(!refs.includes(theirs), 'the other trader has no declaration from this file');
    });

    test('a declarant imports for the traders it represents, as itself, and nothing else', async () => {
      const [ok, unrepresented, asAnother] = references(3) as [string, string, string];
      const job = await uploaded(
        tokens.declarant,
        clearwayCsv([
          aClearwayRow(ok),
          aClearwayRow(unrepresented, { trader: otherTrader }),
          aClearwayRow(asAnother, { declarant: 'BROKER-B' }),
        ]),
      );
      assert.deepEqual(counts(job), { rowsRead: 3, accepted: 1, rejected: 2, duplicates: 0, assessed: 1 });
      assert.deepEqual(
        (await rejectsOf(tokens.declarant, job.id)).map((r) => [r.line, r.path, r.code]),
        [
          [3, 'trader', 'not_authorized_for_trader'],
          [4, 'declarant', 'not_authorized_for_trader'],
        ],
      );
      // the trader sees what its declarant imported for it
      const list = await server.request('GET', '/api/declarations?limit=500', { token: tokens.trader });
      const refs = (list.body.items as { functionalReference: string }[]).map((d) => d.functionalReference);
      assert.ok(refs.includes(ok));
    });

    test('a control result in an upload is rejected: customs records those', async () => {
      const [ref] = references(1) as [string];
      const job = await uploaded(
        tokens.trader,
        clearwayCsv([aClearwayRow(ref, { control_outcome: 'compliant' })]),
      );
      assert.deepEqual(counts(job), { rowsRead: 1, accepted: 0, rejected: 1, duplicates: 0, assessed: 0 });
      assert.deepEqual(
        (await rejectsOf(tokens.trader, job.id)).map((r) => [r.line, r.path, r.code]),
        [[2, 'control', 'control_result_not_accepted']],
      );
    });

    test('another trader cannot see an import, which looks as if it did not exist; a supervisor can', async () => {
      const job = await uploaded(tokens.trader, clearwayCsv([aClearwayRow(references(1)[0] ?? '')]));
      for (const path of [`/api/imports/${String(job.id)}`, `/api/imports/${String(job.id)}/rejects`]) {
        const res = await server.request('GET', path, { token: otherToken });
        assert.equal(res.status, 404, JSON.stringify(res.body));
        assert.equal(res.body.error, 'import_not_found');
      }
      const theirs = await server.request('GET', '/api/imports', { token: otherToken });
      assert.deepEqual(theirs.body.items, []);
      const supervisor = await server.request('GET', `/api/imports/${String(job.id)}`, {
        token: tokens.supervisor,
      });
      assert.equal(supervisor.status, 200);
      assert.equal(supervisor.body.owner, 'trader');
    });

    const notCsv: [string, string | undefined][] = [
      ['JSON', 'application/json'],
      ['plain text', 'text/plain'],
      ['a form', 'application/x-www-form-urlencoded'],
      ['no content type', undefined],
    ];
    for (const [what, contentType] of notCsv) {
      test(`a body sent as ${what} is refused with 415`, async () => {
        const headers: Record<string, string> = { authorization: `Bearer ${tokens.trader}` };
        if (contentType) headers['content-type'] = contentType;
        const res = await fetch(`${server.url}/api/imports?format=clearway`, {
          method: 'POST',
          headers,
          body: contentType === undefined ? null : '{"declarations": []}',
        });
        const body = (await res.json()) as Body;
        assert.equal(res.status, 415, JSON.stringify(body));
        assert.equal(body.error, 'unsupported_media_type');
        assert.match(String(body.message), /text\/csv/);
      });
    }

    test('an unknown or missing format is refused with 400', async () => {
      for (const query of ['format=xml', 'format=', '']) {
        const res = await upload(tokens.trader, clearwayCsv([aClearwayRow('X-1')]), query);
        assert.equal(res.status, 400, `${query}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error, 'invalid_request');
        assert.match(String(res.body.message), /format/);
      }
    });

    test('a file larger than the upload limit is refused with 413, whether announced or streamed', async () => {
      const big = clearwayCsv([aClearwayRow('BIG-1', { description: 'x'.repeat(limit) })]);
      const announced = await upload(tokens.trader, big);
      assert.equal(announced.status, 413, JSON.stringify(announced.body));
      assert.equal(announced.body.error, 'body_too_large');
      assert.equal(
        announced.body.message,
        'the file is larger than 64 KB, the most one upload may hold: split it into smaller files',
      );

      const streamed = await fetch(`${server.url}/api/imports?format=clearway`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.trader}`, 'content-type': 'text/csv' },
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode(big.slice(0, 16 * 1024)));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      assert.equal(streamed.status, 413);
      assert.equal(((await streamed.json()) as Body).error, 'body_too_large');
      const [failed] = (await server.request('GET', '/api/imports', { token: tokens.trader })).body
        .items as Body[];
      assert.deepEqual([failed?.status, failed?.bytes], ['failed', 64 * 1024 + 16 * 1024]);
      assert.match(String(failed?.error), /larger than 64 KB/);
    });

    test('an empty file is refused with a message that says so', async () => {
      const res = await upload(tokens.trader, '');
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(res.body.error, 'empty_file');
      assert.equal(res.body.message, 'the file is empty: choose a CSV file with a header row');
    });

    test('a file whose header is not of the format fails with the reason', async () => {
      const res = await upload(tokens.trader, 'Declaration ID,Date,Office ID\n1,2020-01-01,030\n');
      assert.equal(res.status, 202);
      const job = await finished(tokens.trader, res.body.id);
      assert.equal(job.status, 'failed');
      assert.match(String(job.error), /^the clearway file lacks the column\(s\): type, functional_reference/);
    });

    test('an upload left unfinished by a server that stopped does not keep its owner waiting', async () => {
      const stopped = await ctx.db.query<{ id: number }>(
        `INSERT INTO imports (owner, party_id, role, format, runner) VALUES ('trader', $1, 'trader', 'clearway', 77)
         RETURNING id`,
        [testTrader],
      );
      const job = await uploaded(tokens.trader, clearwayCsv([aClearwayRow(references(1)[0] ?? '')]));
      assert.equal(job.status, 'done', String(job.error));
      const [left] = await ctx.db.query<{ status: string; error: string }>(
        'SELECT status, error FROM imports WHERE id = $1',
        [stopped[0]?.id],
      );
      assert.deepEqual(left, {
        status: 'failed',
        error: 'the server stopped while the file was being received: upload the file again',
      });
    });

    test('a user uploads one file at a time', async () => {
      let release = () => undefined as void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const csv = clearwayCsv([aClearwayRow(references(1)[0] ?? '')]);
      const first = fetch(`${server.url}/api/imports?format=clearway`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.trader}`, 'content-type': 'text/csv' },
        body: new ReadableStream({
          async start(controller) {
            controller.enqueue(new TextEncoder().encode(csv.slice(0, 100)));
            await held;
            controller.enqueue(new TextEncoder().encode(csv.slice(100)));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      // the first upload is being received
      for (let i = 0; i < 100; i++) {
        const [latest] = (await server.request('GET', '/api/imports', { token: tokens.trader })).body
          .items as Body[];
        if (latest?.status === 'receiving') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const second = await upload(tokens.trader, csv);
      assert.equal(second.status, 409, JSON.stringify(second.body));
      assert.equal(second.body.error, 'import_in_progress');
      const other = await upload(tokens.declarant, clearwayCsv([]));
      assert.equal(other.status, 202, 'another user uploads meanwhile');
      release();
      const res = await first;
      assert.equal(res.status, 202);
      const job = await finished(tokens.trader, ((await res.json()) as Body).id);
      assert.deepEqual(counts(job), { rowsRead: 1, accepted: 1, rejected: 0, duplicates: 0, assessed: 1 });
      await finished(tokens.declarant, other.body.id);
    });
  });
}
