/**
 * The real `clearway ledger` command, run as a subprocess against a fresh embedded database and,
 * when DATABASE_URL is set, a fresh PostgreSQL database: verify, checkpoint, export-checkpoint and
 * verify-checkpoint, a ledger altered behind the application's back, and bad input.
 */
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openAppContext, type AppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import type { CheckpointExport } from '../governance/ledger/checkpoints.ts';
import { Role } from '../governance/roles.ts';
import { createUser } from '../governance/users.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';
import { clearway, type Run } from '../testing/cli-process.ts';
import { storageTargets, testPassword } from '../testing/harness.ts';
import { sealPending } from '../governance/ledger/seal.ts';

/** A refusal: the exit code, one clear message on standard error, nothing on standard output, no stack trace. */
function assertRefused(run: Run, code: number, message: RegExp) {
  assert.equal(run.code, code, `exit code; stderr: ${run.stderr}`);
  assert.match(run.stderr, message);
  assert.match(run.stderr, /^clearway ledger[ :]/);
  assert.doesNotMatch(run.stderr, /\n\s+at |Error:|node:internal/, 'no stack trace');
  assert.equal(run.stdout, '');
}

/** Opens the CLI's database in this process (closed again before the next run: PGlite allows one process). */
async function withDatabase<T>(env: Record<string, string>, fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openAppContext(loadConfig({ ...process.env, ...env }));
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

/** Real changes, each of which writes one ledger entry. */
async function addUsers(ctx: AppContext, prefix: string, count: number) {
  for (let i = 1; i <= count; i++) {
    const made = await createUser(ctx.db, {
      username: `${prefix}-${i}`,
      password: testPassword,
      role: Role.Auditor,
    });
    assert.ok(made.ok);
  }
}

let workDir: string;

before(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'clearway-ledger-cli-test-'));
});
after(() => rm(workDir, { recursive: true, force: true }));

for (const target of storageTargets()) {
  describe(`clearway ledger on ${target}`, () => {
    let dir: string;
    let store: EmptyStore;
    /** The entry hashes in seq order before the first checkpoint: the ledger the checkpoint covers. */
    let hashes: string[] = [];
    let root1 = '';
    let publicKeyFile = '';
    let withLeaves = '';
    let withoutLeaves = '';

    before(async () => {
      dir = await mkdtemp(path.join(workDir, `${target}-`));
      store = await emptyStore(target, path.join(dir, 'data'));
      hashes = await withDatabase(store.env, async (ctx) => {
        await addUsers(ctx, 'auditor', 3);
        await sealPending(ctx.db);
        const rows = await ctx.db.query<{ seq: number; hash: string }>(
          'SELECT seq, hash FROM ledger ORDER BY seq',
        );
        assert.deepEqual(
          rows.map((r) => Number(r.seq)),
          rows.map((_, i) => i + 1),
        );
        return rows.map((r) => r.hash);
      });
      assert.ok(hashes.length >= 4, 'the reference data load and three users are recorded');
    });
    after(() => store?.dispose());

    const run = (args: string[]) => clearway(store.env, args);

    test('verify on an intact ledger exits 0, counts its entries and says that nothing is signed yet', async () => {
      const verified = await run(['ledger', 'verify']);
      assert.equal(verified.code, 0, verified.stderr);
      assert.equal(
        verified.stdout,
        `ledger intact: ${hashes.length} entries, 0 checkpoints verified; no signed head yet; ` +
          `no copy folder at ${path.join(dir, 'data', 'ledger-copy')}\n`,
      );
      assert.equal(verified.stderr, '');
    });

    test('checkpoint signs the entries so far; a second one with nothing new says so and exits 0', async () => {
      const made = await run(['ledger', 'checkpoint']);
      assert.equal(made.code, 0, made.stderr);
      const match = new RegExp(`^checkpoint 1: entries 1-${hashes.length}, root ([0-9a-f]{64})\\n$`).exec(
        made.stdout,
      );
      assert.ok(match?.[1], made.stdout);
      root1 = match[1];
      const again = await run(['ledger', 'checkpoint']);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(again.stdout, 'no new entries since the last checkpoint\n');
      assert.equal(again.stderr, '');
    });

    test('verify --roots --json prints the report as one JSON line, counting the checkpoint', async () => {
      const verified = await run(['ledger', 'verify', '--roots', '--json']);
      assert.equal(verified.code, 0, verified.stderr);
      assert.match(verified.stdout, /^\{.*\}\n$/);
      const report = JSON.parse(verified.stdout) as Record<string, unknown>;
      assert.deepEqual(report, {
        ok: true,
        checked: hashes.length,
        lastSeq: hashes.length,
        checkpoints: 1,
        signedHead: { seq: hashes.length, signedAt: (report.signedHead as { signedAt: string }).signedAt },
        unsigned: 0,
        copy: { dir: path.join(dir, 'data', 'ledger-copy'), checkpoints: 1, headSeq: hashes.length },
      });
    });

    test('checkpoint copies the checkpoint and its signed head into the copy folder', async () => {
      const copy = path.join(dir, 'data', 'ledger-copy');
      const checkpoint = JSON.parse(
        await readFile(path.join(copy, `checkpoint-${String(hashes.length).padStart(16, '0')}.json`), 'utf8'),
      ) as CheckpointExport;
      assert.deepEqual(
        [
          checkpoint.format,
          checkpoint.fromSeq,
          checkpoint.toSeq,
          checkpoint.merkleRoot,
          checkpoint.prevCheckpoint,
        ],
        ['clearway-ledger-checkpoint-v2', 1, hashes.length, root1, '0'.repeat(64)],
      );
      const head = JSON.parse(await readFile(path.join(copy, 'head.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      assert.deepEqual(
        [head.format, head.seq, head.hash, head.checkpointSeq],
        ['clearway-ledger-head-v1', hashes.length, hashes.at(-1), hashes.length],
      );
    });

    test('export-checkpoint writes the signed checkpoint as JSON; with --leaves, the entry hashes too', async () => {
      withLeaves = path.join(dir, 'checkpoint-1-leaves.json');
      const written = await run(['ledger', 'export-checkpoint', '1', '--leaves', '--out', withLeaves]);
      assert.equal(written.code, 0, written.stderr);
      assert.equal(written.stdout, '');
      const printed = await run(['ledger', 'export-checkpoint', '1']);
      assert.equal(printed.code, 0, printed.stderr);

      const privateKey = createPrivateKey(await readFile(path.join(dir, 'data', 'ledger-key.pem'), 'utf8'));
      const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
      const full = JSON.parse(await readFile(withLeaves, 'utf8')) as CheckpointExport;
      assert.deepEqual(Object.keys(full), [
        'format',
        'fromSeq',
        'toSeq',
        'lastHash',
        'merkleRoot',
        'signedAt',
        'prevCheckpoint',
        'keyId',
        'signature',
        'publicKey',
        'head',
        'leaves',
      ]);
      assert.equal(full.format, 'clearway-ledger-checkpoint-v2');
      assert.deepEqual([full.head?.seq, full.head?.checkpointSeq], [hashes.length, hashes.length]);
      assert.equal(full.fromSeq, 1);
      assert.equal(full.toSeq, hashes.length);
      assert.deepEqual(full.leaves, hashes);
      assert.equal(full.lastHash, hashes.at(-1));
      assert.equal(full.merkleRoot, root1);
      assert.match(full.signedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.match(full.keyId, /^[0-9a-f]{16}$/);
      assert.equal(full.publicKey, publicKey);

      const { leaves: _leaves, ...signed } = full;
      assert.deepEqual(
        JSON.parse(printed.stdout),
        signed,
        'without --leaves: the same checkpoint, no leaves',
      );
      withoutLeaves = path.join(dir, 'checkpoint-1.json');
      await writeFile(withoutLeaves, printed.stdout);
      publicKeyFile = path.join(dir, 'ledger-public.pem');
      await writeFile(publicKeyFile, publicKey);
    });

    test('verify-checkpoint accepts the export with the right public key, with and without leaves', async () => {
      const [full, bare] = await Promise.all([
        run(['ledger', 'verify-checkpoint', withLeaves, '--public-key', publicKeyFile]),
        run(['ledger', 'verify-checkpoint', withoutLeaves, '--public-key', publicKeyFile]),
      ]);
      assert.equal(full.code, 0, full.stderr);
      const n = hashes.length;
      assert.equal(
        full.stdout,
        `checkpoint of entries 1-${n} verified (signature, the head signed at entry ${n} and ${n} leaves)\n`,
      );
      assert.equal(bare.code, 0, bare.stderr);
      assert.equal(
        bare.stdout,
        `checkpoint of entries 1-${n} verified (signature and the head signed at entry ${n})\n`,
      );
    });

    test('verify-checkpoint refuses another key and a tampered file, saying why', async () => {
      const otherKey = path.join(dir, 'other-public.pem');
      await writeFile(
        otherKey,
        generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      );
      const full = JSON.parse(await readFile(withLeaves, 'utf8')) as CheckpointExport;
      const leaves = full.leaves ?? [];
      const tampered = async (name: string, value: unknown) => {
        const file = path.join(dir, name);
        await writeFile(file, JSON.stringify(value, null, 2));
        return file;
      };
      const flipped = (h: string) => (h[0] === '0' ? '1' : '0') + h.slice(1);
      const files = {
        range: await tampered('range.json', { ...full, leaves: undefined, toSeq: full.toSeq + 1 }),
        leaf: await tampered('leaf.json', {
          ...full,
          leaves: [flipped(leaves[0] ?? ''), ...leaves.slice(1)],
        }),
        missingLeaf: await tampered('missing-leaf.json', { ...full, leaves: leaves.slice(1) }),
        head: await tampered('head.json', { ...full, head: { ...full.head, seq: 1 } }),
      };
      const refusal = 'clearway ledger verify-checkpoint: refused: ';
      const cases: [string, string, string][] = [
        [withLeaves, otherKey, 'the signature does not verify with this public key'],
        [files.range, publicKeyFile, 'the signature does not verify with this public key'],
        [files.leaf, publicKeyFile, 'the leaves do not give the signed Merkle root'],
        [
          files.missingLeaf,
          publicKeyFile,
          `${leaves.length - 1} leaves for a range of ${leaves.length} entries`,
        ],
        [files.head, publicKeyFile, 'the signed head does not verify with this public key'],
      ];
      const runs = await Promise.all(
        cases.map(([file, key]) => run(['ledger', 'verify-checkpoint', file, '--public-key', key])),
      );
      runs.forEach((refused, i) => {
        const [file, , message] = cases[i] ?? [];
        assert.equal(refused.code, 1, `${file}: ${refused.stderr}`);
        assert.equal(refused.stderr, `${refusal}${message}\n`, file);
        assert.equal(refused.stdout, '');
      });
    });

    test('a command that changes data signs the head as it ends; sign-head signs it on demand', async () => {
      const made = await run(['tokens', 'create', '--user', 'auditor-1', '--name', 'signed-at-exit']);
      assert.equal(made.code, 0, made.stderr);
      const [head, signed] = await withDatabase(store.env, (ctx) =>
        Promise.all([
          ctx.db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM ledger_head'),
          ctx.db.query<{ seq: number; hash: string }>(
            'SELECT seq, hash FROM ledger_signed_heads ORDER BY seq DESC LIMIT 1',
          ),
        ]),
      );
      assert.ok(head[0] && Number(head[0].seq) > hashes.length);
      assert.deepEqual(signed, head, 'the head the command left is signed');
      const copied = JSON.parse(
        await readFile(path.join(dir, 'data', 'ledger-copy', 'head.json'), 'utf8'),
      ) as {
        seq: number;
      };
      assert.equal(copied.seq, Number(head[0].seq));

      const again = await run(['ledger', 'sign-head']);
      assert.deepEqual(
        [again.code, again.stdout],
        [0, `the head at entry ${head[0].seq} is already signed\n`],
      );
      // a change made outside any command (a bare connection): nothing signs it until asked
      const db = await store.open();
      try {
        const made = await createUser(db, {
          username: 'unsigned-1',
          password: testPassword,
          role: Role.Auditor,
        });
        assert.ok(made.ok);
      } finally {
        await db.close();
      }
      const signedNow = await run(['ledger', 'sign-head']);
      assert.deepEqual(
        [signedNow.code, signedNow.stdout],
        [0, `head signed at entry ${Number(head[0].seq) + 1}\n`],
      );
    });

    /** Runs `sql` as someone with a database connection and no key, runs `ledger verify`, and undoes it. */
    async function verifyAfter(statements: string[], args: string[] = []): Promise<Run> {
      const tables = ['ledger', 'ledger_head', 'ledger_checkpoints', 'ledger_signed_heads'];
      await withDatabase(store.env, async (ctx) => {
        for (const t of tables) await ctx.db.query(`CREATE TABLE kept_${t} AS SELECT * FROM ${t}`);
        for (const statement of statements) await ctx.db.query(statement);
      });
      try {
        return await run(['ledger', 'verify', ...args]);
      } finally {
        await withDatabase(store.env, (ctx) =>
          ctx.db.transaction(async (tx) => {
            for (const t of tables) {
              await tx.query(`DELETE FROM ${t}`);
              await tx.query(`INSERT INTO ${t} SELECT * FROM kept_${t}`);
              await tx.query(`DROP TABLE kept_${t}`);
            }
          }),
        );
      }
    }

    test('verify names the checkpoints deleted from the database, from the signed heads or the copy folder', async () => {
      const n = hashes.length;
      assertRefused(
        // without a copy folder, the signed heads name it
        await verifyAfter(['DELETE FROM ledger_checkpoints'], ['--copy', path.join(dir, 'no-copy-folder')]),
        1,
        new RegExp(`the checkpoint of ledger entries 1-${n}, named by the head signed at .*, was removed\n$`),
      );
      assertRefused(
        await verifyAfter(['DELETE FROM ledger_checkpoints', 'DELETE FROM ledger_signed_heads']),
        1,
        new RegExp(
          `the checkpoint of ledger entries 1-${n} was removed from the database: the copy folder .* has it\n$`,
        ),
      );
      // a folder of the files a partner was sent serves as well
      const partner = path.join(dir, 'partner');
      await mkdir(partner, { recursive: true });
      await writeFile(path.join(partner, 'from-clearway.json'), await readFile(withLeaves, 'utf8'));
      assertRefused(
        await verifyAfter(
          ['DELETE FROM ledger_checkpoints', 'DELETE FROM ledger_signed_heads'],
          ['--copy', partner],
        ),
        1,
        new RegExp(
          `the checkpoint of ledger entries 1-${n} was removed from the database: the copy folder ${partner} has it\n$`,
        ),
      );
    });

    test('verify names entries deleted with the head moved back, down to the first one removed', async () => {
      const head = await withDatabase(store.env, async (ctx) =>
        Number((await ctx.db.query<{ seq: number }>('SELECT seq FROM ledger_head'))[0]?.seq),
      );
      const cut = hashes.length + 1;
      assertRefused(
        await verifyAfter([
          `DELETE FROM ledger WHERE seq >= ${cut}`,
          `UPDATE ledger_head SET seq = l.seq, hash = l.hash FROM ledger l WHERE l.seq = ${cut - 1}`,
          `DELETE FROM ledger_signed_heads WHERE seq >= ${cut}`,
        ]),
        1,
        new RegExp(
          `ledger entries ${cut}-${head} were removed: the head signed at .* covers entry ${head}\n$`,
        ),
      );
    });

    test('after entries are altered in the database, verify exits 1 naming the first; checkpoint refuses to sign', async () => {
      const n = hashes.length;
      await withDatabase(store.env, async (ctx) => {
        await addUsers(ctx, 'later', 2);
        for (const seq of [2, n + 2]) {
          const changed = await ctx.db.query('UPDATE ledger SET data = $1 WHERE seq = $2 RETURNING seq', [
            '{"tampered":true}',
            seq,
          ]);
          assert.equal(changed.length, 1);
        }
      });
      const verified = await run(['ledger', 'verify']);
      assertRefused(verified, 1, /ledger entry 2 was altered/);
      assert.equal(
        verified.stderr,
        'clearway ledger verify: the ledger was tampered with: ledger entry 2 was altered: its hash does not match its content\n',
      );

      const json = await run(['ledger', 'verify', '--json']);
      assert.equal(json.code, 1);
      assert.deepEqual(JSON.parse(json.stdout), {
        ok: false,
        checked: 1,
        firstBad: {
          seq: 2,
          problem: 'altered',
          message: 'ledger entry 2 was altered: its hash does not match its content',
        },
      });
      assert.match(json.stderr, /the ledger was tampered with: ledger entry 2 was altered/);

      // the new checkpoint would cover entries n+1 to n+2: it checks them and refuses
      const refused = await run(['ledger', 'checkpoint']);
      assertRefused(
        refused,
        1,
        new RegExp(`refused, the ledger was tampered with: ledger entry ${n + 2} was altered`),
      );
    });

    test('export-checkpoint of an unknown checkpoint or to a file that cannot be written exits 1 and says so', async () => {
      assertRefused(
        await run(['ledger', 'export-checkpoint', '99']),
        1,
        /^clearway ledger export-checkpoint: no checkpoint 99\n$/,
      );
      const out = path.join(dir, 'no-such-folder', 'checkpoint.json');
      assertRefused(
        await run(['ledger', 'export-checkpoint', '1', '--out', out]),
        1,
        /^clearway ledger export-checkpoint: cannot write .*no-such-folder.*: ENOENT\n$/,
      );
    });
  });
}

// Refused before any database is opened, so these run side by side.
describe('clearway ledger refuses bad input with a clear message', { concurrency: 2 }, () => {
  const env = () => ({
    CLEARWAY_DATA_DIR: path.join(workDir, 'unused'),
    DATABASE_URL: '',
    LOG_LEVEL: 'silent',
  });
  const file = (name: string) => path.join(workDir, name);

  before(async () => {
    await writeFile(file('not-json.json'), '{"format": "clearway-ledger-checkpoint-v1",');
    const shaped = {
      format: 'clearway-ledger-checkpoint-v1',
      fromSeq: 1,
      toSeq: 3,
      lastHash: 'a'.repeat(64),
      merkleRoot: 'b'.repeat(64),
      signedAt: '2026-03-02T10:00:00.000Z',
      keyId: '0123456789abcdef',
      signature: 'c2lnbmF0dXJl',
    };
    await writeFile(file('shaped.json'), JSON.stringify(shaped));
    await writeFile(file('bad-root.json'), JSON.stringify({ ...shaped, merkleRoot: 'not a hash' }));
    await writeFile(
      file('key.pem'),
      generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }),
    );
  });

  const usage = /usage: clearway ledger verify \[--roots\] \[--copy DIR\] \[--json\]/;
  const cases: [string, string[], RegExp][] = [
    ['an unknown sub-command prints the usage', ['frobnicate'], usage],
    ['an unknown option is named', ['verify', '--bogus'], /Unknown option '--bogus'/],
    ['export-checkpoint without an ID asks for one', ['export-checkpoint'], /give exactly one checkpoint ID/],
    [
      'export-checkpoint with a non-numeric ID',
      ['export-checkpoint', 'abc'],
      /the checkpoint ID must be a whole number above 0, got "abc"/,
    ],
    [
      'export-checkpoint with an ID beyond any checkpoint number',
      ['export-checkpoint', '99999999999999999999'],
      /whole number above 0, got "99999999999999999999"/,
    ],
    [
      'verify-checkpoint without a file asks for one',
      ['verify-checkpoint', '--public-key', 'key.pem'],
      /give exactly one exported checkpoint FILE/,
    ],
    [
      'verify-checkpoint without --public-key asks for it',
      ['verify-checkpoint', 'checkpoint.json'],
      /--public-key is required/,
    ],
    [
      'verify-checkpoint of a missing file names it',
      ['verify-checkpoint', 'missing.json', '--public-key', 'key.pem'],
      /cannot read the checkpoint file .*missing\.json: ENOENT/,
    ],
    [
      'verify-checkpoint with a missing key file names it',
      ['verify-checkpoint', 'shaped.json', '--public-key', 'missing.pem'],
      /cannot read the public key .*missing\.pem: ENOENT/,
    ],
    [
      'verify-checkpoint of a file that is not JSON',
      ['verify-checkpoint', 'not-json.json', '--public-key', 'key.pem'],
      /the checkpoint file is not JSON/,
    ],
    [
      'verify-checkpoint of a file with a malformed field names the field',
      ['verify-checkpoint', 'bad-root.json', '--public-key', 'key.pem'],
      /checkpoint merkleRoot: missing or malformed/,
    ],
  ];
  for (const [name, args, message] of cases) {
    test(name, async () => {
      // file arguments are relative to the work folder
      const resolved = args.map((a) => (/\.(json|pem)$/.test(a) ? file(a) : a));
      assertRefused(await clearway(env(), ['ledger', ...resolved]), 2, message);
    });
  }
});
