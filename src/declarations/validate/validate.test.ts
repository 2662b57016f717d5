import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadCatalog } from '../catalog.ts';
import { unitValueStatsFrom, noUnitValueStats } from '../unit-values.ts';
import { loadReferenceData } from '../../reference/reference-data.ts';
import { officeList, readOfficesFile } from '../../reference/offices.ts';
import { defaultReferenceDir } from '../../reference/reference-dir.ts';
import { aDeclaration, anItem } from '../../testing/harness.ts';
import { validateDeclaration, type DeclarationDraft, type ValidationContext } from './index.ts';

let ctx: ValidationContext;

before(async () => {
  const dir = process.env.CLEARWAY_REFERENCE_DIR ?? defaultReferenceDir();
  const [reference, catalog] = await Promise.all([loadReferenceData(dir), loadCatalog(dir)]);
  ctx = {
    reference,
    offices: officeList(await readOfficesFile(dir, reference.isCountry)),
    wcoIdOf: (p) => catalog.wcoIdOf(p),
    unitValues: noUnitValueStats,
    today: '2026-11-25',
  };
});

const draft = (overrides: Record<string, unknown> = {}) => aDeclaration(overrides) as DeclarationDraft;
const item = (overrides: Record<string, unknown>) => draft({ items: [anItem(overrides)] });

function findings(d: DeclarationDraft, context = ctx) {
  const result = validateDeclaration(d, context);
  return result.ok ? result.value.warnings : result.error.findings;
}

test('a complete, well-formed declaration is accepted without findings', () => {
  const result = validateDeclaration(draft(), ctx);
  assert.equal(result.ok, true);
  assert.deepEqual(result.ok && result.value.warnings, []);
});

describe('errors reject the declaration, each named by path, code, layer and WCO ID', () => {
  const cases: [string, DeclarationDraft, string, string, string][] = [
    [
      'a missing functional reference',
      draft({ functionalReference: undefined }),
      'functionalReference',
      'required',
      'existence',
    ],
    ['a declaration without items', draft({ items: [] }), 'items', 'required', 'existence'],
    ['an item without HS code', item({ hsCode: undefined }), 'items[0].hsCode', 'required', 'existence'],
    ['an unknown declaration type', draft({ type: 'XX' }), 'type', 'invalid_code', 'format'],
    ['an impossible date', draft({ date: '2021-02-30' }), 'date', 'invalid_date', 'format'],
    ['a date that is not ISO', draft({ date: '02/03/2026' }), 'date', 'invalid_date', 'format'],
    ['a date far in the future', draft({ date: '2031-01-01' }), 'date', 'date_out_of_range', 'format'],
    ['an HS code with letters', item({ hsCode: '8517AB' }), 'items[0].hsCode', 'invalid_format', 'format'],
    ['an HS code of five digits', item({ hsCode: '85171' }), 'items[0].hsCode', 'invalid_format', 'format'],
    ['a negative net mass', item({ netMass: -1 }), 'items[0].netMass', 'negative', 'format'],
    [
      'an absurd mass',
      item({ netMass: 5e12, grossMass: 6e12 }),
      'items[0].netMass',
      'out_of_range',
      'format',
    ],
    [
      'a fractional package count',
      item({ packageCount: 1.5 }),
      'items[0].packageCount',
      'not_integer',
      'format',
    ],
    ['a lowercase currency', draft({ currency: 'usd' }), 'currency', 'invalid_format', 'format'],
    ['an unknown currency', draft({ currency: 'ABC' }), 'currency', 'unknown_currency', 'reference'],
    [
      'an unknown country',
      draft({ dispatchCountry: 'QQ' }),
      'dispatchCountry',
      'unknown_country',
      'reference',
    ],
    [
      'an unknown country of destination',
      draft({ destinationCountry: 'QQ' }),
      'destinationCountry',
      'unknown_country',
      'reference',
    ],
    [
      'an Incoterm not in the WCO list',
      draft({ incoterm: 'XYZ' }),
      'incoterm',
      'unknown_incoterm',
      'reference',
    ],
    ['an Incoterm of the wrong shape', draft({ incoterm: 'fob' }), 'incoterm', 'invalid_format', 'format'],
    ['a UCR too long', draft({ ucr: 'U'.repeat(36) }), 'ucr', 'invalid_format', 'format'],
    [
      'a transport document with a space',
      draft({ transportDocument: 'MSKU 123' }),
      'transportDocument',
      'invalid_format',
      'format',
    ],
    [
      'an unknown unit',
      item({ supplementaryUnit: 'ZZZ' }),
      'items[0].supplementaryUnit',
      'unknown_unit',
      'reference',
    ],
    [
      'an unknown package type',
      item({ packageType: 'Q9' }),
      'items[0].packageType',
      'unknown_package_type',
      'reference',
    ],
    [
      'an office that is not a number but NaN',
      draft({ office: 'NaN' }),
      'office',
      'unknown_office',
      'reference',
    ],
    ['an office written in hexadecimal', draft({ office: '0x10' }), 'office', 'unknown_office', 'reference'],
    ['a date as the office', draft({ office: '2026-02-30' }), 'office', 'unknown_office', 'reference'],
    [
      'an office code without its leading zero',
      draft({ office: '30' }),
      'office',
      'unknown_office',
      'reference',
    ],
    [
      'an HS code that does not exist',
      item({ hsCode: '999999' }),
      'items[0].hsCode',
      'unknown_hs_code',
      'reference',
    ],
    [
      'a description with a tab',
      item({ description: 'cotton\tshirts' }),
      'items[0].description',
      'invalid_format',
      'format',
    ],
    ['a seller name with a line break', draft({ seller: 'ACME\nLtd' }), 'seller', 'invalid_format', 'format'],
    [
      'gross mass below net mass',
      item({ netMass: 10, grossMass: 9 }),
      'items[0].grossMass',
      'gross_below_net',
      'consistency',
    ],
    [
      'a quantity without its unit',
      item({ supplementaryUnit: undefined }),
      'items[0].supplementaryUnit',
      'quantity_without_unit',
      'consistency',
    ],
    [
      'two items with one sequence number',
      draft({ items: [anItem(), anItem({ value: 5 })], invoiceTotal: 1205 }),
      'items[1].sequence',
      'duplicate_sequence',
      'consistency',
    ],
  ];
  for (const [name, d, path, code, layer] of cases) {
    test(`rejects ${name}`, () => {
      const result = validateDeclaration(d, ctx);
      assert.equal(result.ok, false);
      const found = findings(d).find((f) => f.path === path && f.code === code);
      assert.ok(found, `expected ${path} ${code}, got ${JSON.stringify(findings(d))}`);
      assert.equal(found.layer, layer);
      assert.equal(found.severity, 'error');
      assert.match(found.wcoId ?? '', /^[0-9A-Z]{3,4}$/);
    });
  }
});

test('rejects an HS code that did not exist on the declaration date', () => {
  // 040310 (yoghurt) was split in HS 2022; 040320 replaced it
  assert.equal(validateDeclaration(item({ hsCode: '040310' }), ctx).ok, false);
  assert.equal(
    validateDeclaration(draft({ date: '2021-12-31', items: [anItem({ hsCode: '040310' })] }), ctx).ok,
    true,
  );
  assert.equal(
    validateDeclaration(draft({ date: '2021-12-31', items: [anItem({ hsCode: '040320' })] }), ctx).ok,
    false,
  );
  assert.equal(validateDeclaration(item({ hsCode: '040320' }), ctx).ok, true);
});

test('accepts the offices of the shipped list, Korean and British', () => {
  for (const office of ['030', '010', '154', 'GBABD001'])
    assert.deepEqual(findings(draft({ office })), [], office);
});

test('rejects an office outside the days it is in force, naming the office and its period', () => {
  const closed = {
    code: '777',
    name: 'Closed office',
    country: 'KR',
    validFrom: '2020-01-01',
    validTo: '2025-12-31',
  };
  const context = { ...ctx, offices: officeList([...ctx.offices.all(), closed]) };
  assert.deepEqual(findings(draft({ office: '777', date: '2025-12-31' }), context), []);
  const after = findings(draft({ office: '777', date: '2026-01-01' }), context);
  assert.deepEqual(
    after.map((f) => [f.path, f.code, f.layer, f.message]),
    [
      [
        'office',
        'office_not_in_force',
        'reference',
        'customs office 777 is in force from 2020-01-01 until 2025-12-31, not on 2026-01-01',
      ],
    ],
  );
  assert.deepEqual(
    // before it opened (in HS 2017 times, so the smartphone code is refused too)
    findings(draft({ office: '777', date: '2019-12-31' }), context)
      .filter((f) => f.path === 'office')
      .map((f) => f.code),
    ['office_not_in_force'],
  );
});

test('names the code of an office that is not on the list', () => {
  const [found] = findings(draft({ office: 'NaN' }));
  assert.equal(found?.message, 'office "NaN" is not a customs office');
});

test('lists every problem at once rather than stopping at the first', () => {
  const result = validateDeclaration(
    draft({ currency: 'ABC', date: '2026-13-01', items: [anItem({ hsCode: 'x', netMass: -3 })] }),
    ctx,
  );
  assert.equal(result.ok, false);
  const paths = !result.ok ? result.error.findings.map((f) => f.path).sort() : [];
  assert.deepEqual(paths, ['currency', 'date', 'items[0].hsCode', 'items[0].netMass']);
});

test('does not report a field twice when its format is already wrong', () => {
  const all = findings(draft({ dispatchCountry: 'china' }));
  assert.deepEqual(
    all.filter((f) => f.path === 'dispatchCountry').map((f) => f.code),
    ['invalid_format'],
  );
});

describe('warnings keep the declaration and become data-quality findings', () => {
  for (const description of ['gift', 'Spare parts', 'SAMPLES', 'see invoice']) {
    test(`flags the vague description "${description}"`, () => {
      const result = validateDeclaration(item({ description }), ctx);
      assert.equal(result.ok, true);
      assert.deepEqual(result.ok && result.value.warnings.map((f) => [f.path, f.code, f.layer]), [
        ['items[0].description', 'vague_description', 'plausibility'],
      ]);
    });
  }

  test('flags a unit value far below what has been seen for the HS code', () => {
    const stats = unitValueStatsFrom([
      { hs6: '851713', currency: 'USD', count: 200, median: 100, low: 40, high: 250 },
    ]);
    const context = { ...ctx, unitValues: stats };
    const cheap = findings(
      draft({ invoiceTotal: 10, items: [anItem({ value: 10, netMass: 10, grossMass: 11 })] }),
      context,
    );
    assert.deepEqual(
      cheap.map((f) => f.code),
      ['unit_value_low'],
    );
    assert.match(cheap[0]?.message ?? '', /far below/);
    assert.deepEqual(
      findings(
        draft({ invoiceTotal: 1000, items: [anItem({ value: 1000, netMass: 10, grossMass: 11 })] }),
        context,
      ),
      [],
    );
  });

  test('flags an invoice total that does not match the items', () => {
    assert.deepEqual(
      findings(draft({ invoiceTotal: 5000 })).map((f) => [f.code, f.severity]),
      [['invoice_total_mismatch', 'warning']],
    );
  });

  test('accepts ZZ, a country not known, with a warning', () => {
    const result = validateDeclaration(draft({ dispatchCountry: 'ZZ' }), ctx);
    assert.equal(result.ok, true);
    assert.deepEqual(result.ok && result.value.warnings.map((f) => f.code), ['country_not_known']);
  });
});

test('numbers the items by position when sequence numbers are left out', () => {
  const d = draft({ items: [anItem({ sequence: undefined }), anItem({ sequence: undefined, value: 0 })] });
  const result = validateDeclaration(d, ctx);
  assert.equal(result.ok, true);
  assert.deepEqual(result.ok && result.value.declaration.items.map((i) => i.sequence), [1, 2]);
});
