/**
 * `npm run bench:risk`: trains Clearway's risk model on data/kcs/train.csv and evaluates
 * it on valid.csv; in the same run trains XGBoost and scikit-learn's HistGradientBoostingClassifier
 * (Debian's python3-xgboost and python3-sklearn, through /usr/bin/python3) on the same feature
 * rows. One JSON line per model (precision and recall at 1/2/5/10%, AUC, training seconds), then
 * scoring throughput on one core, and a summary against the targets.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openFileValidation } from '../src/app-context.ts';
import { loadConfig } from '../src/config.ts';
import { evaluateScores, type Evaluation } from '../src/risk/evaluate.ts';
import { FeatureEncoder } from '../src/risk/features.ts';
import type { Dataset } from '../src/risk/gbdt/index.ts';
import { trainGbdt } from '../src/risk/gbdt/index.ts';
import { readLabelledFile } from '../src/risk/labelled-file.ts';
import { riskParams } from '../src/risk/risk-model.ts';
import { dataFile } from '../src/reference/reference-dir.ts';

const exec = promisify(execFile);
const python = '/usr/bin/python3';
const kcs = dataFile('kcs');
// the product's settings, without early stopping: every model gets the same number of trees
const { earlyStoppingRounds: _unused, ...productParams } = riskParams;
const params = {
  ...productParams,
  trees: productParams.trees ?? 400,
  learningRate: productParams.learningRate ?? 0.05,
  maxLeaves: productParams.maxLeaves ?? 31,
};

function ensurePeers(): void {
  try {
    execFileSync(python, ['-c', 'import xgboost, sklearn'], { stdio: 'ignore' });
  } catch {
    process.stderr.write('installing python3-xgboost and python3-sklearn from Debian\n');
    execFileSync('apt-get', ['install', '-y', 'python3-xgboost', 'python3-sklearn'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
}

function toCsv(data: Dataset, labels: Float64Array): string {
  const lines = ['label,' + data.names.map((n) => n.replace(/[^A-Za-z0-9:_]/g, '_')).join(',')];
  for (let r = 0; r < data.rows; r++) {
    let line = String(labels[r]);
    for (const column of data.columns) line += ',' + (Number.isNaN(column[r]) ? 'nan' : String(column[r]));
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

const line = (model: string, e: Evaluation, trainSeconds: number) =>
  process.stdout.write(
    JSON.stringify({ bench: 'risk', model, ...e, trainSeconds: Math.round(trainSeconds * 100) / 100 }) + '\n',
  );

ensurePeers();
const validation = await openFileValidation(loadConfig());
const train = (await readLabelledFile(path.join(kcs, 'train.csv'), 'kcs', validation)).rows;
const valid = (await readLabelledFile(path.join(kcs, 'valid.csv'), 'kcs', validation)).rows;
const { encoder, data } = FeatureEncoder.fit(train);
const validData = encoder.encodeMany(valid.map((r) => r.declaration));
const yTrain = Float64Array.from(train, (r) => r.fraud);
const yValid = Float64Array.from(valid, (r) => r.fraud);

const started = performance.now();
const model = trainGbdt(data, yTrain, { ...params, seed: 1 });
const ours = (performance.now() - started) / 1000;
const oursEval = evaluateScores(model.predictMany(validData), yValid);
line('clearway', oursEval, ours);

const dir = await mkdtemp(path.join(tmpdir(), 'clearway-risk-'));
const peers: { model: string; eval: Evaluation; trainSeconds: number }[] = [];
try {
  await writeFile(path.join(dir, 'train.csv'), toCsv(data, yTrain));
  await writeFile(path.join(dir, 'valid.csv'), toCsv(validData, yValid));
  const { stdout } = await exec(
    python,
    [
      path.join(import.meta.dirname, 'peers.py'),
      path.join(dir, 'train.csv'),
      path.join(dir, 'valid.csv'),
      path.join(dir, 'scores'),
      String(params.trees),
      String(params.learningRate),
      String(params.maxLeaves),
    ],
    { maxBuffer: 1 << 20 },
  );
  for (const text of stdout.trim().split('\n')) {
    const peer = JSON.parse(text) as { model: string; trainSeconds: number };
    const scores = (await readFile(path.join(dir, `scores-${peer.model}.txt`), 'utf8'))
      .trim()
      .split('\n')
      .map(Number);
    const e = evaluateScores(Float64Array.from(scores), yValid);
    peers.push({ model: peer.model, eval: e, trainSeconds: peer.trainSeconds });
    line(peer.model, e, peer.trainSeconds);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

// scoring throughput on one core, in batches as imports assess: the median of 5 passes (after one
// untimed pass) of encoding and prediction together (the goal), then of each alone
const declarations = valid.map((r) => r.declaration);
function medianRate<T>(pass: () => T, check: (result: T) => void = () => {}): number {
  check(pass()); // one untimed pass: first use compiles the trees' kernel and warms the encoder
  const rates: number[] = [];
  for (let p = 0; p < 5; p++) {
    const t = performance.now();
    const result = pass();
    rates.push(declarations.length / ((performance.now() - t) / 1000));
    check(result);
  }
  return Math.round(rates.sort((a, b) => a - b)[2] ?? 0);
}
const scoringLine = (bench: string, perSecond: number, goal: number) =>
  process.stdout.write(
    JSON.stringify({ bench, declarationsPerSecond: perSecond, goal, pass: perSecond >= goal }) + '\n',
  );
const perSecond = medianRate(
  () => model.predictMany(encoder.encodeMany(declarations)),
  (scores) => {
    if (scores.some(Number.isNaN)) throw new Error('a score was not a number');
  },
);
scoringLine('risk-scoring', perSecond, 200_000);
// the two halves, for where the time goes (no goal of their own)
const encoded = encoder.encodeMany(declarations);
const parts: [string, () => unknown][] = [
  ['encode', () => encoder.encodeMany(declarations)],
  ['predict', () => model.predictMany(encoded)],
];
for (const [part, pass] of parts) {
  process.stdout.write(
    JSON.stringify({ bench: 'risk-scoring-part', part, declarationsPerSecond: medianRate(pass) }) + '\n',
  );
}

const best = (key: (e: Evaluation) => number) => Math.max(...peers.map((p) => key(p.eval)));
const fastest = Math.min(...peers.map((p) => p.trainSeconds));
const checks = [
  ['precision@5%', oursEval.precisionAt['5'] ?? 0, best((e) => e.precisionAt['5'] ?? 0)],
  ['precision@10%', oursEval.precisionAt['10'] ?? 0, best((e) => e.precisionAt['10'] ?? 0)],
  ['AUC', oursEval.auc, best((e) => e.auc)],
] as const;
process.stdout.write(
  checks.map(([name, o, p]) => `${name} ${o} vs best peer ${p} ${o >= p ? 'ok' : 'BELOW'}`).join('; ') +
    `; training ${ours.toFixed(1)} s vs the fastest peer's ${fastest.toFixed(1)} s (${(ours / fastest).toFixed(1)}x, goal <= 3x); scoring ${perSecond}/s\n`,
);
