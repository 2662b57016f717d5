import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { catalogMappings, loadCatalog, type Catalog } from './catalog.ts';
import type { DeclarationInput, GoodsItem } from './model.ts';
import { defaultReferenceDir } from '../reference/reference-dir.ts';

const referenceDir = process.env.CLEARWAY_REFERENCE_DIR ?? defaultReferenceDir();
const elementsFile = 'wco/dec-dms2-elements.csv';

// Typed as complete records so that a field added to the model without a catalog entry fails to compile here.
const headerFields: Record<keyof DeclarationInput, true> = {
  type: true,
  functionalReference: true,
  date: true,
  office: true,
  declarant: true,
  trader: true,
  seller: true,
  buyer: true,
  courier: true,
  transportMode: true,
  dispatchCountry: true,
  originCountry: true,
  currency: true,
  invoiceTotal: true,
  procedure: true,
  additionalProcedure: true,
  paymentMethod: true,
  processingMode: true,
  ucr: true,
  transportDocument: true,
  transportDocumentType: true,
  exporter: true,
  destinationCountry: true,
  incoterm: true,
  items: true,
};
const itemFields: Record<keyof GoodsItem, true> = {
  sequence: true,
  hsCode: true,
  description: true,
  originCountry: true,
  netMass: true,
  grossMass: true,
  supplementaryQuantity: true,
  supplementaryUnit: true,
  value: true,
  dutyTaxType: true,
  dutyRate: true,
  packageType: true,
  packageCount: true,
  originIndicator: true,
};
const modelPaths = [
  ...Object.keys(headerFields),
  ...Object.keys(itemFields).map((field) => `items[].${field}`),
];
const requiredPaths = [
  'type',
  'functionalReference',
  'date',
  'office',
  'declarant',
  'trader',
  'currency',
  'items',
  'items[].sequence',
  'items[].hsCode',
  'items[].value',
];

let catalog: Catalog;
before(async () => {
  catalog = await loadCatalog(referenceDir);
});

describe('catalog', () => {
  test('has exactly one entry per DeclarationInput and GoodsItem field', () => {
    assert.deepEqual(catalog.entries.map((entry) => entry.path).sort(), [...modelPaths].sort());
  });

  for (const fieldPath of modelPaths) {
    test(`${fieldPath} has a WCO ID, a name, a definition and an element path`, () => {
      const entry = catalog.entryOf(fieldPath);
      assert.ok(entry, fieldPath);
      assert.match(entry.wcoId, /^[0-9A-Z]{3,4}$/);
      assert.notEqual(entry.name, '');
      assert.notEqual(entry.definition, '');
      assert.match(entry.xmlPath, /^Declaration(\/|$)/);
    });
  }

  test('marks exactly the mandatory fields as required', () => {
    const required = catalog.entries.filter((entry) => entry.required).map((entry) => entry.path);
    assert.deepEqual(required.sort(), [...requiredPaths].sort());
  });

  const wcoIdCases = [
    ['functionalReference', 'D026'],
    ['type', 'D013'],
    ['date', 'D011'],
    ['office', '065'],
    ['declarant', 'R123'],
    ['trader', 'R038'],
    ['currency', '135'],
    ['items', '68A'],
    ['items[3]', '68A'],
    ['items[].hsCode', '145'],
    ['items[0].hsCode', '145'],
    ['items[12].hsCode', '145'],
    ['items[12].netMass', '128'],
    ['items[4].value', '108'],
    ['unknownField', undefined],
    ['items[1].unknownField', undefined],
  ] as const;
  for (const [fieldPath, wcoId] of wcoIdCases) {
    test(`wcoIdOf('${fieldPath}') is ${wcoId ?? 'undefined'}`, () => {
      assert.equal(catalog.wcoIdOf(fieldPath), wcoId);
    });
  }

  test('fields checked against code lists name their list', () => {
    assert.equal(catalog.entryOf('items[0].hsCode')?.codeList, 'hs');
    assert.equal(catalog.entryOf('currency')?.codeList, 'currency');
    assert.equal(catalog.entryOf('items[0].packageType')?.codeList, 'package_type');
    assert.equal(catalog.entryOf('functionalReference')?.codeList, undefined);
  });

  test('takes name, definition and format from the WCO element list', () => {
    const entry = catalog.entryOf('functionalReference');
    assert.equal(entry?.wcoName, 'Functional reference number');
    assert.equal(entry?.wcoFormat, 'an..35');
    assert.equal(entry?.xmlPath, 'Declaration/FunctionalReferenceID');
  });
});

describe('loading the catalog', () => {
  const tempDirs: string[] = [];
  after(async () => {
    await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function tempReferenceDir(): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'clearway-catalog-'));
    tempDirs.push(dir);
    return dir;
  }

  test('a missing element list is named with its full path', async () => {
    const dir = await tempReferenceDir();
    const expected = `reference file not found: ${path.join(dir, elementsFile)} (set CLEARWAY_REFERENCE_DIR)`;
    await assert.rejects(loadCatalog(dir), { message: expected });
  });

  test('a mapped element missing from the element list is named', async () => {
    const dir = await tempReferenceDir();
    const file = path.join(dir, elementsFile);
    await mkdir(path.dirname(file), { recursive: true });
    const [, firstXmlPath] = catalogMappings[0] ?? [];
    assert.equal(firstXmlPath, 'Declaration/TypeCode');
    const header = 'xml_path,element,WCOID,WCOName,WCODescription,WCOFormat\n';
    await writeFile(file, `${header}Declaration,Declaration,42A,Declaration,A declaration,\n`);
    await assert.rejects(loadCatalog(dir), /Declaration\/TypeCode, which is not in .*dec-dms2-elements\.csv/);
  });
});
