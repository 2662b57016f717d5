/**
 * The ledger against someone who can write any table through a direct database connection but
 * does not hold the key (ADR 0012): each tampering is named by verification, in this process and
 * over HTTP, with the copy folder outside the database and, where it suffices, without it.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Sql } from '../../db/database.ts';
import {
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../../testing/harness.ts';
import { Role } from '../roles.ts';
import { makeCheckpoint } from './checkpoints.ts';
import { entryHash, SubjectKind } from './entry.ts';
import { signHead } from './heads.ts';
import { readEntries } from './read.ts';
import { recordChange } from './record.ts';
import { sealPending } from './seal.ts';
import { loadOrCreateSigner, type LedgerSigner } from './signing.ts';
import { verifyLedger } from './verify.ts';

const tables = ['ledger', 'ledger_head', 'ledger_checkpoints', 'ledger_signed_heads'];

for (const target of storageTargets()) {
  describe(`the ledger against a database writer without the key (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let auditor: string;
    let signer: LedgerSigner;
    let copyDir: string;
    let keptCopy: string;

    before(async () => {
      ctx = await openTestContext(target);
      auditor = (await createRoleUsers(ctx))[Role.Auditor];
      server = await startTestServer(ctx);
      signer = await loadOrCreateSigner(ctx.config.ledgerKeyFile);
      copyDir = ctx.config.ledgerCopyDir;
      keptCopy = await mkdtemp(path.join(tmpdir(), 'clearway-ledger-copy-kept-'));
    });
    after(async () => {
      await server?.close();
      await ctx?.dispose();
      await rm(keptCopy, { recursive: true, force: true });
    });

    const headSeq = async () => {
      await sealPending(ctx.db);
      return Number((await ctx.db.query<{ seq: number }>('SELECT seq FROM ledger_head'))[0]?.seq);
    };

    /** `n` more entries, as any change would write them. */
    async function addEntries(n: number): Promise<number> {
      for (let i = 0; i < n; i++)
        await ctx.db.transaction((tx) =>
          recordChange(tx, {
            actor: 'officer',
            action: 'test.change',
            subjectKind: SubjectKind.Declaration,
            subjectId: String(i),
            data: { i },
          }),
        );
      return headSeq();
    }

    /** What an attacker runs: entry `seq` gets new data and every hash after it is recomputed, the head too. */
    async function rewriteAndRechain(sql: Sql, seq: number): Promise<void> {
      const entries = await readEntries(sql, seq - 1, 1_000_000);
      let prevHash = entries[0]?.prevHash ?? '';
      for (const e of entries) {
        const rewritten = { ...e, prevHash, data: e.seq === seq ? '{"i":"rewritten"}' : e.data };
        const hash = entryHash(rewritten);
        await sql.query('UPDATE ledger SET data = $1, prev_hash = $2, hash = $3 WHERE seq = $4', [
          rewritten.data,
          prevHash,
          hash,
          e.seq,
        ]);
        prevHash = hash;
      }
      await sql.query('UPDATE ledger_head SET hash = $1', [prevHash]);
    }

    /** What an attacker runs: the entries from `seq` on are deleted and the head moved back. */
    async function truncateFrom(sql: Sql, seq: number): Promise<void> {
      await sql.query('DELETE FROM ledger WHERE seq >= $1', [seq]);
      await sql.query('UPDATE ledger_head SET seq = l.seq, hash = l.hash FROM ledger l WHERE l.seq = $1', [
        seq - 1,
      ]);
    }

    /**
     * Keeps the ledger's tables and the copy folder, runs `tamper`, checks that verification in
     * this process and `GET /api/ledger/verify` name the expected problem, and puts everything back.
     */
    async function detects(
      tamper: (sql: Sql) => Promise<void>,
      expected: { seq: number; problem: string; message: RegExp },
      options: { copy: boolean } = { copy: true },
    ) {
      for (const t of tables) await ctx.db.query(`CREATE TABLE kept_${t} AS SELECT * FROM ${t}`);
      await rm(keptCopy, { recursive: true, force: true });
      await cp(copyDir, keptCopy, { recursive: true });
      try {
        await ctx.db.transaction(tamper);
        const report = await verifyLedger(ctx.db, signer.publicKeyPem, {
          batchSize: 7,
          ...(options.copy ? { copyDir } : {}),
        });
        assert.deepEqual(report.ok ? report : [report.firstBad.seq, report.firstBad.problem], [
          expected.seq,
          expected.problem,
        ]);
        assert.match(report.ok ? '' : report.firstBad.message, expected.message);
        if (options.copy) {
          const res = await server.request('GET', '/api/ledger/verify', { token: auditor });
          assert.equal(res.status, 200);
          assert.deepEqual(res.body, JSON.parse(JSON.stringify({ ...report })));
        }
        // and the server's next signing does not sign over it
        const signing = await signHead(ctx.db, signer, options.copy ? copyDir : undefined);
        assert.deepEqual(signing.signed || signing.reason, 'tampered');
      } finally {
        await ctx.db.transaction(async (tx) => {
          for (const t of tables) {
            await tx.query(`DELETE FROM ${t}`);
            await tx.query(`INSERT INTO ${t} SELECT * FROM kept_${t}`);
            await tx.query(`DROP TABLE kept_${t}`);
          }
        });
        await rm(copyDir, { recursive: true, force: true });
        await cp(keptCopy, copyDir, { recursive: true });
      }
      const restored = await verifyLedger(ctx.db, signer.publicKeyPem, { copyDir });
      assert.equal(restored.ok, true, JSON.stringify(restored));
    }

    let checkpointEnd = 0;
    let firstHead = 0;
    let lastHead = 0;

    test('an intact ledger with checkpoints and signed heads verifies, and its copy folder holds them', async () => {
      await addEntries(6);
      const made = await makeCheckpoint(ctx.db, signer, copyDir);
      assert.ok(made.made);
      checkpointEnd = made.checkpoint.toSeq;
      firstHead = await addEntries(5);
      assert.ok((await signHead(ctx.db, signer, copyDir)).signed);
      lastHead = await addEntries(5);
      assert.ok((await signHead(ctx.db, signer, copyDir)).signed);
      await addEntries(1); // one entry after the last signed head

      const report = await verifyLedger(ctx.db, signer.publicKeyPem, { copyDir });
      assert.deepEqual(report, {
        ok: true,
        checked: lastHead + 1,
        lastSeq: lastHead + 1,
        checkpoints: 1,
        signedHead: { seq: lastHead, signedAt: report.ok ? report.signedHead?.signedAt : '' },
        unsigned: 1,
        copy: { dir: copyDir, checkpoints: 1, headSeq: lastHead },
      });
      const head = JSON.parse(await readFile(path.join(copyDir, 'head.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      assert.deepEqual(
        [head.format, head.seq, head.checkpointSeq],
        ['clearway-ledger-head-v1', lastHead, checkpointEnd],
      );
    });

    test('deleting every checkpoint and rewriting an entry they covered is named, by the signed heads alone', async () => {
      await detects(
        async (sql) => {
          await sql.query('DELETE FROM ledger_checkpoints');
          await rewriteAndRechain(sql, 3);
        },
        {
          seq: 1,
          problem: 'checkpoint_removed',
          message: new RegExp(
            `^the checkpoint of ledger entries 1-${checkpointEnd}, named by the head signed at .*, was removed$`,
          ),
        },
        { copy: false },
      );
    });

    test('deleting every checkpoint and signed head is named by the copy folder', async () => {
      await detects(
        async (sql) => {
          await sql.query('DELETE FROM ledger_checkpoints');
          await sql.query('DELETE FROM ledger_signed_heads');
          await rewriteAndRechain(sql, 3);
        },
        {
          seq: 1,
          problem: 'checkpoint_removed',
          message: new RegExp(
            `^the checkpoint of ledger entries 1-${checkpointEnd} was removed from the database: the copy folder .* has it$`,
          ),
        },
      );
    });

    test('deleting the newest entries and moving the head back is named from the first one removed', async () => {
      const from = firstHead + 2;
      await detects(
        (sql) => truncateFrom(sql, from),
        {
          seq: from,
          problem: 'removed',
          message: new RegExp(
            `^ledger entries ${from}-${lastHead} were removed: the head signed at .* covers entry ${lastHead}$`,
          ),
        },
        { copy: false },
      );
    });

    test('the same with the newer signed heads deleted too is named by the head in the copy folder', async () => {
      const from = firstHead + 2;
      await detects(
        async (sql) => {
          await truncateFrom(sql, from);
          await sql.query('DELETE FROM ledger_signed_heads WHERE seq >= $1', [from]);
        },
        {
          seq: from,
          problem: 'removed',
          message: new RegExp(
            `^ledger entries ${from}-${lastHead} were removed: the head signed at .* covers entry ${lastHead}$`,
          ),
        },
      );
    });

    test('rewriting an entry after the last checkpoint and rechaining is named down to the heads around it', async () => {
      await detects(
        (sql) => rewriteAndRechain(sql, firstHead + 2),
        {
          seq: firstHead + 1,
          problem: 'head_rewritten',
          message: new RegExp(
            `^ledger entries ${firstHead + 1}-${lastHead} do not match the head signed at .*: one of them was rewritten$`,
          ),
        },
        { copy: false },
      );
      await detects(
        (sql) => rewriteAndRechain(sql, checkpointEnd + 1),
        {
          seq: checkpointEnd + 1,
          problem: 'head_rewritten',
          message: new RegExp(
            `^ledger entries ${checkpointEnd + 1}-${firstHead} do not match the head signed at`,
          ),
        },
        { copy: false },
      );
    });

    test('the same with every signed head deleted is named by the head in the copy folder', async () => {
      await detects(
        async (sql) => {
          await rewriteAndRechain(sql, firstHead + 2);
          await sql.query('DELETE FROM ledger_signed_heads');
        },
        {
          seq: checkpointEnd + 1,
          problem: 'head_rewritten',
          message: new RegExp(
            `^ledger entries ${checkpointEnd + 1}-${lastHead} do not match the head signed at`,
          ),
        },
      );
    });

    test('deleting only the signed heads is named: the copy folder and the checkpoint show them', async () => {
      await detects((sql) => sql.query('DELETE FROM ledger_signed_heads').then(() => undefined), {
        seq: lastHead,
        problem: 'head_removed',
        message: /^the head signed at .* for entry \d+ is gone from the database: the copy folder .* has it$/,
      });
      await detects(
        (sql) => sql.query('DELETE FROM ledger_signed_heads').then(() => undefined),
        {
          seq: checkpointEnd,
          problem: 'head_removed',
          message: new RegExp(
            `^the head signed with the checkpoint of ledger entries 1-${checkpointEnd} was removed$`,
          ),
        },
        { copy: false },
      );
    });

    test('a signed head altered in the database, or a copy altered in its folder, is named', async () => {
      await detects(
        (sql) =>
          sql
            .query('UPDATE ledger_signed_heads SET seq = seq - 1 WHERE seq = $1', [lastHead])
            .then(() => undefined),
        {
          seq: lastHead - 1,
          problem: 'head_signature',
          message: /was altered: its signature does not verify$/,
        },
        { copy: false },
      );
      const file = path.join(copyDir, 'head.json');
      const kept = await readFile(file, 'utf8');
      try {
        await writeFile(file, kept.replace(`"seq": ${lastHead}`, `"seq": ${lastHead + 50}`));
        const report = await verifyLedger(ctx.db, signer.publicKeyPem, { copyDir });
        assert.deepEqual(report.ok ? report : [report.firstBad.seq, report.firstBad.problem], [
          lastHead + 50,
          'copy_altered',
        ]);
      } finally {
        await writeFile(file, kept);
      }
    });
  });
}
