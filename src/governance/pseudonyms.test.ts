import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config.ts';
import { parsePseudonymKey, pseudonymiser, pseudonymKey } from './pseudonyms.ts';

const keyA = Buffer.alloc(32, 1);
const keyB = Buffer.alloc(32, 2);

test('gives the same identifier the same pseudonym within a release', () => {
  const p = pseudonymiser(keyA, '2026-Q1');
  const again = pseudonymiser(keyA, '2026-Q1');
  assert.equal(p('TRADER-A'), again('TRADER-A'));
  assert.match(p('TRADER-A'), /^T-[A-Z2-7]{16}$/);
  assert.notEqual(p('TRADER-A'), p('TRADER-B'));
});

test('gives other pseudonyms in another release and under another key', () => {
  const q1 = pseudonymiser(keyA, '2026-Q1')('TRADER-A');
  assert.notEqual(pseudonymiser(keyA, '2026-Q2')('TRADER-A'), q1);
  assert.notEqual(pseudonymiser(keyB, '2026-Q1')('TRADER-A'), q1);
});

test('is HMAC-SHA256 of release and identifier, its first 80 bits in base32', () => {
  // HMAC-SHA256(32 bytes 0x01, "r1:X") starts f0fa568cdb7a7aa6e09d, which is 6D5FNDG3PJ5KNYE5 in base32
  // (RFC 4648): fixed here, so that the pseudonyms of a release never drift
  assert.equal(pseudonymiser(keyA, 'r1')('X'), 'T-6D5FNDG3PJ5KNYE5');
});

const keyCases: [string, string, RegExp | null][] = [
  ['64 hex digits', 'ab'.repeat(32), null],
  ['32 bytes in base64', keyA.toString('base64'), null],
  ['16 bytes', 'ab'.repeat(16), /at least 32 bytes/],
  ['text that is neither hex nor base64', 'not a key!', /hex or base64/],
];
for (const [name, raw, refusal] of keyCases) {
  test(`${refusal ? 'refuses' : 'accepts'} a pseudonym key of ${name}`, () => {
    const parsed = parsePseudonymKey(raw);
    if (refusal === null) assert.equal(parsed.ok && parsed.value.length, 32);
    else assert.match(parsed.ok ? '' : parsed.error.message, refusal);
  });
}

test('refuses a short CLEARWAY_PSEUDONYM_KEY when the configuration is read', () => {
  assert.throws(
    () => loadConfig({ CLEARWAY_PSEUDONYM_KEY: 'abcd' }),
    (e: unknown) => e instanceof ConfigError && /CLEARWAY_PSEUDONYM_KEY: .*at least 32 bytes/.test(e.message),
  );
});

test('generates the embedded key once, readable by its owner only, and requires one for a server', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'clearway-key-'));
  try {
    const first = await pseudonymKey({ pseudonymKey: undefined, dataDir, databaseUrl: undefined });
    const second = await pseudonymKey({ pseudonymKey: undefined, dataDir, databaseUrl: undefined });
    assert.ok(first.ok && second.ok);
    assert.deepEqual(first.value, second.value);
    assert.equal((await readFile(path.join(dataDir, 'pseudonym-key'), 'utf8')).trim().length, 64);
    assert.equal((await stat(path.join(dataDir, 'pseudonym-key'))).mode & 0o777, 0o600);
    const server = await pseudonymKey({ pseudonymKey: undefined, dataDir, databaseUrl: 'postgres://x/y' });
    assert.match(server.ok ? '' : server.error.message, /set CLEARWAY_PSEUDONYM_KEY/);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('clearway export refuses to start with a short key, naming the setting', async () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const { NODE_TEST_CONTEXT: _runner, ...env } = process.env;
  const run = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        'bin/clearway.js',
        'export',
        'analytics',
        '--out',
        path.join(tmpdir(), 'never.jsonl'),
        '--release',
        'r1',
      ],
      { cwd: root, env: { ...env, CLEARWAY_PSEUDONYM_KEY: '00'.repeat(8) }, timeout: 60_000 },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /CLEARWAY_PSEUDONYM_KEY: the pseudonym key must hold at least 32 bytes/);
});
