/**
 * `npm run bench:classify [-- --cases FILE]`: the HS classification aid trained on the reference
 * texts (HS 2017 and 2022 nomenclatures, US HTS statistical lines) and evaluated on a hand-written
 * set of commercial descriptions (default bench/classify/cases.csv); in the same run scikit-learn's
 * TF-IDF models (Debian's python3-sklearn through /usr/bin/python3, bench/classify_peer.py) trained
 * on exactly the same rows and evaluated on the same cases. One JSON line per model: top 1/3/5 at
 * HS2/HS4/HS6, training seconds, suggestions per second (one description at a time, median of three
 * runs), and, for Clearway, the model's size; `ratio` lines divide Clearway's figures by each peer's.
 * BENCH_CLASSIFY_PEERS=0 leaves the peers out.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  classify,
  describeClassifier,
  serializeClassifier,
  trainClassifier,
} from '../src/classification/classifier.ts';
import { referenceTextsFor } from '../src/classification/reference-texts.ts';
import {
  evaluateClassifier,
  readEvaluationCsv,
  type ClassificationEvaluation,
  type EvaluationCase,
  type Shares,
} from '../src/classification/evaluate.ts';
import { defaultReferenceDir, repositoryDataDir } from '../src/reference/reference-dir.ts';

const python = '/usr/bin/python3';
const peerScript = new URL('./classify_peer.py', import.meta.url).pathname;
const withPeers = process.env.BENCH_CLASSIFY_PEERS !== '0';

function casesFile(): string {
  const at = process.argv.indexOf('--cases');
  const given = at >= 0 ? process.argv[at + 1] : undefined;
  return given ?? path.join(repositoryDataDir, '..', 'bench', 'classify', 'cases.csv');
}

function ensurePeers(): void {
  try {
    execFileSync(python, ['-c', 'import sklearn'], { stdio: 'ignore' });
  } catch {
    process.stderr.write('installing python3-sklearn from Debian\n');
    execFileSync('apt-get', ['install', '-y', 'python3-sklearn'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
}

interface PeerRun {
  model: string;
  level: number;
  trainSeconds: number;
  suggestionsPerSecond: number;
  note: string;
  predictions: string[][];
}

/** Top-k shares of predicted codes of `level` digits; a level finer than the model's is null. */
function shares(cases: readonly EvaluationCase[], predictions: readonly string[][], level: number) {
  const at = (k: number) => {
    const share = (digits: number) => {
      if (digits > level) return null;
      const hits = cases.filter((c, i) =>
        (predictions[i] ?? [])
          .slice(0, k)
          .some((code) => code.slice(0, digits) === c.expected.slice(0, digits)),
      ).length;
      return Math.round((hits / Math.max(1, cases.length)) * 10000) / 10000;
    };
    return { hs2: share(2), hs4: share(4), hs6: share(6) };
  };
  return { n: cases.length, top1: at(1), top3: at(3), top5: at(5) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const file = casesFile();
const parsed = readEvaluationCsv(readFileSync(file, 'utf8'));
if (!parsed.ok) throw new Error(`${file}: ${parsed.error.message}`);
const cases = parsed.value;
const texts = await referenceTextsFor({ referenceDir: defaultReferenceDir() });

const started = performance.now();
const model = trainClassifier(texts);
const trainSeconds = (performance.now() - started) / 1000;
const evaluation: ClassificationEvaluation = evaluateClassifier(model, cases);
const rates: number[] = [];
for (let run = 0; run < 3; run++) {
  const began = performance.now();
  for (const c of cases) classify(model, c.text);
  rates.push(cases.length / ((performance.now() - began) / 1000));
}
const ours = {
  bench: 'classify',
  model: 'clearway',
  cases: path.basename(file),
  ...evaluation,
  trainSeconds: Math.round(trainSeconds * 100) / 100,
  suggestionsPerSecond: Math.round(median(rates)),
  modelBytes: serializeClassifier(model).length,
  ...describeClassifier(model),
};
process.stdout.write(JSON.stringify(ours) + '\n');

if (withPeers) {
  ensurePeers();
  const dir = mkdtempSync(path.join(tmpdir(), 'clearway-classify-'));
  try {
    const input = path.join(dir, 'input.json');
    const output = path.join(dir, 'output.json');
    writeFileSync(input, JSON.stringify({ texts, cases: cases.map((c) => c.text) }));
    execFileSync(python, [peerScript, input, output], { stdio: ['ignore', 'ignore', 'inherit'] });
    const peers = JSON.parse(readFileSync(output, 'utf8')) as PeerRun[];
    for (const peer of peers) {
      const scored = shares(cases, peer.predictions, peer.level);
      process.stdout.write(
        JSON.stringify({
          bench: 'classify',
          model: peer.model,
          cases: path.basename(file),
          ...scored,
          trainSeconds: peer.trainSeconds,
          suggestionsPerSecond: peer.suggestionsPerSecond,
          level: `hs${peer.level}`,
          note: peer.note,
        }) + '\n',
      );
      const ratio = (a: number, b: number | null) => (b ? Math.round((a / b) * 1000) / 1000 : null);
      const ratios = (
        mine: Shares,
        theirs: { hs2: number | null; hs4: number | null; hs6: number | null },
      ) => ({
        hs2: ratio(mine.hs2, theirs.hs2),
        hs4: ratio(mine.hs4, theirs.hs4),
        hs6: ratio(mine.hs6, theirs.hs6),
      });
      process.stdout.write(
        JSON.stringify({
          bench: 'classify',
          ratio: `clearway/${peer.model}`,
          top1: ratios(ours.top1, scored.top1),
          top3: ratios(ours.top3, scored.top3),
          top5: ratios(ours.top5, scored.top5),
          trainSeconds: ratio(ours.trainSeconds, peer.trainSeconds),
          suggestionsPerSecond: ratio(ours.suggestionsPerSecond, peer.suggestionsPerSecond),
        }) + '\n',
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
