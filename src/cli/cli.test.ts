/**
 * The real `clearway` command, run as a subprocess against a fresh embedded database and, when
 * DATABASE_URL is set, a fresh PostgreSQL database.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { clearwayColumns } from '../declarations/formats/clearway-columns.ts';
import { aClearwayRow } from '../testing/clearway-csv.ts';
import { actorForApiToken, authenticatePassword } from '../governance/users.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';
import { storageTargets } from '../testing/harness.ts';
import { storeTestClassifier } from '../testing/classifier.ts';
import { clearway, type Run } from '../testing/cli-process.ts';
import { dataFile } from '../reference/reference-dir.ts';

const kcsTrain = dataFile('kcs/train.csv');

const summaryLine =
  /^\{"accepted":(\d+),"rejected":(\d+),"duplicates":(\d+),"seconds":\d+(?:\.\d+)?,"assessed":(\d+),"lanes":\{"red":(\d+),"yellow":(\d+),"blue":(\d+),"green":(\d+)\}(?:,"described":\{"declarations":\d+,"findings":\d+\})?\}\n$/;

/** The counts of the one JSON line `clearway import --json` prints. */
function summaryOf(run: Run): { accepted: number; rejected: number; duplicates: number } {
  const match = summaryLine.exec(run.stdout);
  assert.ok(
    match,
    `expected one JSON summary line, got stdout ${JSON.stringify(run.stdout)}, stderr ${JSON.stringify(run.stderr)}`,
  );
  const lanes = match.slice(5, 9).reduce((sum, n) => sum + Number(n), 0);
  assert.equal(lanes, Number(match[4]), 'every assessed declaration has one lane');
  assert.equal(match[4], match[1], 'every accepted declaration is risk-assessed');
  return { accepted: Number(match[1]), rejected: Number(match[2]), duplicates: Number(match[3]) };
}

/** A clearway CSV row of a valid one-item declaration (a description that needs quoting), in `columns` order. */
function clearwayRow(
  ref: string,
  overrides: Record<string, string> = {},
  columns: readonly string[] = clearwayColumns,
): string {
  const cells: Record<string, string> = aClearwayRow(ref, {
    description: '"smartphones, 128 GB"',
    ...overrides,
  });
  return columns.map((c) => cells[c] ?? '').join(',');
}

async function firstLines(file: string, count: number): Promise<string> {
  const handle = await open(file);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').split('\n').slice(0, count).join('\n') + '\n';
  } finally {
    await handle.close();
  }
}

let workDir: string;
let demoFile: string;
/** How many declarations the generator says it wrote to the demo file. */
let demoDeclarations: number;

before(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'clearway-cli-test-'));
  demoFile = path.join(workDir, 'demo.csv');
  const generated = await clearway({}, [
    'demo',
    'generate',
    '--count',
    '300',
    '--seed',
    '7',
    '--out',
    demoFile,
  ]);
  assert.equal(generated.code, 0, generated.stderr);
  const written = /\((\d+) declarations/.exec(generated.stderr);
  assert.ok(written, generated.stderr);
  demoDeclarations = Number(written[1]);
});

after(() => rm(workDir, { recursive: true, force: true }));

describe('clearway usage errors', () => {
  const cases = [
    [
      'an unknown command exits 2 and prints the usage',
      ['frobnicate'],
      /unknown command "frobnicate"[\s\S]*usage: clearway <command>/,
    ],
    [
      'import without a file exits 2 and asks for one',
      ['import', '--format', 'clearway'],
      /give exactly one FILE to import/,
    ],
  ] as const;
  for (const [name, args, message] of cases) {
    test(name, async () => {
      const run = await clearway({ CLEARWAY_DATA_DIR: path.join(workDir, 'unused'), DATABASE_URL: '' }, [
        ...args,
      ]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    });
  }
});

for (const target of storageTargets()) {
  describe(`clearway on ${target}`, () => {
    let dir: string;
    let store: EmptyStore;
    const stdinPassword = 'a long pass phrase from stdin';
    let generatedPassword = '';
    let token = '';

    before(async () => {
      dir = await mkdtemp(path.join(workDir, `${target}-`));
      store = await emptyStore(target, path.join(dir, 'data'));
    });
    after(() => store?.dispose());

    const run = (args: string[], stdin?: string) => clearway(store.env, args, { stdin });
    /** `clearway import FILE --format FORMAT --json --rejects REJECTS`. */
    const importJson = (file: string, format: string, rejects: string) =>
      run(['import', file, '--format', format, '--json', '--rejects', rejects]);

    test('users create prints a generated password once', async () => {
      const created = await run([
        'users',
        'create',
        '--username',
        'trader-x',
        '--role',
        'trader',
        '--trader',
        'T1',
      ]);
      assert.equal(created.code, 0, created.stderr);
      const match = /^created trader-x \(trader\); password: (\S{10,})\n$/.exec(created.stdout);
      assert.ok(match?.[1], created.stdout);
      generatedPassword = match[1];
      assert.equal((created.stdout + created.stderr).split(generatedPassword).length, 2);
    });

    test('users create --password-stdin takes the password from standard input and does not print it', async () => {
      const created = await run(
        ['users', 'create', '--username', 'auditor-y', '--role', 'auditor', '--password-stdin'],
        `${stdinPassword}\n`,
      );
      assert.equal(created.code, 0, created.stderr);
      assert.equal(created.stdout, 'created auditor-y (auditor)\n');
    });

    const refusals = [
      [
        'users create refuses an unknown role and lists the roles',
        ['--username', 'bad-role', '--role', 'smuggler', '--trader', 'T1'],
        /role must be one of trader, declarant, officer/,
      ],
      [
        'users create refuses a trader without --trader',
        ['--username', 'no-party', '--role', 'trader'],
        /a trader needs the trader identifier/,
      ],
    ] as const;
    for (const [name, args, message] of refusals) {
      test(name, async () => {
        const refused = await run(['users', 'create', ...args]);
        assert.notEqual(refused.code, 0);
        assert.match(refused.stderr, message);
        assert.equal(refused.stdout, '');
      });
    }

    test('tokens create prints an API token once', async () => {
      const created = await run(['tokens', 'create', '--user', 'trader-x']);
      assert.equal(created.code, 0, created.stderr);
      const match = /^(cw_[A-Za-z0-9_-]{20,100})\n$/.exec(created.stdout);
      assert.ok(match?.[1], created.stdout);
      token = match[1];
    });

    test('users list shows the users created, with their roles and parties', async () => {
      const listed = await run(['users', 'list']);
      assert.equal(listed.code, 0, listed.stderr);
      assert.deepEqual(listed.stdout.split('\n').filter(Boolean), [
        'trader-x\ttrader\tT1\t-',
        'auditor-y\tauditor\t-\t-',
      ]);
    });

    test('the passwords and the token given by the CLI authenticate their users', async () => {
      const ctx = await openAppContext(loadConfig({ ...process.env, ...store.env }));
      try {
        const actor = await actorForApiToken(ctx.db, token);
        assert.deepEqual(actor && { username: actor.username, role: actor.role, partyId: actor.partyId }, {
          username: 'trader-x',
          role: 'trader',
          partyId: 'T1',
        });
        assert.equal(
          (await authenticatePassword(ctx.db, 'trader-x', generatedPassword))?.username,
          'trader-x',
        );
        assert.equal((await authenticatePassword(ctx.db, 'auditor-y', stdinPassword))?.username, 'auditor-y');
        assert.equal(await authenticatePassword(ctx.db, 'auditor-y', `${stdinPassword}\n`), null);
      } finally {
        await ctx.close();
      }
    });

    test('import --json of a demo file prints one summary line with every declaration accepted', async () => {
      const imported = await importJson(demoFile, 'clearway', path.join(dir, 'demo.rejects.csv'));
      assert.equal(imported.code, 0, imported.stderr);
      assert.ok(demoDeclarations > 0);
      assert.deepEqual(summaryOf(imported), { accepted: demoDeclarations, rejected: 0, duplicates: 0 });
    });

    test('importing the same file again accepts nothing and counts every declaration as a duplicate', async () => {
      const again = await importJson(demoFile, 'clearway', path.join(dir, 'again.rejects.csv'));
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(summaryOf(again), { accepted: 0, rejected: 0, duplicates: demoDeclarations });
    });

    test('import of a file without a required column exits 2 and names the column', async () => {
      const columns = clearwayColumns.filter((c) => c !== 'hs_code');
      const file = path.join(dir, 'no-hs-code.csv');
      await writeFile(file, `${columns.join(',')}\n${clearwayRow('NO-HS-1', {}, columns)}\n`);
      const refused = await importJson(file, 'clearway', path.join(dir, 'no-hs-code.rejects.csv'));
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /lacks the column\(s\): hs_code\n/);
      assert.equal(refused.stdout, '');
    });

    test('import stores the good rows of a file with broken rows and writes the broken ones, with their lines, to the rejects file', async () => {
      const file = path.join(dir, 'broken.csv');
      const rejects = path.join(dir, 'broken.rejects.csv');
      const lines = [
        clearwayColumns.join(','),
        clearwayRow('GOOD-1'),
        // too short, but it names its trader and reference: a declaration of its own
        clearwayRow('SHORT-ROW').split(',').slice(0, 6).join(','),
        clearwayRow('GOOD-2'),
        clearwayRow('GOOD-3'),
        // which declaration this one belongs to cannot be told: GOOD-3 before it goes with it
        'IM,"never closed,2026-03-02',
      ];
      await writeFile(file, lines.join('\n') + '\n');
      const imported = await importJson(file, 'clearway', rejects);
      assert.equal(imported.code, 1, 'rejected rows make the exit code 1');
      assert.deepEqual(summaryOf(imported), { accepted: 2, rejected: 2, duplicates: 0 });
      const rejected = (await readFile(rejects, 'utf8')).split('\n').filter(Boolean);
      assert.equal(rejected[0], 'line,functional_reference,path,code,message');
      assert.deepEqual(
        rejected.slice(1).map((r) => r.split(',').slice(0, 4).join(',')),
        ['3,,row,unreadable_row', '5,GOOD-3,row,declaration_rejected', '6,GOOD-3,row,unreadable_row'],
      );
    });

    test('a broken row inside a multi-item declaration rejects the whole declaration', async () => {
      const file = path.join(dir, 'split.csv');
      const item = (sequence: string) =>
        clearwayRow('SPLIT-1', { invoice_total: '2400', item_sequence: sequence });
      await writeFile(
        file,
        [clearwayColumns.join(','), item('1'), 'IM,SPLIT-1,2026-03-02', item('2')].join('\n') + '\n',
      );
      const imported = await importJson(file, 'clearway', path.join(dir, 'split.rejects.csv'));
      assert.equal(summaryOf(imported).accepted, 0);
    });

    test('import --format kcs accepts rows copied from the KCS data set', async () => {
      const file = path.join(dir, 'kcs.csv');
      await writeFile(file, await firstLines(kcsTrain, 4));
      const imported = await importJson(file, 'kcs', path.join(dir, 'kcs.rejects.csv'));
      assert.equal(imported.code, 0, imported.stderr);
      assert.deepEqual(summaryOf(imported), { accepted: 3, rejected: 0, duplicates: 0 });
    });

    test('with a classification model active, import keeps the warning of a description that points to another heading', async () => {
      const ctx = await openAppContext(loadConfig({ ...process.env, ...store.env }));
      try {
        await storeTestClassifier(ctx.db);
      } finally {
        await ctx.close();
      }
      const file = path.join(dir, 'described.csv');
      await writeFile(
        file,
        [
          clearwayColumns.join(','),
          clearwayRow('DESCRIBED-SHRIMP', { description: 'frozen shrimp peeled in 500g bags' }),
          clearwayRow('DESCRIBED-PHONES'),
        ].join('\n') + '\n',
      );
      const imported = await importJson(file, 'clearway', `${file}.rejects`);
      assert.equal(imported.code, 0, imported.stderr);
      assert.deepEqual(summaryOf(imported), { accepted: 2, rejected: 0, duplicates: 0 });
      assert.deepEqual((JSON.parse(imported.stdout) as { described?: unknown }).described, {
        declarations: 2,
        findings: 1,
      });
      const after = await openAppContext(loadConfig({ ...process.env, ...store.env }));
      try {
        const rows = await after.db.query<{ ref: string; codes: string[] }>(
          `SELECT functional_reference AS ref,
                  array(SELECT f->>'code' FROM jsonb_array_elements(findings) f ORDER BY 1) AS codes
           FROM declarations WHERE functional_reference LIKE 'DESCRIBED-%' ORDER BY 1`,
        );
        assert.deepEqual(
          rows.map((r) => [r.ref, r.codes.includes('description_suggests_other_code')]),
          [
            ['DESCRIBED-PHONES', false],
            ['DESCRIBED-SHRIMP', true],
          ],
        );
      } finally {
        await after.close();
      }
    });
  });
}
