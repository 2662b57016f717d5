import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

// `npm start` on a fresh embedded database: migrations, reference data, demo data, users, HTTP.
let dir = '';
let output = '';
let child: ReturnType<typeof spawn> | undefined;
const port = 18_000 + (process.pid % 1000);
const base = `http://127.0.0.1:${port}`;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'clearway-start-'));
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: {
      ...process.env,
      DATABASE_URL: '',
      CLEARWAY_DATA_DIR: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      CLEARWAY_DEMO_COUNT: '600',
      LOG_LEVEL: 'warn',
    },
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // a generous wait: seeding trains a model, and a busy machine must not fail the start
  const deadline = Date.now() + 180_000;
  while (!output.includes('Clearway is ready')) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`the server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});

after(async () => {
  child?.kill('SIGTERM');
  await new Promise((resolve) => child?.once('exit', resolve));
  await rm(dir, { recursive: true, force: true });
});

function passwordOf(username: string): string {
  const line = output.split('\n').find((l) => l.trim().startsWith(`${username} `));
  const password = line?.trim().split(/\s+/).at(-1);
  if (!password) throw new Error(`no password printed for ${username}:\n${output}`);
  return password;
}

async function signIn(username: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: passwordOf(username) }),
  });
  assert.equal(res.status, 200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

test('the first start prints every user once, the demo size and where to go', () => {
  for (const user of [
    'admin',
    'trader',
    'declarant',
    'officer',
    'supervisor',
    'analyst',
    'agency',
    'auditor',
  ])
    passwordOf(user);
  assert.match(output, /Seeded \d+ demo declarations/);
  assert.match(output, new RegExp(`API docs: http://127.0.0.1:${port}/api/docs`));
});

test('the server answers health checks on the embedded database', async () => {
  const health = (await (await fetch(`${base}/health`)).json()) as { status: string; database: string };
  assert.deepEqual(health, { status: 'ok', database: 'pglite' });
});

test('the demo trader signs in and sees its own demo declarations, and only those', async () => {
  const cookie = await signIn('trader');
  const me = (await (await fetch(`${base}/api/auth/me`, { headers: { cookie } })).json()) as {
    user: { partyId: string };
  };
  const list = (await (
    await fetch(`${base}/api/declarations?limit=500`, { headers: { cookie } })
  ).json()) as { items: { trader: string }[] };
  assert.ok(list.items.length > 0);
  assert.ok(list.items.every((d) => d.trader === me.user.partyId));
});

test('the demo officer works at an office that has demo declarations', async () => {
  const cookie = await signIn('officer');
  const me = (await (await fetch(`${base}/api/auth/me`, { headers: { cookie } })).json()) as {
    user: { offices: string[] };
  };
  assert.equal(me.user.offices.length, 1);
  const list = (await (
    await fetch(`${base}/api/declarations?office=${me.user.offices[0]}&limit=5`, { headers: { cookie } })
  ).json()) as { items: unknown[] };
  assert.ok(list.items.length > 0);
});

test("the demo agency user reads its agency's agreement, in force, approved by the supervisor", async () => {
  const cookie = await signIn('agency');
  const list = (await (await fetch(`${base}/api/sharing/agreements`, { headers: { cookie } })).json()) as {
    agreements: {
      agency: string;
      status: string;
      inForce: boolean;
      draftedBy: string;
      decidedBy: string;
      level: string;
    }[];
  };
  assert.deepEqual(
    list.agreements.map((a) => [a.agency, a.status, a.inForce, a.draftedBy, a.decidedBy, a.level]),
    [['AGRI', 'active', true, 'admin', 'supervisor', 'pseudonymised']],
  );
});
