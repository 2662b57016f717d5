/**
 * `npm run bench:risk`: Clearway's learned risk model against XGBoost (hist) and scikit-learn's
 * HistGradientBoostingClassifier (Debian's python3-xgboost and python3-sklearn, through
 * /usr/bin/python3), every learner trained on the same rows under the same protocol, the one
 * `clearway risk train` follows without --valid: the number of trees is chosen on the latest
 * `holdoutShare` of the training rows in time, then the model is refitted on all of them.
 *
 * - Set-up A: trained on data/kcs/train.csv, scored on valid.csv (2021-Q1, later than every row).
 * - Set-up B: train.csv and valid.csv together; the latest `evaluatedShare` in time is held out and
 *   scored, the rest trains.
 *
 * One JSON line per learner and set-up: precision and recall at 1/2/5/10%, AUC, Brier score, trees,
 * training seconds; Clearway's line adds each measure's ratio to the best peer, its reliability table
 * and its training time against the faster peer, counting all `clearway risk train` does (reading
 * the file, both models, the isolation forest). Training time is processor time (user and system),
 * every learner on one thread, so that other work on a shared machine does not skew the ratio; the
 * wall time is given beside it. Then scoring throughput on one core.
 * `BENCH_RISK_SETUPS=A` runs one set-up only, `BENCH_RISK_SCORING=0` skips the throughput.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openFileValidation } from '../src/app-context.ts';
import { loadConfig } from '../src/config.ts';
import { calibration, evaluateScores, shares, type Evaluation } from '../src/risk/evaluate.ts';
import { FeatureEncoder, type Labelled } from '../src/risk/features.ts';
import type { Dataset } from '../src/risk/gbdt/index.ts';
import { readLabelledFile } from '../src/risk/labelled-file.ts';
import { holdoutShare, riskParams, splitInTime, trainRiskModel } from '../src/risk/risk-model.ts';
import { dataFile } from '../src/reference/reference-dir.ts';

const exec = promisify(execFile);
const python = '/usr/bin/python3';
const kcs = dataFile('kcs');
/** Set-up B: the share of train + valid, latest in time, that is scored rather than trained on. */
const evaluatedShare = 0.15;

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

function toCsv(data: Dataset, rows: readonly Labelled[]): string {
  const lines = ['label,' + data.names.map((n) => n.replace(/[^A-Za-z0-9:_]/g, '_')).join(',')];
  for (let r = 0; r < data.rows; r++) {
    let line = String(rows[r]?.fraud ?? 0);
    for (const column of data.columns) line += ',' + (Number.isNaN(column[r]) ? 'nan' : String(column[r]));
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

const round = (x: number, places = 4) => Math.round(x * 10 ** places) / 10 ** places;
const print = (line: object) => process.stdout.write(JSON.stringify(line) + '\n');

interface Measured {
  model: string;
  eval: Evaluation;
  brier: number;
  trees: number;
  trainSeconds: number;
}

/** Processor seconds (user and system) of this process since `since` (a `process.cpuUsage()`). */
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1e6;
};

/** Reads a labelled KCS file, timed (processor seconds) as `clearway risk train` reads it. */
async function readTimed(file: string): Promise<{ rows: Labelled[]; seconds: number }> {
  const validation = await openFileValidation(loadConfig());
  const started = process.cpuUsage();
  const { rows } = await readLabelledFile(path.join(kcs, file), 'kcs', validation);
  return { rows, seconds: cpuSeconds(started) };
}

/** The peers on the rows Clearway's protocol sees: its holdout split and its feature rows. */
async function runPeers(fit: readonly Labelled[], evaluate: readonly Labelled[]): Promise<Measured[]> {
  const { earlier, latest } = splitInTime(fit, holdoutShare);
  const choose = FeatureEncoder.fit(earlier);
  const full = FeatureEncoder.fit(fit);
  const dir = await mkdtemp(path.join(tmpdir(), 'clearway-risk-'));
  const labels = Float64Array.from(evaluate, (r) => r.fraud);
  try {
    const files: [string, Dataset, readonly Labelled[]][] = [
      ['choose.csv', choose.data, earlier],
      ['holdout.csv', choose.encoder.encodeMany(latest.map((r) => r.declaration)), latest],
      ['fit.csv', full.data, fit],
      ['evaluate.csv', full.encoder.encodeMany(evaluate.map((r) => r.declaration)), evaluate],
    ];
    for (const [name, data, rows] of files) await writeFile(path.join(dir, name), toCsv(data, rows));
    const { stdout } = await exec(
      python,
      [
        path.join(import.meta.dirname, 'peers.py'),
        dir,
        String(riskParams.trees ?? 400),
        String(riskParams.learningRate ?? 0.05),
        String(riskParams.maxLeaves ?? 31),
        String(riskParams.earlyStoppingRounds ?? 40),
      ],
      { maxBuffer: 1 << 20, env: { ...process.env, OMP_NUM_THREADS: '1' } },
    );
    const peers: Measured[] = [];
    for (const text of stdout.trim().split('\n')) {
      const peer = JSON.parse(text) as { model: string; trees: number; trainSeconds: number };
      const scores = (await readFile(path.join(dir, `scores-${peer.model}.txt`), 'utf8'))
        .trim()
        .split('\n')
        .map(Number);
      const probabilities = Float64Array.from(scores);
      peers.push({
        ...peer,
        eval: evaluateScores(probabilities, labels),
        brier: calibration(probabilities, labels).brier,
      });
    }
    return peers;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One set-up: Clearway as `clearway risk train` runs, then the peers; one line each. */
async function measure(
  setup: string,
  fit: readonly Labelled[],
  evaluate: readonly Labelled[],
  readSeconds: number,
) {
  const wall = performance.now();
  const started = process.cpuUsage();
  const model = trainRiskModel(fit);
  const trainSeconds = readSeconds + cpuSeconds(started);
  const wallSeconds = (performance.now() - wall) / 1000;
  const labels = Float64Array.from(evaluate, (r) => r.fraud);
  const probabilities = model.fraud.predictMany(model.encoder.encodeMany(evaluate.map((r) => r.declaration)));
  const ours = evaluateScores(probabilities, labels);
  const calibrated = calibration(probabilities, labels);
  const peers = await runPeers(fit, evaluate);
  const where = { setup, trainRows: fit.length, evaluatedRows: evaluate.length };
  for (const peer of peers) {
    const { model: name, eval: e, brier, trees, trainSeconds: seconds } = peer;
    print({ bench: 'risk', ...where, model: name, ...e, brier, trees, trainSeconds: round(seconds, 2) });
  }
  const best = (key: (e: Evaluation) => number) => Math.max(...peers.map((p) => key(p.eval)));
  const ratioToBestPeer: Record<string, number> = {};
  for (const share of shares)
    ratioToBestPeer[`precision@${share}%`] = round(
      (ours.precisionAt[share] ?? 0) / best((e) => e.precisionAt[share] ?? 0),
    );
  ratioToBestPeer.auc = round(ours.auc / best((e) => e.auc));
  const fastest = Math.min(...peers.map((p) => p.trainSeconds));
  print({
    bench: 'risk',
    ...where,
    model: 'clearway',
    ...ours,
    brier: calibrated.brier,
    trees: model.fraud.treeCount,
    trainSeconds: round(trainSeconds, 2),
    readSeconds: round(readSeconds, 2),
    wallSecondsWithoutReading: round(wallSeconds, 2),
    ratioToBestPeer,
    trainingRatioToFasterPeer: round(trainSeconds / fastest, 2),
    reliability: calibrated.reliability.map((b) => [b.from, b.n, b.predicted, b.observed]),
  });
  const ahead = ['precision@5%', 'precision@10%', 'auc'].every((k) => (ratioToBestPeer[k] ?? 0) > 1);
  process.stdout.write(
    `set-up ${setup}: ` +
      Object.entries(ratioToBestPeer)
        .map(([k, r]) => `${k} x${r}`)
        .join(', ') +
      ` of the best peer (${ahead ? 'ahead at 5%, 10% and in AUC' : 'NOT ahead at 5%, 10% and in AUC'}); ` +
      `training ${trainSeconds.toFixed(1)} s vs the faster peer's ${fastest.toFixed(1)} s ` +
      `(${(trainSeconds / fastest).toFixed(2)}x, goal <= 2x); Brier ${calibrated.brier}\n`,
  );
  return model;
}

ensurePeers();
const setups = (process.env.BENCH_RISK_SETUPS ?? 'A,B').split(',');
const train = await readTimed('train.csv');
const valid = await readTimed('valid.csv');
let model: Awaited<ReturnType<typeof measure>> | undefined;
if (setups.includes('A')) model = await measure('A', train.rows, valid.rows, train.seconds);
if (setups.includes('B')) {
  const { earlier, latest } = splitInTime([...train.rows, ...valid.rows], evaluatedShare);
  const trained = await measure('B', earlier, latest, train.seconds + valid.seconds);
  model ??= trained;
}

// scoring throughput on one core, in batches as imports assess: the median of 5 passes (after one
// untimed pass) of encoding and prediction together (the goal), then of each alone
if (model && process.env.BENCH_RISK_SCORING !== '0') {
  const { encoder, fraud } = model;
  const declarations = valid.rows.map((r) => r.declaration);
  const medianRate = <T>(pass: () => T, check: (result: T) => void = () => {}): number => {
    check(pass()); // one untimed pass: first use compiles the trees' kernel and warms the encoder
    const rates: number[] = [];
    for (let p = 0; p < 5; p++) {
      const t = performance.now();
      const result = pass();
      rates.push(declarations.length / ((performance.now() - t) / 1000));
      check(result);
    }
    return Math.round(rates.sort((a, b) => a - b)[2] ?? 0);
  };
  const perSecond = medianRate(
    () => fraud.predictMany(encoder.encodeMany(declarations)),
    (scores) => {
      if (scores.some(Number.isNaN)) throw new Error('a score was not a number');
    },
  );
  print({
    bench: 'risk-scoring',
    declarationsPerSecond: perSecond,
    goal: 200_000,
    pass: perSecond >= 200_000,
  });
  // the two halves, for where the time goes (no goal of their own)
  const encoded = encoder.encodeMany(declarations);
  const parts: [string, () => unknown][] = [
    ['encode', () => encoder.encodeMany(declarations)],
    ['predict', () => fraud.predictMany(encoded)],
  ];
  for (const [part, pass] of parts)
    print({ bench: 'risk-scoring-part', part, declarationsPerSecond: medianRate(pass) });
}
