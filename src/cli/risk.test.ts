import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { dataFile } from '../reference/reference-dir.ts';

const root = path.resolve(import.meta.dirname, '../..');
const kcs = dataFile('kcs');
let dir = '';

function clearway(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'bin/clearway.js'), ...args],
      { cwd: root, env: { ...process.env, LOG_LEVEL: 'silent', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function head(file: string, lines: number, out: string): Promise<string> {
  const taken: string[] = [];
  for await (const line of createInterface({ input: createReadStream(file) })) {
    taken.push(line);
    if (taken.length > lines) break;
  }
  await writeFile(out, taken.join('\n') + '\n');
  return out;
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'clearway-risk-cli-'));
});
after(() => rm(dir, { recursive: true, force: true }));

test('risk train writes a model and risk evaluate prints its quality as one JSON line', async () => {
  const train = await head(path.join(kcs, 'train.csv'), 4000, path.join(dir, 'train.csv'));
  const valid = await head(path.join(kcs, 'valid.csv'), 1500, path.join(dir, 'valid.csv'));
  const model = path.join(dir, 'model.json');
  const trained = await clearway([
    'risk',
    'train',
    '--input',
    train,
    '--format',
    'kcs',
    '--valid',
    valid,
    '--out',
    model,
  ]);
  assert.equal(trained.code, 0, trained.stderr);
  assert.match(trained.stderr, /trained on 4000 declarations/);
  const evaluated = await clearway([
    'risk',
    'evaluate',
    '--model',
    model,
    '--input',
    valid,
    '--format',
    'kcs',
  ]);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const lines = evaluated.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const result = JSON.parse(lines[0] ?? '{}') as {
    n: number;
    positives: number;
    auc: number;
    precisionAt: Record<string, number>;
    recallAt: Record<string, number>;
  };
  assert.deepEqual(Object.keys(result), ['n', 'positives', 'auc', 'precisionAt', 'recallAt']);
  assert.deepEqual(Object.keys(result.precisionAt), ['1', '2', '5', '10']);
  assert.equal(result.n, 1500);
  assert.ok(result.auc > 0.6, `AUC ${result.auc}`);
});

test('a corrupt model file is refused with a clear message', async () => {
  const model = path.join(dir, 'corrupt.json');
  await writeFile(model, '{"format":"clearway-risk-model","version":1');
  const valid = await head(path.join(kcs, 'valid.csv'), 10, path.join(dir, 'v10.csv'));
  const result = await clearway(['risk', 'evaluate', '--model', model, '--input', valid, '--format', 'kcs']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /cannot read the model .*corrupt\.json/);
  const other = path.join(dir, 'other.json');
  const good = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8').catch(() => '{}')) as Record<
    string,
    unknown
  >;
  await writeFile(other, JSON.stringify({ ...good, features: ['x'] }));
  const mismatch = await clearway([
    'risk',
    'evaluate',
    '--model',
    other,
    '--input',
    valid,
    '--format',
    'kcs',
  ]);
  assert.equal(mismatch.code, 2);
  assert.match(mismatch.stderr, /trained on other features|not a Clearway risk model/);
});

test('risk train --from-db trains on the control results in the database and registers the model', async () => {
  const env = { CLEARWAY_DATA_DIR: path.join(dir, 'db'), DATABASE_URL: '' };
  const valid = await head(path.join(kcs, 'valid.csv'), 3000, path.join(dir, 'valid3000.csv'));
  const imported = await clearway(['import', valid, '--format', 'kcs', '--json'], env);
  assert.equal(imported.code, 0, imported.stderr);
  const trained = await clearway(['risk', 'train', '--from-db'], env);
  assert.equal(trained.code, 0, trained.stderr);
  assert.match(trained.stdout, /registered model 1 \(inactive/);
  assert.match(trained.stderr, /trained on 2700 controlled declarations/);
});

test('risk train without an output file explains what is missing', async () => {
  const result = await clearway(['risk', 'train', '--input', 'x.csv', '--format', 'kcs']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--out is required/);
});
