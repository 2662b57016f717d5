/**
 * Releases through the real HTTP server on each engine: prepared from stored declarations, the
 * suppression pattern shown, four-eyes approval, publication with checksums and a signature that
 * verifies, the public files with ETag and caching, immutability and corrections as new versions.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { sealPending } from '../governance/ledger/seal.ts';
import {
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { decideRelease } from './releases.ts';
import { storeGoods as store } from '../testing/open-data.ts';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

for (const target of storageTargets()) {
  describe(`releases of public trade statistics (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<string, string>;

    before(async () => {
      ctx = await openTestContext(target, { CLEARWAY_ADMINISTRATION: 'AA' });
      server = await startTestServer(ctx);
      tokens = await createRoleUsers(ctx);
      for (const trader of ['A', 'B', 'C', 'D']) {
        await store(ctx.db, { trader, hs: '09011100', country: 'BR', value: 1000 });
        await store(ctx.db, { trader, hs: '09011200', country: 'CO', value: 500 });
        await store(ctx.db, { trader, hs: '09011200', country: 'BR', value: 400 });
      }
      await store(ctx.db, { trader: 'E', hs: '09011100', country: 'CO', value: 3000 });
      // left out: cancelled, another currency, another month
      await store(ctx.db, { trader: 'A', hs: '09011100', country: 'BR', value: 7, status: 'cancelled' });
      await store(ctx.db, { trader: 'A', hs: '09011100', country: 'BR', value: 7, currency: 'EUR' });
      await store(ctx.db, { trader: 'A', hs: '09011100', country: 'BR', value: 7, date: '2026-11-01' });
      await store(ctx.db, { type: 'EX', trader: 'A', hs: '61091000', country: 'DE', value: 80 });
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    const as = (role: string, method: string, path: string, body?: unknown) =>
      server.request(method, path, { token: tokens[role], body });
    let releaseId = 0;

    test('an analyst prepares a release and a supervisor sees its suppression pattern', async () => {
      const prepared = await as('risk_analyst', 'POST', '/api/open-data/releases', {
        from: '2026-10',
        to: '2026-10',
        currency: 'USD',
      });
      assert.equal(prepared.status, 201, JSON.stringify(prepared.body));
      releaseId = Number(prepared.body.id);
      assert.deepEqual(
        [prepared.body.name, prepared.body.version, prepared.body.status],
        ['trade-2026-10', 1, 'prepared'],
      );
      assert.deepEqual(prepared.body.parameters, {
        minTraders: 3,
        dominance: [
          { n: 1, k: 85 },
          { n: 2, k: 95 },
        ],
        protectionPercent: 20,
      });
      const detail = await as('supervisor', 'GET', `/api/open-data/releases/${releaseId}`);
      assert.deepEqual(detail.body.allowed, ['approve', 'reject']);
      assert.deepEqual(
        (detail.body.tables as { name: string }[]).map((t) => t.name),
        ['exports-2026-10-1000', 'imports-2026-10-4000'],
      );
      const cells = await as(
        'supervisor',
        'GET',
        `/api/open-data/releases/${releaseId}/cells?table=imports-2026-10-4000`,
      );
      const list = cells.body.cells as {
        hs: string;
        partner: string;
        value: number;
        status: string;
        traders: number;
        reason: string;
      }[];
      const at = (hs: string, partner: string) => list.find((c) => c.hs === hs && c.partner === partner);
      assert.deepEqual(
        [at('090111', 'CO')?.status, at('090111', 'CO')?.reason, at('090111', 'CO')?.traders],
        ['primary', 'traders', 1],
      );
      assert.equal(at('090111', 'BR')?.value, 400_000); // four traders' 1000.00, in cents
      assert.equal(at('TOTAL', 'TOTAL')?.value, 4 * 190_000 + 300_000);
      assert.ok(
        list.filter((c) => c.status === 'secondary').length >= 3,
        'a rectangle around the confidential cell',
      );
      const bad = await as('supervisor', 'GET', `/api/open-data/releases/${releaseId}/cells?table=nothing`);
      assert.deepEqual([bad.status, bad.body.error], [404, 'not_found']);
    });

    test('the person who prepared a release may not approve it, and only an approved one is published', async () => {
      const [row] = await ctx.db.query<{ p: string }>(
        'SELECT prepared_by AS p FROM open_releases WHERE id = $1',
        [releaseId],
      );
      const own = await decideRelease(ctx.db, releaseId, 'approve', row?.p ?? '', null);
      assert.equal(own.ok ? 'approved' : own.error.code, 'four_eyes');
      const early = await as('supervisor', 'POST', `/api/open-data/releases/${releaseId}/publish`);
      assert.deepEqual([early.status, early.body.error], [409, 'action_not_allowed']);
      const byAnalyst = await as('risk_analyst', 'POST', `/api/open-data/releases/${releaseId}/approve`, {});
      assert.deepEqual([byAnalyst.status, byAnalyst.body.error], [403, 'forbidden']);
      const approved = await as('supervisor', 'POST', `/api/open-data/releases/${releaseId}/approve`, {
        note: 'pattern checked',
      });
      assert.deepEqual(
        [approved.status, approved.body.status, approved.body.allowed],
        [200, 'approved', ['publish']],
      );
      const again = await as('supervisor', 'POST', `/api/open-data/releases/${releaseId}/approve`, {});
      assert.deepEqual([again.status, again.body.error], [409, 'action_not_allowed']);
    });

    test('publishing signs a manifest of every file, on the ledger', async () => {
      const published = await as('supervisor', 'POST', `/api/open-data/releases/${releaseId}/publish`);
      assert.equal(published.status, 200, JSON.stringify(published.body));
      assert.equal(published.body.status, 'published');
      const manifest = String(published.body.manifest);
      const key = createPublicKey(String(published.body.publicKey));
      assert.ok(
        verify(null, Buffer.from(manifest), key, Buffer.from(String(published.body.signature), 'base64')),
      );
      const files = (JSON.parse(manifest) as { files: { name: string; sha256: string }[] }).files;
      assert.deepEqual(files.map((f) => f.name).sort(), [
        'datapackage.json',
        'exports-2026-10-1000.csv',
        'exports-2026-10-1000.json',
        'exports-2026-10-1000.sdmx.csv',
        'imports-2026-10-4000.csv',
        'imports-2026-10-4000.json',
        'imports-2026-10-4000.sdmx.csv',
        'methodology.md',
      ]);
      for (const f of files) {
        const response = await fetch(`${server.url}/open/releases/trade-2026-10/1/${f.name}`);
        assert.equal(sha256(Buffer.from(await response.arrayBuffer())), f.sha256, f.name);
      }
      await sealPending(ctx.db);
      const actions = await ctx.db.query<{ action: string }>(
        `SELECT action FROM ledger WHERE subject_kind = 'open_release' AND subject_id = $1 ORDER BY seq`,
        [String(releaseId)],
      );
      assert.deepEqual(
        actions.map((a) => a.action),
        ['open_release.prepared', 'open_release.approved', 'open_release.published'],
      );
    });

    test('anyone reads the published tables as CSV, JSON, SDMX-CSV and a data package, cached by ETag', async () => {
      const list = await server.request('GET', '/open/releases');
      assert.equal(list.status, 200);
      assert.deepEqual(
        (list.body.releases as { name: string }[]).map((r) => r.name),
        ['trade-2026-10'],
      );
      const csvResponse = await fetch(`${server.url}/open/releases/trade-2026-10/1/imports-2026-10-4000.csv`);
      assert.equal(csvResponse.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.match(csvResponse.headers.get('content-type') ?? '', /^text\/csv/);
      const csv = await csvResponse.text();
      const etag = csvResponse.headers.get('etag') ?? '';
      assert.equal(etag, `"${sha256(csv)}"`);
      const lines = csv.trim().split('\r\n');
      assert.equal(
        lines[0],
        'flow,month,procedure,hs,level,partner,value,netMass,supplementaryQuantity,declarations,flag',
      );
      assert.ok(
        lines.includes('imports,2026-10,4000,090111,subheading,CO,,,,,C'),
        'the confidential cell has no values',
      );
      assert.ok(!csv.includes('3000.00'), "the lone trader's value is nowhere");
      const revalidated = await fetch(
        `${server.url}/open/releases/trade-2026-10/1/imports-2026-10-4000.csv`,
        { headers: { 'if-none-match': etag } },
      );
      assert.equal(revalidated.status, 304);
      const json = await server.request('GET', '/open/releases/trade-2026-10/1/imports-2026-10-4000.json');
      const total = (json.body.cells as { hs: string; partner: string; value: string | null }[]).find(
        (c) => c.hs === 'TOTAL' && c.partner === 'TOTAL',
      );
      assert.equal(total?.value, '10600.00');
      const pkg = await server.request('GET', '/open/releases/trade-2026-10/1/datapackage.json');
      const resource = (pkg.body.resources as { path: string; hash: string }[]).find(
        (r) => r.path === 'imports-2026-10-4000.csv',
      );
      assert.equal(resource?.hash, `sha256:${sha256(csv)}`);
      const sdmx = await (
        await fetch(`${server.url}/open/releases/trade-2026-10/1/imports-2026-10-4000.sdmx.csv`)
      ).text();
      assert.match(
        sdmx,
        /^DATAFLOW,FREQ,TIME_PERIOD,TRADE_FLOW,CUSTOMS_PROCEDURE,COMMODITY,PARTNER,MEASURE,OBS_VALUE,UNIT_MEASURE,CONF_STATUS\r\n/,
      );
      assert.ok(
        sdmx.includes('AA:DF_TRADE(1.0),M,2026-10,M,4000,TOTAL,BR,VALUE,5600.00,USD,F'),
        sdmx.slice(0, 600),
      );
      const missing = await server.request('GET', '/open/releases/trade-2026-10/9/datapackage.json');
      assert.deepEqual([missing.status, missing.body.error], [404, 'not_found']);
    });

    test('a published release never changes, and a correction is a new version saying what it corrects', async () => {
      await assert.rejects(
        ctx.db.query('UPDATE open_release_cells SET value = 1 WHERE release_id = $1', [releaseId]),
        /immutable/,
      );
      await assert.rejects(
        ctx.db.query("UPDATE open_releases SET currency = 'EUR' WHERE id = $1", [releaseId]),
        /immutable/,
      );
      await assert.rejects(
        ctx.db.query(
          `INSERT INTO open_release_cells (release_id, table_name, hs, partner, value, net_mass, declarations, traders, status)
           VALUES ($1, 'imports', '99', 'ZZ', 1, 1, 1, 5, 'published')`,
          [releaseId],
        ),
        /immutable/,
      );
      await assert.rejects(
        ctx.db.query(
          `INSERT INTO open_release_files (release_id, name, media_type, content, sha256)
           VALUES ($1, 'extra.csv', 'text/csv', '\\x00', 'none')`,
          [releaseId],
        ),
        /immutable/,
      );
      const body = { from: '2026-10', to: '2026-10', currency: 'USD' };
      const silent = await as('risk_analyst', 'POST', '/api/open-data/releases', body);
      assert.deepEqual([silent.status, silent.body.error], [400, 'invalid_release']);
      assert.match(String(silent.body.message), /correctionNote/);
      const corrected = await as('risk_analyst', 'POST', '/api/open-data/releases', {
        ...body,
        correctionNote: 'late declarations of October',
      });
      assert.equal(corrected.status, 201, JSON.stringify(corrected.body));
      assert.deepEqual(
        [corrected.body.version, corrected.body.corrects, corrected.body.correctionNote],
        [2, 1, 'late declarations of October'],
      );
    });

    test('refuses a malformed request in words naming the field', async () => {
      for (const [body, error, field] of [
        [{ from: '2026-13', to: '2026-10', currency: 'USD' }, 'invalid_request', 'from'],
        [{ from: '2026-10', to: '2026-09', currency: 'USD' }, 'invalid_release', 'to'],
        [{ from: '2025-01', to: '2026-10', currency: 'USD' }, 'invalid_release', '12 months'],
        [
          {
            from: '2026-10',
            to: '2026-10',
            currency: 'USD',
            parameters: { minTraders: 0, dominance: [], protectionPercent: 10 },
          },
          'invalid_request',
          'minTraders',
        ],
      ] as const) {
        const refused = await as('risk_analyst', 'POST', '/api/open-data/releases', body);
        assert.deepEqual([refused.status, refused.body.error], [400, error], JSON.stringify(refused.body));
        assert.match(JSON.stringify(refused.body), new RegExp(field));
      }
    });
  });
}
