import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DeclarationInput } from '../../declarations/model.ts';
import { compileProfile, evaluateProfile } from './evaluate.ts';
import type { Indicators } from './fields.ts';
import { parseProfile, type Condition, type ProfileDefinition } from './profile.ts';

const declaration: DeclarationInput = {
  type: 'IM',
  functionalReference: 'R1',
  date: '2026-03-02',
  office: '040',
  declarant: 'BROKER',
  trader: 'T1',
  seller: 'S1',
  transportMode: '4',
  dispatchCountry: 'CN',
  originCountry: 'CN',
  currency: 'USD',
  invoiceTotal: 1500,
  items: [
    {
      sequence: 1,
      hsCode: '85171300',
      description: 'smartphones',
      originCountry: 'CN',
      netMass: 10,
      value: 1000,
      dutyRate: 0,
    },
    {
      sequence: 2,
      hsCode: '61091000',
      description: 'Gift',
      originCountry: 'VN',
      netMass: 50,
      value: 500,
      dutyRate: 12,
    },
  ],
};
const indicators: Indicators = {
  unitValueRatio: [1.1, 0.2],
  unitValueBand: [undefined, undefined],
  firstUseOfHs: [false, true],
  firstUseOfOrigin: [false, false],
  traderDeclarations: 3,
  traderHitRate: NaN,
};

const profile = (conditions: Condition[], extra: Partial<ProfileDefinition> = {}): ProfileDefinition => ({
  code: 'P1',
  name: 'test',
  lane: 'yellow',
  weight: 50,
  reason: 'because',
  validFrom: '2026-01-01',
  conditions,
  ...extra,
});

function run(conditions: Condition[], extra: Partial<ProfileDefinition> = {}, date = '2026-03-02') {
  const parsed = parseProfile(profile(conditions, extra));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return evaluateProfile(compileProfile(parsed.value), declaration, indicators, date);
}

describe('profile conditions select the declarations they describe', () => {
  const cases: [string, Condition[], number[] | null][] = [
    ['a trader in a watch list', [{ field: 'trader', op: 'in', value: ['T1', 'T9'] }], []],
    ['a trader not in the list', [{ field: 'trader', op: 'in', value: ['T9'] }], null],
    [
      'an HS chapter prefix, on the item that has it',
      [{ field: 'item.hsCode', op: 'prefix', value: ['61', '62'] }],
      [1],
    ],
    [
      'an origin and a low unit value on the same item',
      [
        { field: 'item.originCountry', op: 'eq', value: 'VN' },
        { field: 'indicator.unitValueRatio', op: 'lt', value: 0.5 },
      ],
      [1],
    ],
    [
      'item conditions that no single item meets together',
      [
        { field: 'item.originCountry', op: 'eq', value: 'CN' },
        { field: 'indicator.unitValueRatio', op: 'lt', value: 0.5 },
      ],
      null,
    ],
    [
      'a vague word in the description, in any case',
      [{ field: 'item.description', op: 'contains', value: 'gift' }],
      [1],
    ],
    ['a value range', [{ field: 'invoiceTotal', op: 'between', value: [1000, 2000] }], []],
    ['a first use of an HS code', [{ field: 'indicator.firstUseOfHs', op: 'eq', value: true }], [1]],
    ['a new trader', [{ field: 'indicator.traderDeclarations', op: 'lte', value: 5 }], []],
    ['a hit rate that is not known yet', [{ field: 'indicator.traderHitRate', op: 'gt', value: 0.1 }], null],
    ['a missing field with ne', [{ field: 'item.netMass', op: 'ne', value: 10 }], [1]],
    ['an excluded office', [{ field: 'office', op: 'notIn', value: ['040'] }], null],
  ];
  for (const [name, conditions, items] of cases) {
    test(`${items === null ? 'does not select' : 'selects'}: ${name}`, () => {
      const hit = run(conditions);
      assert.deepEqual(hit?.items ?? null, items);
      if (hit)
        assert.deepEqual([hit.code, hit.lane, hit.weight, hit.reason], ['P1', 'yellow', 50, 'because']);
    });
  }
});

test('a profile selects only while it is valid', () => {
  const conditions: Condition[] = [{ field: 'trader', op: 'eq', value: 'T1' }];
  assert.equal(run(conditions, { validFrom: '2026-04-01' }), null);
  assert.equal(run(conditions, { validTo: '2026-03-01' }), null);
  assert.notEqual(run(conditions, { validTo: '2026-03-02' }), null);
});

describe('a profile that cannot work is refused, naming where the problem is', () => {
  const cases: [string, unknown, string, RegExp][] = [
    [
      'an unknown field',
      profile([{ field: 'colour', op: 'eq', value: 'red' } as unknown as Condition]),
      'conditions[0].field',
      /unknown field "colour"/,
    ],
    [
      'a numeric operator on text',
      profile([{ field: 'trader', op: 'gt', value: 3 } as unknown as Condition]),
      'conditions[0].op',
      /trader is text/,
    ],
    [
      'text compared with a number field',
      profile([{ field: 'invoiceTotal', op: 'eq', value: 'many' }]),
      'conditions[0].value',
      /needs a number/,
    ],
    [
      'a list with an empty value among others',
      profile([{ field: 'trader', op: 'in', value: ['T1', ''] }]),
      'conditions[0].value',
      /non-empty list/,
    ],
    [
      'a range the wrong way round',
      profile([{ field: 'invoiceTotal', op: 'between', value: [10, 1] }]),
      'conditions[0].value',
      /min no greater than max/,
    ],
    [
      'a field equal to two values',
      profile([
        { field: 'office', op: 'eq', value: 'A' },
        { field: 'office', op: 'eq', value: 'B' },
      ]),
      'conditions[0] and conditions[1]',
      /contradictory/,
    ],
    [
      'an empty range',
      profile([
        { field: 'item.value', op: 'gt', value: 100 },
        { field: 'item.value', op: 'lt', value: 50 },
      ]),
      'conditions[0] and conditions[1]',
      /cannot be above 100 and below 50/,
    ],
    [
      'lists with nothing in common',
      profile([
        { field: 'office', op: 'in', value: ['A'] },
        { field: 'office', op: 'in', value: ['B'] },
      ]),
      'conditions[0] and conditions[1]',
      /no office is in every list/,
    ],
    [
      'an unknown lane',
      profile([{ field: 'trader', op: 'eq', value: 'T' }], { lane: 'purple' as never }),
      'lane',
      /lane must be one of/,
    ],
    [
      'a field a profile does not have',
      { ...profile([{ field: 'trader', op: 'eq', value: 'T' }]), owner: 'someone' },
      'owner',
      /unknown field "owner"/,
    ],
    [
      'a field a condition does not have',
      profile([{ field: 'trader', op: 'eq', value: 'T', note: 'x' } as Condition]),
      'conditions[0].note',
      /unknown field "note"/,
    ],
    [
      'an end before the start',
      profile([{ field: 'trader', op: 'eq', value: 'T' }], { validTo: '2025-01-01' }),
      'validTo',
      /before validFrom/,
    ],
  ];
  for (const [name, input, path, message] of cases) {
    test(`refuses ${name}`, () => {
      const result = parseProfile(input);
      assert.equal(result.ok, false);
      const problem = !result.ok ? result.error.problems.find((p) => p.path === path) : undefined;
      assert.ok(
        problem,
        `expected a problem at ${path}, got ${JSON.stringify(!result.ok && result.error.problems)}`,
      );
      assert.match(problem.message, message);
    });
  }
});

describe('a profile with a condition left empty, or none, is refused as incomplete', () => {
  const row = (c: Record<string, unknown>) => c as unknown as Condition;
  const cases: [string, Condition[], string, string][] = [
    ['no conditions', [], 'conditions', 'add a condition: a profile needs 1 to 50 conditions'],
    [
      'a row with no field',
      [row({ field: '', op: 'eq', value: 'T' })],
      'conditions[0].field',
      'condition 1: choose a field',
    ],
    [
      'a row with no operator',
      [row({ field: 'trader', value: 'T' })],
      'conditions[0].op',
      'condition 1: choose an operator',
    ],
    [
      'a text value of spaces',
      [row({ field: 'trader', op: 'eq', value: '  ' })],
      'conditions[0].value',
      'condition 1: enter a value',
    ],
    [
      'an empty list',
      [row({ field: 'trader', op: 'in', value: [] })],
      'conditions[0].value',
      'condition 1: enter a value',
    ],
    [
      'a range with one end',
      [row({ field: 'invoiceTotal', op: 'between', value: [1, ''] })],
      'conditions[0].value',
      'condition 1: enter both the minimum and the maximum',
    ],
    [
      'the second of two rows empty',
      [{ field: 'trader', op: 'eq', value: 'T' }, row({ field: '', op: '', value: '' })],
      'conditions[1].field',
      'condition 2: choose a field',
    ],
  ];
  for (const [name, conditions, path, message] of cases) {
    test(`refuses ${name}`, () => {
      const result = parseProfile(profile(conditions));
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.error.code, 'incomplete_profile');
      assert.deepEqual(
        result.error.problems.find((p) => p.path === path),
        { path, message },
        JSON.stringify(result.error.problems),
      );
    });
  }

  test('names every empty part of a row, and the other problems of the profile too', () => {
    const result = parseProfile(profile([row({ field: '', op: '', value: '' })], { weight: 0 }));
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.error.problems.map((p) => p.path).sort(), [
      'conditions[0].field',
      'conditions[0].op',
      'conditions[0].value',
      'weight',
    ]);
  });

  test('a boolean false and a zero are values, not empty', () => {
    const result = parseProfile(
      profile([
        { field: 'indicator.firstUseOfHs', op: 'eq', value: false },
        { field: 'invoiceTotal', op: 'gt', value: 0 },
      ]),
    );
    assert.equal(result.ok, true);
  });
});
