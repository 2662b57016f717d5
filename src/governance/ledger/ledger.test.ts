import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { importDeclarations } from '../../declarations/importer.ts';
import { writeDemoCsv } from '../../demo/clearway-csv-writer.ts';
import { activateModel } from '../../risk/registry.ts';
import { trainOnControls } from '../../risk/retrain.ts';
import {
  aDeclaration,
  anItem,
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  testPassword,
  type TestContext,
  type TestServer,
} from '../../testing/harness.ts';
import type { Database, Sql } from '../../db/database.ts';
import { Role } from '../roles.ts';
import { createUser } from '../users.ts';
import {
  exportCheckpoint,
  makeCheckpoint,
  verifyExportedCheckpoint,
  type Checkpoint,
} from './checkpoints.ts';
import { signHead } from './heads.ts';
import { scheduleSigning, type SigningOutcome } from './schedule.ts';
import { SubjectKind } from './entry.ts';
import { listReadData } from './read-log.ts';
import { readEntries } from './read.ts';
import { recordChained, recordChange } from './record.ts';
import { sealPending } from './seal.ts';
import { loadOrCreateSigner, signerFrom, type LedgerSigner } from './signing.ts';
import { verifyLedger } from './verify.ts';

const profile = {
  code: 'LEDGER-TEST',
  name: 'Ledger test profile',
  lane: 'yellow',
  weight: 60,
  reason: 'A reason an officer reads',
  validFrom: '2026-01-01',
  conditions: [{ field: 'item.hsCode', op: 'prefix', value: ['61'] }],
};

for (const target of storageTargets()) {
  describe(`the ledger (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let signer: LedgerSigner;

    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
      signer = await loadOrCreateSigner(ctx.config.ledgerKeyFile);
    });
    after(async () => {
      await server?.close();
      await ctx?.dispose();
    });

    // the chain as a reader sees it: what is committed, sealed first (as every ledger reader does)
    const headSeq = async () => {
      await sealPending(ctx.db);
      return (await ctx.db.query<{ seq: number }>('SELECT seq FROM ledger_head'))[0]?.seq ?? -1;
    };
    const entriesAfter = async (seq: number) => {
      await sealPending(ctx.db);
      return ctx.db.query<{
        seq: number;
        actor: string;
        action: string;
        subject_id: string | null;
        data: unknown;
      }>(
        'SELECT seq, actor, action, subject_id, data::jsonb AS data FROM ledger WHERE seq > $1 ORDER BY seq',
        [seq],
      );
    };
    /** What a step wrote to the ledger: [action, actor, subject] per entry. */
    async function recorded(step: () => Promise<unknown>): Promise<[string, string, string | null][]> {
      const from = await headSeq();
      await step();
      return (await entriesAfter(from)).map((e) => [e.action, e.actor, e.subject_id]);
    }
    const call = async (role: Role, method: string, path: string, body?: unknown, status = 200) => {
      const res = await server.request(method, path, { token: tokens[role], body });
      assert.equal(res.status, status, JSON.stringify(res.body));
      return res.body;
    };
    let lodgedBody: Record<string, unknown> = {};
    const lodge = async () => {
      lodgedBody = aDeclaration();
      return Number((await call(Role.Trader, 'POST', '/api/declarations', lodgedBody, 201)).id);
    };

    test('opening a database records the reference data load and role users their creation', async () => {
      const first = await entriesAfter(0);
      assert.deepEqual(
        [first[0], first.find((e) => e.action === 'user.created')].map((e) => [e?.action, e?.actor]),
        [
          ['reference_data.loaded', 'system'],
          ['user.created', 'system'],
        ],
      );
      assert.equal(first[0]?.seq, 1);
    });

    test('lodging, amending, taking, controlling and cancelling each write their entries', async () => {
      let id = 0;
      assert.deepEqual(await recorded(async () => (id = await lodge())), [
        ['declaration.lodged', 'trader', String(id)],
        ['declaration.assessed', 'selectivity', String(id)],
      ]);
      const [lodged] = await entriesAfter((await headSeq()) - 2);
      assert.deepEqual(Object.keys(lodged?.data ?? {}).sort(), [
        'contentHash',
        'functionalReference',
        'source',
        'trader',
      ]);
      const amendment = {
        declaration: { ...lodgedBody, invoiceTotal: 1300, items: [anItem({ value: 1300 })] },
      };
      assert.deepEqual(
        await recorded(() => call(Role.Trader, 'POST', `/api/declarations/${id}/amend`, amendment)),
        [
          ['declaration.amended', 'trader', String(id)],
          ['declaration.assessed', 'selectivity', String(id)],
        ],
      );
      const other = await lodge();
      assert.deepEqual(await recorded(() => call(Role.Officer, 'POST', `/api/declarations/${other}/take`)), [
        ['declaration.assigned', 'officer', String(other)],
      ]);
      assert.deepEqual(
        await recorded(() =>
          call(
            Role.Officer,
            'POST',
            `/api/declarations/${other}/control-results`,
            { outcome: 'compliant' },
            201,
          ),
        ),
        [['declaration.controlled', 'officer', String(other)]],
      );
      const third = await lodge();
      assert.deepEqual(
        await recorded(() =>
          call(Role.Trader, 'POST', `/api/declarations/${third}/cancel`, { reason: 'duplicate' }),
        ),
        [['declaration.cancelled', 'trader', String(third)]],
      );
    });

    test('profile, price and user changes each write their entry, naming who made them', async () => {
      let id = 0;
      assert.deepEqual(
        await recorded(
          async () =>
            (id = Number((await call(Role.RiskAnalyst, 'POST', '/api/risk/profiles', profile, 201)).id)),
        ),
        [['profile.created', 'risk-analyst', String(id)]],
      );
      assert.deepEqual(
        await recorded(() => call(Role.RiskAnalyst, 'POST', `/api/risk/profiles/${id}/submit`)),
        [['profile.submitted', 'risk-analyst', String(id)]],
      );
      assert.deepEqual(await recorded(() => call(Role.RiskAnalyst, 'POST', '/api/risk/prices/recompute')), [
        ['prices.recomputed', 'risk-analyst', null],
      ]);
      const override = { hs6: '851713', currency: 'USD', min: 5, reason: 'market survey' };
      assert.deepEqual(
        await recorded(() => call(Role.RiskAnalyst, 'PUT', '/api/risk/prices/overrides', override)),
        [['prices.override_set', 'risk-analyst', '851713//USD']],
      );
      assert.deepEqual(
        await recorded(() =>
          call(Role.RiskAnalyst, 'DELETE', '/api/risk/prices/overrides/851713?currency=USD'),
        ),
        [['prices.override_removed', 'risk-analyst', '851713//USD']],
      );
      const user = { username: 'new-officer', password: testPassword, role: 'officer', offices: ['030'] };
      assert.deepEqual(await recorded(() => call(Role.Administrator, 'POST', '/api/users', user, 201)), [
        ['user.created', 'administrator', 'new-officer'],
      ]);
      // a token acting as an official is refused; one acting as a trader's system is impersonation
      assert.deepEqual(
        await recorded(() =>
          call(Role.Administrator, 'POST', '/api/users/new-officer/tokens', { name: 'x' }, 403),
        ),
        [],
      );
      let tokenId = 0;
      assert.deepEqual(
        await recorded(
          async () =>
            (tokenId = Number(
              (await call(Role.Administrator, 'POST', '/api/users/trader/tokens', { name: 'x' }, 201)).id,
            )),
        ),
        [['user.impersonation_token_created', 'administrator', 'trader']],
      );
      const [token] = await entriesAfter((await headSeq()) - 1);
      assert.deepEqual(token?.data, { tokenId, name: 'x', days: 90 }); // never the token itself
    });

    test('an import writes one entry per batch, its assessment one per batch, a model its registration and activation', async () => {
      const csv = new PassThrough();
      const written = writeDemoCsv({ count: 400, seed: 7, from: '2025-01-01', to: '2025-06-30' }, csv).then(
        () => csv.end(),
      );
      let stored = 0;
      const imported = await recorded(async () => {
        stored = (
          await importDeclarations(ctx.db, ctx.validation(), csv, { format: 'clearway', actor: 'importer' })
        ).accepted;
        await written;
      });
      assert.deepEqual(imported, [['declarations.imported', 'importer', null]]);
      const [batch] = await entriesAfter((await headSeq()) - 1);
      assert.deepEqual([(batch?.data as { count: number }).count, stored > 200], [stored, true]);
      const assessed = await recorded(() => ctx.risk.assessPending('batch'));
      assert.deepEqual(assessed, [['declarations.assessed', 'batch', null]]);
      let modelId = 0;
      const trained = await recorded(async () => {
        const made = await trainOnControls(ctx.db, 'analyst');
        assert.ok(made.ok);
        modelId = made.registered.id;
        await activateModel(ctx.db, modelId, 'analyst');
      });
      assert.deepEqual(trained, [
        ['model.registered', 'analyst', String(modelId)],
        ['model.activated', 'analyst', String(modelId)],
      ]);
    });

    test('a change that rolls back leaves no entry, and the next one still chains', async () => {
      const before = await headSeq();
      await assert.rejects(
        ctx.db.transaction(async (tx) => {
          const made = await createUser(tx, {
            username: 'rolled-back',
            password: testPassword,
            role: Role.Auditor,
          });
          assert.ok(made.ok);
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.equal(await headSeq(), before);
      assert.deepEqual(await entriesAfter(before), []);
      await ctx.db.transaction((tx) =>
        recordChange(tx, {
          actor: 't',
          action: 'test.after_rollback',
          subjectKind: SubjectKind.User,
          subjectId: null,
          data: null,
        }),
      );
      assert.equal(await headSeq(), before + 1);
      const report = await verifyLedger(ctx.db, signer.publicKeyPem);
      assert.deepEqual(report.ok && report.lastSeq, before + 1);
    });

    test('entries read back exactly as written, tabs, line breaks and backslashes included', async () => {
      const record = {
        actor: 'tab\there\\N',
        action: 'test.escapes',
        subjectKind: SubjectKind.User,
        subjectId: null,
        data: { note: 'line\nbreak\r\n\\t back\\slash "quoted"', empty: '' },
      };
      const written = await ctx.db.transaction((tx) => recordChained(tx, record));
      assert.deepEqual(await readEntries(ctx.db, written.seq - 1, 10), [written]);
      // the same through the pending table and the sealer
      await ctx.db.transaction((tx) => recordChange(tx, record));
      assert.equal(await headSeq(), written.seq + 1);
      const [sealed] = await readEntries(ctx.db, written.seq, 10);
      assert.deepEqual(sealed && [sealed.actor, sealed.action, sealed.data, sealed.prevHash], [
        record.actor,
        record.action,
        written.data,
        written.hash,
      ]);
      assert.equal((await verifyLedger(ctx.db, signer.publicKeyPem, { batchSize: 3 })).ok, true);
    });

    test('an officer reading a declaration is recorded; its trader reading it is not', async () => {
      const id = await lodge();
      assert.deepEqual(await recorded(() => call(Role.Trader, 'GET', `/api/declarations/${id}`)), []);
      assert.deepEqual(
        await recorded(() => call(Role.Officer, 'GET', `/api/declarations/${id}/assessment`)),
        [['declaration.read', 'officer', String(id)]],
      );
      const [read] = await entriesAfter((await headSeq()) - 1);
      assert.deepEqual(read?.data, { what: 'assessment', role: 'officer' });
      assert.deepEqual(
        await recorded(() => call(Role.Officer, 'GET', '/api/declarations/999999999', undefined, 404)),
        [],
      );
    });

    test('an officer reading a list of declarations is one entry naming them; their trader listing them is none', async () => {
      await lodge();
      const listOf = async (role: Role, query: string) => {
        let ids: number[] = [];
        const entries = await recorded(async () => {
          const page = await call(role, 'GET', `/api/declarations${query}`);
          ids = (page.items as { id: number }[]).map((d) => d.id);
        });
        return { ids, entries };
      };
      const own = await listOf(Role.Trader, '?limit=500');
      assert.ok(own.ids.length > 0);
      assert.deepEqual(own.entries, []);

      const few = await listOf(Role.Officer, '?limit=5&status=accepted');
      assert.equal(few.ids.length, 5);
      assert.deepEqual(few.entries, [['declarations.read', 'officer', null]]);
      const [entry] = await entriesAfter((await headSeq()) - 1);
      assert.deepEqual(entry?.data, {
        what: 'list',
        role: 'officer',
        query: { limit: 5, status: 'accepted' },
        count: 5,
        ids: few.ids,
      });

      // a page of 500 (the import above stored hundreds) is named by its digest
      const many = await listOf(Role.Supervisor, '?limit=500');
      assert.ok(many.ids.length > 100, `${many.ids.length} declarations listed`);
      assert.deepEqual(many.entries, [['declarations.read', 'supervisor', null]]);
      const [digested] = await entriesAfter((await headSeq()) - 1);
      const data = digested?.data as Record<string, unknown>;
      assert.deepEqual(
        [data.count, data.lowestId, data.highestId, data.ids],
        [many.ids.length, Math.min(...many.ids), Math.max(...many.ids), undefined],
      );
      assert.match(String(data.idsSha256), /^[0-9a-f]{64}$/);
    });

    test("an officer reading an office's worklist is one entry naming what it was sent", async () => {
      let ids: number[] = [];
      const entries = await recorded(async () => {
        const page = await call(Role.Officer, 'GET', '/api/worklist?limit=20');
        ids = (page.items as { id: number }[]).map((d) => d.id);
      });
      assert.deepEqual(entries, [['declarations.read', 'officer', null]]);
      const [entry] = await entriesAfter((await headSeq()) - 1);
      assert.deepEqual(entry?.data, {
        what: 'worklist',
        role: 'officer',
        query: { limit: 20 },
        count: ids.length,
        ids,
      });
    });

    test('a list read names up to 100 ids, and above that their SHA-256 in the order sent', () => {
      const ids = Array.from({ length: 101 }, (_, i) => i + 1);
      assert.deepEqual(listReadData(ids.slice(0, 100)), { count: 100, ids: ids.slice(0, 100) });
      // SHA-256 of "1,2,...,101", computed outside this code base
      assert.deepEqual(listReadData(ids), {
        count: 101,
        lowestId: 1,
        highestId: 101,
        idsSha256: 'feeb7287178ccd83dab276bbd701dd85b462fa65851e7391a8e5bb51fb80d515',
      });
    });

    test('the auditor reads the ledger page by page and verifies it over HTTP', async () => {
      const page = await call(Role.Auditor, 'GET', '/api/ledger?after=1&limit=2');
      const items = page.items as { seq: number; action: string }[];
      const stored = (await entriesAfter(1)).slice(0, 2);
      assert.deepEqual(
        items.map((e) => [e.seq, e.action]),
        stored.map((e) => [Number(e.seq), e.action]),
      );
      assert.deepEqual(
        items.map((e) => e.seq),
        [2, 3],
      );
      assert.equal(page.nextCursor, 3);
      const verified = await call(Role.Auditor, 'GET', '/api/ledger/verify?roots=true');
      assert.deepEqual([verified.ok, verified.checked], [true, await headSeq()]);
      const bad = await server.request('GET', '/api/ledger?limit=0', { token: tokens.auditor });
      assert.deepEqual([bad.status, bad.body.error], [400, 'invalid_request']);
      const key = await server.request('GET', '/api/ledger/public-key');
      assert.deepEqual(
        [key.status, key.body.keyId, key.body.publicKey],
        [200, signer.keyId, signer.publicKeyPem],
      );
    });

    describe('checkpoints', () => {
      let checkpoint: Checkpoint;
      before(async () => {
        const made = await makeCheckpoint(ctx.db, signer);
        assert.ok(made.made);
        checkpoint = made.checkpoint;
      });

      test('cover every entry so far, and nothing new makes no checkpoint', async () => {
        assert.deepEqual([checkpoint.fromSeq, checkpoint.toSeq], [1, await headSeq()]);
        assert.deepEqual(await makeCheckpoint(ctx.db, signer), { made: false, reason: 'nothing_new' });
      });

      test('verify with only the public key, and not with another key', async () => {
        const exported = await exportCheckpoint(ctx.db, checkpoint, signer.publicKeyPem, true);
        assert.equal(exported.leaves?.length, checkpoint.toSeq);
        const offline = JSON.parse(JSON.stringify(exported));
        assert.deepEqual(verifyExportedCheckpoint(offline, signer.publicKeyPem), { ok: true });
        const other = signerFrom(generateKeyPairSync('ed25519').privateKey);
        assert.deepEqual(verifyExportedCheckpoint(offline, other.publicKeyPem), {
          ok: false,
          message: 'the signature does not verify with this public key',
        });
        const leaves = [...(exported.leaves ?? [])];
        leaves[3] = 'f'.repeat(64);
        assert.deepEqual(verifyExportedCheckpoint({ ...offline, leaves }, signer.publicKeyPem), {
          ok: false,
          message: 'the leaves do not give the signed Merkle root',
        });
      });

      test('the server signs the new entries at each interval', async () => {
        await ctx.db.transaction((tx) =>
          recordChained(tx, {
            actor: 't',
            action: 'test.later',
            subjectKind: SubjectKind.User,
            subjectId: null,
            data: null,
          }),
        );
        const outcome = await nextSigning({ checkpointMs: 10, headMs: 0 });
        const head = await headSeq();
        assert.ok(outcome.kind === 'checkpoint');
        assert.deepEqual(outcome.made && [outcome.checkpoint.fromSeq, outcome.checkpoint.toSeq], [
          checkpoint.toSeq + 1,
          head,
        ]);
        const report = await verifyLedger(ctx.db, signer.publicKeyPem);
        assert.deepEqual(report.ok && [report.checked, report.checkpoints, report.signedHead?.seq], [
          head,
          2,
          head,
        ]);
        if (outcome.made) checkpoint = outcome.checkpoint;
      });

      test('the server signs the head at each interval when entries were added, and only then', async () => {
        const entry = await ctx.db.transaction((tx) =>
          recordChained(tx, {
            actor: 't',
            action: 'test.later',
            subjectKind: SubjectKind.User,
            subjectId: null,
            data: null,
          }),
        );
        const signed = await nextSigning({ checkpointMs: 0, headMs: 10 });
        assert.ok(signed.kind === 'head' && signed.signed, JSON.stringify(signed));
        assert.deepEqual(
          [signed.head.seq, signed.head.hash, signed.head.checkpointSeq],
          [entry.seq, entry.hash, checkpoint.toSeq],
        );
        const again = await nextSigning({ checkpointMs: 0, headMs: 10 });
        assert.deepEqual(again.kind === 'head' && !again.signed && again.reason, 'nothing_new');
        const report = await verifyLedger(ctx.db, signer.publicKeyPem);
        assert.deepEqual(report.ok && [report.signedHead?.seq, report.unsigned], [entry.seq, 0]);
        // the tests below expect the last entry under a checkpoint
        const made = await makeCheckpoint(ctx.db, signer);
        assert.ok(made.made);
        checkpoint = made.checkpoint;
      });

      const note = (action: string) => ({
        actor: 't',
        action,
        subjectKind: SubjectKind.User,
        subjectId: null,
        data: null,
      });

      /**
       * Signs the head with `meanwhile` run between the check outside the signing transaction and
       * the transaction; returns the outcome and the first entry each read of the chain asked for.
       */
      async function signWith(meanwhile: () => Promise<unknown>) {
        const reads: { from: number; inTransaction: boolean }[] = [];
        const watched = (sql: Sql, inTransaction: boolean): Sql => ({
          ...sql,
          query: (statement, params) => {
            const text = typeof statement === 'string' ? statement : statement.text;
            if (/FROM ledger WHERE seq > \$1[^]*ORDER BY seq LIMIT \$2/.test(text))
              reads.push({ from: Number(params?.[0]) + 1, inTransaction });
            return sql.query(statement, params);
          },
        });
        const db = {
          ...watched(ctx.db, false),
          close: () => ctx.db.close(),
          transaction: async (fn, options) => {
            await meanwhile();
            return ctx.db.transaction((tx) => fn(watched(tx, true)), options);
          },
        } as Database;
        return { outcome: await signHead(db, signer), reads };
      }

      async function recordMany(n: number, action: string) {
        await ctx.db.transaction(async (tx) => {
          for (let i = 0; i < n; i++) await recordChange(tx, note(action));
        });
        await sealPending(ctx.db);
        const [head] = await ctx.db.query<{ seq: number }>('SELECT seq FROM ledger_head');
        return Number(head?.seq);
      }

      test('signing checks the new entries outside its transaction, and inside it only those sealed meanwhile', async () => {
        const seq = await recordMany(5000, 'test.many');
        const { outcome, reads } = await signWith(() => recordMany(3, 'test.meanwhile'));
        assert.ok(outcome.signed, JSON.stringify(outcome));
        assert.equal(outcome.head.seq, seq + 3);
        const outside = reads.filter((r) => !r.inTransaction);
        const inside = reads.filter((r) => r.inTransaction);
        assert.ok(
          outside.length >= 3,
          `the 5,000 entries are checked in batches: ${JSON.stringify(outside)}`,
        );
        assert.ok(Math.min(...outside.map((r) => r.from)) <= seq - 4999, JSON.stringify(outside));
        // inside: the head checked before (is it still the same entry?) and the three after it
        assert.ok(inside.length > 0 && inside.every((r) => r.from >= seq), JSON.stringify(inside));
        assert.ok((await verifyLedger(ctx.db, signer.publicKeyPem)).ok);
      });

      test('an entry rewritten after the check outside the transaction, even put back, is checked again inside it', async () => {
        const seq = await recordMany(600, 'test.many');
        const target = seq - 10;
        const [original] = await ctx.db.query<{ data: string }>('SELECT data FROM ledger WHERE seq = $1', [
          target,
        ]);
        const rewrite = (data: string) =>
          ctx.db.query('UPDATE ledger SET data = $2 WHERE seq = $1', [target, data]);
        const tampered = await signWith(() => rewrite('{"rewritten":true}'));
        assert.deepEqual(
          !tampered.outcome.signed && tampered.outcome.reason === 'tampered' && tampered.outcome.firstBad.seq,
          target,
        );
        await rewrite(String(original?.data));
        // put back as it was: the row is another version, so the transaction checks it all again
        const restored = await signWith(async () => {
          await rewrite('{"rewritten":true}');
          await rewrite(String(original?.data));
        });
        assert.ok(restored.outcome.signed, JSON.stringify(restored.outcome));
        assert.ok(restored.reads.some((r) => r.inTransaction && r.from < target));
      });

      test('another signer signing meanwhile is not taken for tampering', async () => {
        const seq = await recordMany(300, 'test.many');
        const { outcome } = await signWith(async () => {
          assert.ok((await signHead(ctx.db, signer)).signed);
          await recordMany(2, 'test.meanwhile');
        });
        assert.ok(outcome.signed, JSON.stringify(outcome));
        assert.equal(outcome.head.seq, seq + 2);
        assert.ok((await verifyLedger(ctx.db, signer.publicKeyPem)).ok);
        // the tests below expect the last entry under a checkpoint
        const made = await makeCheckpoint(ctx.db, signer);
        assert.ok(made.made);
        checkpoint = made.checkpoint;
      });

      /** Runs the server's schedule until its first signing, and stops it (runs already due included). */
      function nextSigning(every: { checkpointMs: number; headMs: number }): Promise<SigningOutcome> {
        const silent = { info: () => undefined, error: () => undefined };
        return new Promise<SigningOutcome>((resolve) => {
          let first: SigningOutcome | undefined;
          const stop = scheduleSigning(
            ctx.db,
            async () => signer,
            every,
            silent,
            (o) => {
              if (first) return;
              first = o;
              void stop().then(() => resolve(o));
            },
          );
        });
      }

      test('the auditor lists and exports them', async () => {
        const list = await call(Role.Auditor, 'GET', '/api/ledger/checkpoints');
        assert.deepEqual((list.checkpoints as Checkpoint[]).at(-1), checkpoint);
        const one = await call(Role.Auditor, 'GET', `/api/ledger/checkpoints/${checkpoint.id}?leaves=false`);
        assert.deepEqual(
          [one.merkleRoot, one.signature, one.leaves],
          [checkpoint.merkleRoot, checkpoint.signature, undefined],
        );
        await call(Role.Auditor, 'GET', '/api/ledger/checkpoints/999999', undefined, 404);
      });
    });

    describe('tampering', () => {
      /** Runs `tamper`, checks what verification reports, then puts the ledger back as it was. */
      async function detects(tamper: string, expected: { seq: number; problem: string }) {
        await ctx.db.query('CREATE TABLE ledger_kept AS SELECT * FROM ledger');
        await ctx.db.query('CREATE TABLE checkpoints_kept AS SELECT * FROM ledger_checkpoints');
        await ctx.db.query(tamper);
        try {
          const report = await verifyLedger(ctx.db, signer.publicKeyPem, { batchSize: 7 });
          assert.deepEqual(
            report.ok ? report : { seq: report.firstBad.seq, problem: report.firstBad.problem },
            expected,
          );
          assert.equal(report.checked, expected.seq - 1);
        } finally {
          await ctx.db.transaction(async (tx) => {
            await tx.query('DELETE FROM ledger');
            await tx.query('INSERT INTO ledger SELECT * FROM ledger_kept');
            await tx.query('DELETE FROM ledger_checkpoints');
            await tx.query('INSERT INTO ledger_checkpoints SELECT * FROM checkpoints_kept');
            await tx.query('DROP TABLE ledger_kept, checkpoints_kept');
          });
        }
        assert.equal((await verifyLedger(ctx.db, signer.publicKeyPem)).ok, true);
      }

      test('changing the data of an entry names it as altered', async () => {
        await detects(`UPDATE ledger SET data = '{"role":"auditor"}' WHERE seq = 4`, {
          seq: 4,
          problem: 'altered',
        });
      });

      test('deleting an entry names it as removed', async () => {
        await detects('DELETE FROM ledger WHERE seq = 9', { seq: 9, problem: 'removed' });
      });

      test('swapping two entries names the first as reordered', async () => {
        await detects(
          `UPDATE ledger l SET at = o.at, actor = o.actor, action = o.action, subject_kind = o.subject_kind,
             subject_id = o.subject_id, data = o.data, prev_hash = o.prev_hash, hash = o.hash
           FROM ledger_kept o WHERE (l.seq, o.seq) IN ((12, 13), (13, 12))`,
          { seq: 12, problem: 'reordered' },
        );
      });

      test('deleting the last entries names the first one missing', async () => {
        const last = await headSeq();
        await detects(`DELETE FROM ledger WHERE seq >= ${last - 1}`, { seq: last - 1, problem: 'removed' });
      });

      test('altering a checkpoint names the first entry it covers', async () => {
        await detects('UPDATE ledger_checkpoints SET to_seq = to_seq - 1', {
          seq: 1,
          problem: 'checkpoint_signature',
        });
      });

      test('rewriting an entry with a fresh hash is caught by the signed checkpoint', async () => {
        // a consistent rewrite of the last entry: new content, its hash recomputed, the head moved along
        const last = await headSeq();
        await ctx.db.query('CREATE TABLE ledger_kept AS SELECT * FROM ledger WHERE seq = $1', [last]);
        const rewritten = await ctx.db.transaction(async (tx) => {
          await tx.query('DELETE FROM ledger WHERE seq = $1', [last]);
          await tx.query(
            'UPDATE ledger_head SET seq = $1 - 1, hash = (SELECT hash FROM ledger WHERE seq = $1 - 1)',
            [last],
          );
          return recordChained(tx, {
            actor: 'intruder',
            action: 'test.rewritten',
            subjectKind: SubjectKind.User,
            subjectId: null,
            data: null,
          });
        });
        assert.equal(rewritten.seq, last);
        const [covering] = await ctx.db.query<{ fromSeq: number }>(
          'SELECT from_seq AS "fromSeq" FROM ledger_checkpoints WHERE $1 BETWEEN from_seq AND to_seq',
          [last],
        );
        assert.ok(covering && covering.fromSeq > 1);
        const report = await verifyLedger(ctx.db, signer.publicKeyPem, { roots: true });
        assert.deepEqual(report.ok ? null : [report.firstBad.seq, report.firstBad.problem], [
          covering.fromSeq,
          'checkpoint_root',
        ]);
        await ctx.db.transaction(async (tx) => {
          await tx.query('DELETE FROM ledger WHERE seq = $1', [last]);
          await tx.query('INSERT INTO ledger SELECT * FROM ledger_kept');
          await tx.query('UPDATE ledger_head SET hash = (SELECT hash FROM ledger_kept)');
          await tx.query('DROP TABLE ledger_kept');
        });
        assert.equal((await verifyLedger(ctx.db, signer.publicKeyPem)).ok, true);
      });
    });
  });
}
