import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from './gbdt/random.ts';
import {
  assessBatch,
  combine,
  defaultPolicy,
  fixedCapacity,
  explainContributions,
  type Candidate,
  type ScorerOutput,
} from './selectivity.ts';

const model = (score: number): ScorerOutput => ({
  scorer: 'model',
  version: '7',
  score,
  reasons: [{ kind: 'factor', feature: 'trader:rate', contribution: 1.2 }],
});
const rule = (lane: 'red' | 'yellow', weight = 40): ScorerOutput => ({
  scorer: 'profiles',
  version: 'WATCH@2',
  score: weight / 100,
  lane,
  reasons: [{ kind: 'rule', code: 'WATCH', lane, weight, text: 'trader on the watch list' }],
});
const candidate = (outputs: ScorerOutput[], draw = 0.5, office = '040'): Candidate => ({
  office,
  day: '2026-03-02',
  outputs,
  draw,
});

test('scores combine so that any scorer can raise the risk, and the lane follows the thresholds', () => {
  const cases: [ScorerOutput[], string][] = [
    [[model(0.1)], 'green'],
    [[model(0.3)], 'blue'],
    [[model(0.6)], 'yellow'],
    [[model(0.9)], 'red'],
    [[model(0.4), { scorer: 'anomaly', version: 'price', score: 0.3, reasons: [] }], 'yellow'], // 1 - 0.6 * 0.7 = 0.58
  ];
  for (const [outputs, lane] of cases)
    assert.equal(combine(outputs).lane, lane, JSON.stringify(outputs.map((o) => o.score)));
});

test('a rule that names a lane routes there even when the score is low, and every reason and version is kept', () => {
  const a = combine([model(0.05), rule('red', 10)]);
  assert.equal(a.lane, 'red');
  assert.deepEqual(
    a.reasons.map((r) => r.kind),
    ['factor', 'rule'],
  );
  assert.deepEqual(a.versions, { model: '7', profiles: 'WATCH@2' });
  assert.ok(Math.abs(a.score - (1 - 0.95 * 0.9)) < 1e-12);
});

test('capacity takes the highest risks first and steps the rest down a lane, saying why', () => {
  const scores = [0.81, 0.99, 0.85, 0.95, 0.9, 0.83];
  const results = assessBatch(
    scores.map((s) => candidate([model(s)])),
    fixedCapacity({ red: 2, yellow: 2 }),
  );
  assert.deepEqual(
    results.map((r) => r.lane),
    ['blue', 'red', 'yellow', 'red', 'yellow', 'blue'],
  );
  const stepped = results[0]?.reasons
    .filter((r) => r.kind === 'capacity')
    .map((r) => (r.kind === 'capacity' ? r.text : ''));
  assert.deepEqual(stepped, [
    'the red lane of office 040 is full for 2026-03-02: routed yellow',
    'the yellow lane of office 040 is full for 2026-03-02: routed blue',
  ]);
});

test('capacity is counted per office', () => {
  const results = assessBatch(
    [candidate([model(0.9)], 0.5, 'A'), candidate([model(0.9)], 0.5, 'B')],
    fixedCapacity({ red: 1, yellow: 0 }),
  );
  assert.deepEqual(
    results.map((r) => r.lane),
    ['red', 'red'],
  );
});

test('about the configured share is selected at random, whatever the score, and marked so', () => {
  const random = seededRandom(2026);
  const n = 20_000;
  const results = assessBatch(
    Array.from({ length: n }, () => candidate([model(0.01)], random())),
    fixedCapacity({ red: 0, yellow: 0 }),
  );
  const chosen = results.filter((r) => r.random);
  const expected = n * defaultPolicy.randomShare;
  const sd = Math.sqrt(n * defaultPolicy.randomShare * (1 - defaultPolicy.randomShare));
  assert.ok(
    Math.abs(chosen.length - expected) < 4 * sd,
    `${chosen.length} random selections, expected ${expected} ± ${4 * sd}`,
  );
  assert.ok(
    chosen.every((r) => r.lane === 'yellow' && r.reasons.some((x) => x.kind === 'random')),
    'random selections are controlled even with no capacity',
  );
  assert.ok(results.filter((r) => !r.random).every((r) => r.lane === 'green'));
});

test('the listed factors are the largest contributions in size, and with the base and the rest they make the score', () => {
  const reasons = explainContributions(['a', 'b', 'c', 'd'], -2, [0.1, -0.9, 0, 0.5], 2);
  assert.deepEqual(reasons.slice(0, 2), [
    { kind: 'factor', feature: 'b', contribution: -0.9 },
    { kind: 'factor', feature: 'd', contribution: 0.5 },
  ]);
  const explanation = reasons[2];
  assert.equal(reasons.length, 3);
  assert.ok(explanation?.kind === 'explanation');
  assert.deepEqual(
    [explanation.unit, explanation.base, explanation.others, explanation.otherCount],
    ['log-odds', -2, 0.1, 1],
  );
  assert.ok(Math.abs(explanation.total - -2.3) < 1e-12, `total ${explanation.total}`);
  assert.ok(Math.abs(explanation.probability - 0.0911229610148561) < 1e-12);
});
