import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { Role } from '../roles.ts';
import { verifyLedger } from '../ledger/verify.ts';
import { loadOrCreateSigner } from '../ledger/signing.ts';
import {
  aDeclaration,
  createRoleUsers,
  createUserToken,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../../testing/harness.ts';
import { ArchiveError, verifyArchiveFolder, type Manifest } from './archive-files.ts';
import { archiveExpired, HoldRaceError } from './archive.ts';
import { cutoff, parsePeriod } from './policies.ts';
import { sealPending } from '../ledger/seal.ts';

const unzip = promisify(gunzip);
const day = 86_400_000;

test('periods: counts of days, months or years up to a century, or forever', () => {
  assert.deepEqual(parsePeriod('10y'), { count: 10, unit: 'y' });
  assert.deepEqual(parsePeriod('30d'), { count: 30, unit: 'd' });
  assert.equal(parsePeriod('forever'), 'forever');
  for (const bad of ['', '0y', '10', 'y', '10w', '-1d', '1.5y', '101y', '10 y', '01y'])
    assert.equal(parsePeriod(bad), null, bad);
  const now = new Date('2026-03-31T12:00:00Z');
  assert.equal(cutoff({ count: 1, unit: 'm' }, now)?.toISOString(), '2026-03-03T12:00:00.000Z'); // no Feb 31st
  assert.equal(cutoff({ count: 10, unit: 'y' }, now)?.toISOString(), '2016-03-31T12:00:00.000Z');
  assert.equal(cutoff('forever', now), null);
});

for (const target of storageTargets()) {
  describe(`retention and archival (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let archiveDir: string;
    before(async () => {
      ctx = await openTestContext(target);
      archiveDir = ctx.config.archiveDir;
      tokens = await createRoleUsers(ctx); // the officer and supervisor work at office 030
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    const lodge = async (date: string, office = '030') => {
      const res = await server.request('POST', '/api/declarations', {
        token: tokens.trader,
        body: aDeclaration({ date, office }),
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return Number(res.body.id);
    };
    const setPolicy = (dataClass: string, keep: string, token = tokens.administrator) =>
      server.request('PUT', `/api/retention/policies/${dataClass}`, { token, body: { keep } });
    const hold = (id: number, reason = 'case 2026/117', token = tokens.supervisor) =>
      server.request('POST', `/api/declarations/${id}/legal-hold`, { token, body: { reason } });
    const release = (id: number, token = tokens.supervisor) =>
      server.request('POST', `/api/declarations/${id}/legal-hold/release`, {
        token,
        body: { reason: 'case closed' },
      });
    const count = async (table: string, where: string, params: unknown[]) =>
      Number(
        (
          await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params)
        )[0]?.n,
      );
    const ledgerActions = async () => {
      await sealPending(ctx.db);
      return (
        await ctx.db.query<{ action: string; subjectId: string }>(
          'SELECT action, subject_id AS "subjectId" FROM ledger ORDER BY seq',
        )
      ).map((e) => `${e.action} ${e.subjectId}`);
    };

    test('policies: the defaults, set by an administrator and recorded; bad periods and the ledger refused', async () => {
      const listed = await server.request('GET', '/api/retention/policies', { token: tokens.auditor });
      assert.deepEqual([listed.status, listed.body.allowed], [200, []]);
      const policies = listed.body.policies as {
        dataClass: string;
        keep: string;
        period: string;
        countedFrom: string;
      }[];
      assert.deepEqual(
        policies.map((p) => [p.dataClass, p.keep]),
        [
          ['declarations', '10y'],
          ['control-notes', '5y'],
          ['imports', '1y'],
          ['sessions', '30d'],
          ['ledger', 'forever'],
        ],
      );
      assert.equal(policies[0]?.period, '10 years');

      const set = await setPolicy('imports', '18m');
      assert.deepEqual(
        [set.status, set.body.keep, set.body.period, set.body.updatedBy],
        [200, '18m', '18 months', 'administrator'],
      );
      assert.ok((await ledgerActions()).includes('retention.policy_set imports'));

      for (const [keep, pattern] of [
        ['10 years', /not a retention period/],
        ['0d', /not a retention period/],
        ['200y', /at most 100 years/],
      ] as const) {
        const res = await setPolicy('declarations', keep);
        assert.equal(res.status, 422, keep);
        assert.equal(res.body.error, 'invalid_retention');
        assert.match(String(res.body.message), pattern);
      }
      const ledger = await setPolicy('ledger', '50y');
      assert.deepEqual([ledger.status, ledger.body.error], [422, 'invalid_retention']);
      assert.match(String(ledger.body.message), /ledger is kept forever/);
      const unknown = await setPolicy('emails', '1y');
      assert.deepEqual([unknown.status, unknown.body.message], [404, 'there is no data class "emails"']);
      assert.equal((await setPolicy('declarations', '1y', tokens.supervisor)).status, 403);
      assert.equal(
        (await server.request('GET', '/api/retention/policies', { token: tokens.trader })).status,
        403,
      );
      const after = await server.request('GET', '/api/retention/policies', { token: tokens.administrator });
      assert.deepEqual(after.body.allowed, ['set']);
      assert.equal((after.body.policies as { keep: string }[])[0]?.keep, '10y');
    });

    test('legal holds: placed and released with reasons, on the record; never seen by the trader', async () => {
      const id = await lodge('2026-03-02');
      const before = await server.request('GET', `/api/declarations/${id}/legal-hold`, {
        token: tokens.supervisor,
      });
      assert.deepEqual(before.body, { hold: null, allowed: ['place'] });
      const placed = await hold(id);
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      assert.deepEqual(
        [placed.body.declarationId, placed.body.placedBy, placed.body.reason],
        [id, 'supervisor', 'case 2026/117'],
      );
      const again = await hold(id);
      assert.deepEqual([again.status, again.body.error], [409, 'already_held']);
      const seen = await server.request('GET', `/api/declarations/${id}/legal-hold`, {
        token: tokens.officer,
      });
      assert.equal((seen.body.hold as { id: number }).id, placed.body.id);
      assert.deepEqual(seen.body.allowed, []); // an officer sees the hold but may not change it
      const bySupervisor = await server.request('GET', `/api/declarations/${id}/legal-hold`, {
        token: tokens.supervisor,
      });
      assert.deepEqual(bySupervisor.body.allowed, ['release']);
      assert.equal(
        (await server.request('GET', `/api/declarations/${id}/legal-hold`, { token: tokens.trader })).status,
        403,
      );
      const vague = await hold(await lodge('2026-03-02'), 'x');
      assert.deepEqual([vague.status, vague.body.error], [422, 'invalid_hold']);
      assert.match(String(vague.body.message), /give the reason/);
    });

    test('holds: refused on another office, on a missing declaration, without a reason; release twice', async () => {
      const elsewhere = await lodge('2026-03-02', '020');
      const refused = await hold(elsewhere);
      assert.deepEqual([refused.status, refused.body.error], [409, 'action_not_allowed']);
      assert.match(String(refused.body.message), /office 020/);
      assert.equal((await hold(elsewhere, 'case 9', tokens.administrator)).status, 201);
      assert.equal((await hold(999_999_999)).status, 404);
      assert.equal((await hold(elsewhere, '', tokens.administrator)).status, 400);
      assert.equal((await hold(elsewhere, 'case 9', tokens.officer)).status, 403);
      assert.equal((await release(elsewhere, tokens.administrator)).status, 200);
      const twice = await release(elsewhere, tokens.administrator);
      assert.deepEqual([twice.status, twice.body.error], [409, 'not_held']);
      const all = await server.request('GET', '/api/retention/holds?all=true', { token: tokens.auditor });
      const mine = (all.body.items as { declarationId: number; releasedBy: string | null }[]).find(
        (h) => h.declarationId === elsewhere,
      );
      assert.equal(mine?.releasedBy, 'administrator');
      const actions = await ledgerActions();
      assert.ok(
        actions.includes(`legal_hold.placed ${elsewhere}`) &&
          actions.includes(`legal_hold.released ${elsewhere}`),
      );
    });

    test('a policy that would purge held data is refused and changes nothing', async () => {
      const old = await lodge('2024-05-06');
      assert.equal((await hold(old)).status, 201);
      const res = await setPolicy('declarations', '1y');
      assert.deepEqual([res.status, res.body.error], [409, 'retention_conflicts_with_hold']);
      assert.match(
        String(res.body.message),
        new RegExp(`would purge 1 declaration under legal hold \\(${old}\\)`),
      );
      const policies = (
        await server.request('GET', '/api/retention/policies', { token: tokens.administrator })
      ).body.policies as { keep: string }[];
      assert.equal(policies[0]?.keep, '10y');
      assert.equal(
        (await ledgerActions()).filter((a) => a === 'retention.policy_set declarations').length,
        0,
      );
      assert.equal((await release(old)).status, 200);
    });

    test('archival moves expired data into verified files, purges it, keeps held declarations, and is on the ledger', async () => {
      const first = await lodge('2024-01-10');
      await lodge('2024-02-11');
      const kept = await lodge('2024-04-13');
      const recent = await lodge('2026-03-02');
      // keeping declarations 2 years and notes 1 year; the hold comes after (a policy that would
      // purge held data is refused), on a declaration already past its period
      assert.equal((await setPolicy('declarations', '2y')).status, 200);
      assert.equal((await setPolicy('control-notes', '1y')).status, 200);
      assert.equal((await hold(kept)).status, 201);
      // a control result with notes on the old and on the recent declaration
      for (const id of [first, recent]) {
        const res = await server.request('POST', `/api/declarations/${id}/control-results`, {
          token: tokens.officer,
          body: { outcome: 'non_compliant', irregularity: 'undervaluation', notes: `notes on ${id}` },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
      // the declarations past 2 years at that time, these tests' earlier ones included
      const old = (
        await ctx.db.query<{ id: number }>(
          "SELECT id FROM declarations WHERE date < '2025-06-01' AND id <> $1 ORDER BY id",
          [kept],
        )
      ).map((r) => r.id);
      assert.ok(old.length >= 3 && old.includes(first));
      const oldItems = await count('declaration_items', 'declaration_id = ANY($1::bigint[])', [old]);
      // an expired session, a live one, and a finished import with a rejected row
      const [user] = await ctx.db.query<{ id: number }>("SELECT id FROM users WHERE username = 'trader'");
      await ctx.db.query(
        `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES
           ('expired-session', $1, now() - interval '90 days', now() - interval '89 days'),
           ('live-session', $1, now(), now() + interval '1 day')`,
        [user?.id],
      );
      const [imp] = await ctx.db.query<{ id: number }>(
        `INSERT INTO imports (owner, party_id, role, format, status, started_at, finished_at)
         VALUES ('trader', 'TRADER-A', 'trader', 'clearway', 'done', now() - interval '3 years', now() - interval '3 years')
         RETURNING id`,
      );
      await ctx.db.query(
        `INSERT INTO import_rejects (import_id, seq, line, path, code, message) VALUES ($1, 1, 2, 'date', 'invalid', 'bad date')`,
        [imp?.id],
      );

      // thirteen months from now: the 2024 declarations are past 2 years, those of 2026 are not
      const now = new Date(Date.now() + 400 * day);
      const progress: string[] = [];
      const report = await archiveExpired(ctx.db, {
        dir: archiveDir,
        actor: 'test',
        batch: 2,
        now,
        progress: (m) => progress.push(m),
      });

      // everything of the old declarations is gone; the held and the recent one stay
      assert.equal(await count('declarations', 'id = ANY($1::bigint[])', [old]), 0);
      for (const table of ['declaration_items', 'declaration_events', 'risk_assessments', 'control_results'])
        assert.equal(await count(table, 'declaration_id = ANY($1::bigint[])', [old]), 0, table);
      assert.equal(await count('declarations', 'id = ANY($1::bigint[])', [[kept, recent]]), 2);
      assert.equal(report.held, 1);
      // the purged declarations are no longer counted as their traders' (declarations/trader-counts.ts)
      assert.deepEqual(
        await ctx.db.query(
          'SELECT trader_id, declarations AS n FROM trader_history WHERE declarations <> 0 ORDER BY trader_id',
        ),
        await ctx.db.query(
          'SELECT trader_id, count(*)::int8 AS n FROM declarations GROUP BY trader_id ORDER BY trader_id',
        ),
      );
      // the recent declaration's result stays, without its notes
      const [result] = await ctx.db.query<{ notes: string | null; outcome: string }>(
        'SELECT notes, outcome FROM control_results WHERE declaration_id = $1',
        [recent],
      );
      assert.deepEqual(result, { notes: null, outcome: 'non_compliant' });
      assert.equal(await count('sessions', "token_hash = 'expired-session'", []), 0);
      assert.equal(await count('sessions', "token_hash = 'live-session'", []), 1);
      assert.equal(await count('imports', 'id = $1', [imp?.id]), 0);
      assert.equal(await count('import_rejects', 'import_id = $1', [imp?.id]), 0);

      // batches of 2: the three old declarations took two runs, each its own folder
      const runs = Math.ceil(old.length / 2);
      assert.equal(report.runs.length, runs);
      assert.deepEqual(report.counts, {
        declarations: old.length,
        'control-notes': 1,
        imports: 1,
        sessions: 1,
      });
      assert.equal(progress.filter((m) => m.startsWith('writing archive')).length, runs);
      const archived = new Map<number, { items: unknown[]; controlResults: { notes: string }[] }>();
      let notes = '';
      let sessions = '';
      for (const run of report.runs) {
        const manifest = await verifyArchiveFolder(run.folder);
        assert.equal(manifest.run, run.run);
        for (const file of manifest.files) {
          const lines = (await unzip(await readFile(path.join(run.folder, file.file))))
            .toString('utf8')
            .trimEnd()
            .split('\n');
          if (file.dataClass === 'declarations')
            for (const line of lines) {
              const d = JSON.parse(line) as {
                declaration: { id: number };
                items: unknown[];
                controlResults: { notes: string }[];
              };
              archived.set(d.declaration.id, d);
            }
          if (file.dataClass === 'control-notes') notes += lines.join('\n');
          if (file.dataClass === 'sessions') sessions += lines.join('\n');
        }
        // the ledger entry of the purge lists the very files
        await sealPending(ctx.db);
        const [entry] = await ctx.db.query<{ data: string; action: string }>(
          'SELECT data, action FROM ledger WHERE seq = $1',
          [manifest.ledger.seq],
        );
        assert.equal(entry?.action, 'retention.archived_and_purged');
        const data = JSON.parse(entry?.data ?? '{}') as { files: { sha256: string }[] };
        assert.deepEqual(
          data.files.map((f) => f.sha256),
          manifest.files.map((f) => f.sha256),
        );
      }
      assert.deepEqual(
        [...archived.keys()].sort((a, b) => a - b),
        old,
      );
      assert.equal(
        [...archived.values()].reduce((n, d) => n + d.items.length, 0),
        oldItems,
      );
      assert.equal(archived.get(first)?.controlResults[0]?.notes, `notes on ${first}`);
      assert.match(notes, new RegExp(`notes on ${recent}`));
      // the expired session is archived without its token hash
      assert.match(sessions, /"expiresAt"/);
      assert.doesNotMatch(sessions, /expired-session/);

      const listed = await server.request('GET', '/api/retention/runs', { token: tokens.auditor });
      assert.equal((listed.body.items as unknown[]).length, runs);
      const signer = await loadOrCreateSigner(ctx.config.ledgerKeyFile);
      assert.equal((await verifyLedger(ctx.db, signer.publicKeyPem)).ok, true);

      // nothing is due any more; releasing the hold lets the next run take the held one
      const again = await archiveExpired(ctx.db, { dir: archiveDir, actor: 'test', now });
      assert.deepEqual([again.runs.length, again.held], [0, 1]);
      assert.equal((await release(kept)).status, 200);
      const last = await archiveExpired(ctx.db, { dir: archiveDir, actor: 'test', now });
      assert.deepEqual(last.counts, { declarations: 1 });
      assert.equal((await hold(kept)).status, 404);
      await setPolicy('declarations', '10y');
      await setPolicy('control-notes', '5y');
    });

    test(
      'a hold placed while a run waits for its declaration undoes the run',
      { skip: target !== 'postgres' },
      async () => {
        const id = await lodge('2024-07-08');
        await setPolicy('declarations', '2y');
        // another connection places a hold and holds the declaration's lock until it commits
        const other = new pg.Client({ connectionString: ctx.config.databaseUrl });
        await other.connect();
        try {
          await other.query('BEGIN');
          await other.query('SELECT id FROM declarations WHERE id = $1 FOR UPDATE', [id]);
          await other.query(
            `INSERT INTO legal_holds (declaration_id, reason, placed_by) VALUES ($1, 'case 7', 'x')`,
            [id],
          );
          const run = archiveExpired(ctx.db, {
            dir: archiveDir,
            actor: 'test',
            now: new Date(Date.now() + 400 * day),
          });
          await new Promise((resolve) => setTimeout(resolve, 300)); // the run now waits for the lock
          await other.query('COMMIT');
          await assert.rejects(
            run,
            (e: Error) => e instanceof HoldRaceError && e.message.includes(`declaration ${id}`),
          );
        } finally {
          await other.end();
        }
        assert.equal(await count('declarations', 'id = $1', [id]), 1);
        assert.equal((await release(id)).status, 200);
        await archiveExpired(ctx.db, {
          dir: archiveDir,
          actor: 'test',
          now: new Date(Date.now() + 400 * day),
        });
        assert.equal(await count('declarations', 'id = $1', [id]), 0);
        await setPolicy('declarations', '10y');
      },
    );

    test('an archive whose file was altered or removed fails verification, naming the file', async () => {
      await lodge('2024-06-01');
      await setPolicy('declarations', '2y');
      const report = await archiveExpired(ctx.db, {
        dir: archiveDir,
        actor: 'test',
        now: new Date(Date.now() + 400 * day),
      });
      await setPolicy('declarations', '10y');
      const folder = report.runs[0]?.folder ?? '';
      const file = path.join(folder, 'declarations.jsonl.gz');
      const bytes = await readFile(file);
      const at = bytes.length - 12;
      bytes.writeUInt8(bytes.readUInt8(at) ^ 1, at);
      await writeFile(file, bytes);
      await assert.rejects(
        verifyArchiveFolder(folder),
        (e: Error) => e instanceof ArchiveError && /declarations\.jsonl\.gz was altered/.test(e.message),
      );
      const manifest = JSON.parse(await readFile(path.join(folder, 'manifest.json'), 'utf8')) as Manifest;
      const [described] = manifest.files;
      assert.ok(described);
      manifest.files.push({ ...described, file: '../../etc/passwd' });
      await writeFile(path.join(folder, 'manifest.json'), JSON.stringify(manifest));
      await assert.rejects(verifyArchiveFolder(folder), /outside the folder/);
      await assert.rejects(verifyArchiveFolder(path.dirname(folder)), /no manifest\.json/);
    });

    test('a folder left by a run that never committed is set aside, and the administrator can run the job', async () => {
      const name = 'clearway-archive-20260101T000000Z-0001-deadbeef';
      await mkdir(path.join(archiveDir, name), { recursive: true });
      await writeFile(
        path.join(archiveDir, name, 'manifest.json'),
        JSON.stringify({ run: 'never-committed' }),
      );
      const res = await server.request('POST', '/api/retention/archive', { token: tokens.administrator });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.setAside, [name]);
      assert.ok((await readdir(archiveDir)).includes(`${name}.abandoned`));
      assert.equal(
        (await server.request('POST', '/api/retention/archive', { token: tokens.auditor })).status,
        403,
      );
      const partner = await createUserToken(ctx, { username: 'partner-2', role: Role.PartnerAgency });
      assert.equal((await server.request('GET', '/api/retention/holds', { token: partner })).status, 403);
    });
  });
}
