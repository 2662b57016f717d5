import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeclarationInput } from '../declarations/model.ts';
import { BehaviourEncoder, behaviourNames } from './behaviour.ts';

const declaration = (trader: string, value: number, origin = 'CN'): DeclarationInput =>
  ({
    trader,
    originCountry: origin,
    items: [{ sequence: 1, hsCode: '851713', value }],
  }) as unknown as DeclarationInput;

test('training rows see only the declarations before them, in the order given', () => {
  const rows = [100, 110, 90, 100, 100_000].map((v) => declaration('T1', v));
  const { columns } = BehaviourEncoder.fit(rows, [0, 1, 2, 3, 4]);
  const [jump, origins] = columns;
  // fewer than three earlier declarations: no jump is measured
  assert.deepEqual([...(jump ?? [])].slice(0, 3).map(Number.isNaN), [true, true, true]);
  assert.ok(Math.abs(jump?.[3] ?? NaN) < 1, 'an ordinary value');
  assert.ok((jump?.[4] ?? 0) > 20, 'a thousandfold value is many spreads away');
  assert.deepEqual([...(origins ?? [])], [0, 1, 2, 3, 4].map(Math.log1p));
});

test('scoring uses everything learned, and a saved encoder scores the same', () => {
  const rows = [100, 110, 90, 100].map((v) => declaration('T1', v));
  const { encoder } = BehaviourEncoder.fit(rows, [3, 2, 1, 0]);
  const again = BehaviourEncoder.fromJSON(JSON.parse(JSON.stringify(encoder.toJSON())));
  for (const d of [declaration('T1', 100_000, 'VN'), declaration('T1', 100), declaration('NEW', 5)]) {
    const a = new Float64Array(behaviourNames.length);
    const b = new Float64Array(behaviourNames.length);
    encoder.encodeInto(d, a);
    again.encodeInto(d, b);
    assert.deepEqual(a, b);
  }
  const out = new Float64Array(behaviourNames.length);
  encoder.encodeInto(declaration('T1', 100_000, 'VN'), out);
  assert.ok((out[0] ?? 0) > 20);
  assert.equal(out[1], 0, 'a first use of the origin');
  assert.throws(() => BehaviourEncoder.fromJSON({} as never), /behaviour statistics are missing/);
});
