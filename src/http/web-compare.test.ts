/**
 * The profile comparison of the web application (web/src/analyst/compare.ts), without a browser:
 * identical conditions pair first wherever they stand, then conditions on the same field and
 * operator, then on the same field; the rest are added or removed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareConditions } from '../../web/src/analyst/compare.ts';
import type { Condition } from '../../web/src/analyst/profiles.ts';

const c = (field: string, op: string, value: unknown): Condition => ({ field, op, value });
const changes = (inForce: Condition[], proposed: Condition[]) =>
  compareConditions(inForce, proposed).map((l) => [l.change, l.inForce, l.proposed]);

describe('comparing the conditions of two profile versions', () => {
  test('a condition added before the same one in force is added, the one in force unchanged', () => {
    assert.deepEqual(changes([c('trader', 'eq', 'A')], [c('trader', 'ne', 'B'), c('trader', 'eq', 'A')]), [
      ['added', '', 'trader differs from B'],
      ['unchanged', 'trader equals A', 'trader equals A'],
    ]);
  });

  test('identical conditions pair wherever they stand in either list', () => {
    const inForce = [c('origin', 'eq', 'CN'), c('value', 'gt', 1000)];
    const proposed = [c('value', 'gt', 1000), c('origin', 'eq', 'CN')];
    assert.deepEqual(
      changes(inForce, proposed).map(([change]) => change),
      ['unchanged', 'unchanged'],
    );
  });

  test('a value changed pairs with the condition of the same field and operator before another operator', () => {
    const inForce = [c('value', 'lt', 10), c('value', 'gt', 1000)];
    const proposed = [c('value', 'gt', 5000)];
    assert.deepEqual(changes(inForce, proposed), [
      ['changed', 'value above 1000', 'value above 5000'],
      ['removed', 'value below 10', ''],
    ]);
  });

  test('a test changed on the same field is changed; other fields are added and removed', () => {
    const inForce = [c('trader', 'eq', 'A'), c('origin', 'eq', 'CN')];
    const proposed = [c('trader', 'ne', 'A'), c('currency', 'eq', 'USD')];
    assert.deepEqual(changes(inForce, proposed), [
      ['changed', 'trader equals A', 'trader differs from A'],
      ['added', '', 'currency equals USD'],
      ['removed', 'origin equals CN', ''],
    ]);
  });

  test('nothing on either side, and everything new', () => {
    assert.deepEqual(changes([], []), []);
    assert.deepEqual(changes([], [c('trader', 'eq', 'A')]), [['added', '', 'trader equals A']]);
  });
});
