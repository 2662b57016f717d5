/** `clearway risk train` on a file alone (no --valid), as the README shows it. */
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { dataFile } from '../reference/reference-dir.ts';
import { loadRiskModel } from '../risk/risk-model.ts';
import { clearway } from '../testing/cli-process.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'clearway-risk-train-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** The header and the first `rows` rows of a KCS file. */
async function head(file: string, rows: number, out: string): Promise<string> {
  const taken: string[] = [];
  for await (const line of createInterface({ input: createReadStream(file) })) {
    taken.push(line);
    if (taken.length > rows) break;
  }
  await writeFile(out, taken.join('\n') + '\n');
  return out;
}

test('risk train without --valid holds out the latest part of the input, then learns all of it', async () => {
  const input = await head(dataFile('kcs/train.csv'), 3000, path.join(dir, 'train.csv'));
  const out = path.join(dir, 'model.json');
  const run = await clearway({ LOG_LEVEL: 'silent' }, [
    'risk',
    'train',
    '--input',
    input,
    '--format',
    'kcs',
    '--out',
    out,
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /trained on 3000 declarations .*latest 10% held out to choose the trees/);
  const model = loadRiskModel(JSON.parse(await readFile(out, 'utf8')));
  assert.equal(model.window.rows, 3000);
  assert.ok(model.fraud.treeCount >= 1 && model.fraud.treeCount < 400, `${model.fraud.treeCount} trees`);
});

test('risk train on too few declarations to hold any out says so in one line', async () => {
  const input = await head(dataFile('kcs/train.csv'), 40, path.join(dir, 'few.csv'));
  const run = await clearway({ LOG_LEVEL: 'silent' }, [
    'risk',
    'train',
    '--input',
    input,
    '--format',
    'kcs',
    '--out',
    path.join(dir, 'few.json'),
  ]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^clearway risk: training needs at least 50 labelled declarations, got 40\n$/);
});
