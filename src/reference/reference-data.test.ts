import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CodeList, HsEdition, loadReferenceData, type ReferenceData } from './reference-data.ts';
import { defaultReferenceDir } from './reference-dir.ts';

const referenceDir = process.env.CLEARWAY_REFERENCE_DIR ?? defaultReferenceDir();
const referenceFiles = [
  'hs/hs2017.csv',
  'hs/hs2022.csv',
  'hs/sections.csv',
  'units/rec20-units.csv',
  'units/rec21-package-types.csv',
];

let data: ReferenceData;
before(async () => {
  data = await loadReferenceData(referenceDir);
});

describe('HS editions', () => {
  const editionCases = [
    ['2016-12-31', undefined],
    ['2017-01-01', HsEdition.Hs2017],
    ['2021-12-31', HsEdition.Hs2017],
    ['2022-01-01', HsEdition.Hs2022],
    ['2031-06-30', HsEdition.Hs2022],
    ['31/12/2021', undefined],
    ['', undefined],
  ] as const;
  for (const [date, edition] of editionCases) {
    test(`the edition in force on "${date}" is ${edition ?? 'none'}`, () => {
      assert.equal(data.hsEditionOn(date), edition);
    });
  }

  const inForceCases = [
    // 0403.10 (yoghurt) was replaced by 0403.20 in HS 2022.
    [
      'an HS 2017 subheading that was deleted in 2022 is in force in 2021 but not in 2022',
      '040310',
      true,
      false,
    ],
    ['an HS 2022 subheading is not in force before 2022', '040320', false, true],
    ['a subheading unchanged between editions is in force in both', '010121', true, true],
    ['a heading is not a subheading', '0403', false, false],
    ['a chapter is not a subheading', '04', false, false],
    ['an unknown code is not in force', '000000', false, false],
  ] as const;
  for (const [name, hs6, in2021, in2022] of inForceCases) {
    test(name, () => {
      assert.equal(data.hsSubheadingInForce(hs6, '2021-12-31'), in2021);
      assert.equal(data.hsSubheadingInForce(hs6, '2022-01-01'), in2022);
    });
  }

  test('no subheading is in force before HS 2017', () => {
    assert.equal(data.hsSubheadingInForce('010121', '2016-12-31'), false);
    assert.equal(data.hsDescription('01', '2016-12-31'), undefined);
  });

  test('Comtrade total rows are not HS codes', () => {
    for (const code of ['99', '9999', '999999', 'TOTAL']) {
      for (const date of ['2021-06-01', '2022-06-01']) {
        assert.equal(data.hsDescription(code, date), undefined, `${code} on ${date}`);
        assert.equal(data.hsSubheadingInForce(code, date), false, `${code} on ${date}`);
      }
    }
    const hsCodes = [...data.entries()].filter((entry) => entry.list === CodeList.Hs).map((e) => e.code);
    assert.deepEqual(
      hsCodes.filter((code) => code.startsWith('99') || code === 'TOTAL'),
      [],
    );
  });

  test('describes chapters, headings and subheadings in the edition in force', () => {
    assert.equal(data.hsDescription('04', '2022-03-01')?.startsWith('Dairy produce'), true);
    assert.match(data.hsDescription('040310', '2021-03-01') ?? '', /yogurt|yoghurt/i);
    assert.equal(data.hsDescription('040310', '2022-03-01'), undefined);
  });

  test('gives the section of a subheading and the name of a section', () => {
    assert.equal(data.hsSection('847160', '2021-03-01'), 'XVI');
    assert.equal(data.hsSection('040310', '2022-03-01'), undefined);
    assert.equal(data.hsSectionName('I'), 'live animals; animal products');
  });

  test('HS entries carry their edition period and parent', () => {
    const entries = [...data.entries()].filter((e) => e.list === CodeList.Hs);
    assert.deepEqual(
      entries.find((e) => e.code === '040310'),
      {
        list: 'hs',
        code: '040310',
        description: data.hsDescription('040310', '2021-01-01'),
        validFrom: '2017-01-01',
        validTo: '2021-12-31',
        parent: '0403',
      },
    );
    const yoghurt2022 = entries.find((e) => e.code === '040320');
    assert.equal(yoghurt2022?.validFrom, '2022-01-01');
    assert.equal(yoghurt2022?.validTo, null);
    assert.equal(entries.find((e) => e.code === '04')?.parent, undefined);
  });
});

describe('code lists', () => {
  const cases = [
    [
      'country',
      (code: string) => data.isCountry(code),
      ['KR', 'DE', 'CN', 'US'],
      ['AN', 'XK', 'ZZ', 'kr', 'KOR', ''],
    ],
    ['currency', (code: string) => data.isCurrency(code), ['KRW', 'EUR', 'USD'], ['ABC', 'VEF', 'krw', '']],
    [
      'unit',
      (code: string) => data.isUnit(code),
      ['KGM', 'C62', 'NAR', 'MTQ', '64'],
      ['05', 'AJ', 'QQQ', ''],
    ],
    ['package type', (code: string) => data.isPackageType(code), ['CT', 'PK', 'BX', '1A'], ['XX', 'ZZZ', '']],
  ] as const;
  for (const [list, accepts, valid, invalid] of cases) {
    test(`the ${list} list accepts ${valid.join(', ')} and refuses ${invalid.join(', ')}`, () => {
      for (const code of valid) assert.equal(accepts(code), true, `${code} should be a ${list}`);
      for (const code of invalid) assert.equal(accepts(code), false, `${code} should not be a ${list}`);
    });
  }

  test('every list appears in the entries, without a validity period outside HS', () => {
    const byList = new Map<string, number>();
    for (const entry of data.entries()) {
      byList.set(entry.list, (byList.get(entry.list) ?? 0) + 1);
      if (entry.list !== CodeList.Hs) assert.deepEqual([entry.validFrom, entry.validTo], [null, null]);
    }
    for (const list of Object.values(CodeList)) assert.ok((byList.get(list) ?? 0) > 0, list);
    assert.equal(
      [...data.entries()].some((e) => e.list === CodeList.Unit && e.code === '05'),
      false,
    );
  });
});

describe('loading', () => {
  const tempDirs: string[] = [];
  after(async () => {
    await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function copyReferenceWithout(missing: string): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'clearway-reference-'));
    tempDirs.push(dir);
    const kept = referenceFiles.filter((file) => file !== missing);
    await Promise.all(kept.map((file) => cp(path.join(referenceDir, file), path.join(dir, file))));
    return dir;
  }

  for (const missing of referenceFiles) {
    test(`a missing ${missing} is named with its full path`, async () => {
      const dir = await copyReferenceWithout(missing);
      const expected = `reference file not found: ${path.join(dir, missing)} (set CLEARWAY_REFERENCE_DIR)`;
      await assert.rejects(loadReferenceData(dir), { message: expected });
    });
  }

  test('a file without an expected column names the file and the column', async () => {
    const dir = await copyReferenceWithout('units/rec21-package-types.csv');
    const file = path.join(dir, 'units/rec21-package-types.csv');
    await writeFile(file, 'Kode,Name\nCT,Carton\n');
    await assert.rejects(loadReferenceData(dir), { message: `reference file ${file} has no column "Code"` });
  });
});
