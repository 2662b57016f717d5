import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import currencyCodes from 'currency-codes';
import countries from 'i18n-iso-countries';
import { clearwayColumns } from '../declarations/formats/clearway-columns.ts';
import { productByHs, products } from './catalogue.ts';
import { preferentialOrigins } from './countries.ts';
import { clearwayHeaderLine, declarationToRows, writeDemoCsv } from './clearway-csv-writer.ts';
import { generateDeclarations, Irregularity, type DemoOptions } from './generate.ts';
import { vagueDescriptions } from './goods.ts';
import { createTraderPopulation, RiskTier } from './traders.ts';
import { defaultReferenceDir } from '../reference/reference-dir.ts';

const referenceDir = process.env.CLEARWAY_REFERENCE_DIR ?? defaultReferenceDir();

/** Spans the HS 2017 / HS 2022 change on 2022-01-01. */
const options: DemoOptions = { count: 20_000, seed: 11, from: '2021-10-01', to: '2022-03-31' };
const sample = [...generateDeclarations(options)];
const items = sample.flatMap((d) => d.input.items);

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(path.join(referenceDir, file), 'utf8'), { columns: true, bom: true });
}

/** Six-digit subheadings of an HS edition with their descriptions. */
function subheadings(edition: string): Map<string, string> {
  const rows = readCsv(`hs/hs${edition}.csv`).filter((row) => row.level === '6');
  return new Map(rows.map((row) => [row.hscode ?? '', row.description ?? '']));
}

async function csvText(run: DemoOptions): Promise<string> {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  await writeDemoCsv(run, sink);
  return chunks.join('');
}

test('the same seed gives identical output and a different seed differs', async () => {
  const run = { ...options, count: 3000 };
  const first = await csvText(run);
  assert.equal(await csvText(run), first);
  assert.notEqual(await csvText({ ...run, seed: run.seed + 1 }), first);
});

test('every declaration date lies inside the requested range, in ascending order', () => {
  const dates = sample.map((d) => d.input.date);
  assert.ok(dates.every((date) => date >= options.from && date <= options.to));
  assert.deepEqual(dates, [...dates].sort());
  assert.ok(new Set(dates).size > 100, 'declarations are spread over the range');
});

test('functional references are unique per trader', () => {
  const keys = sample.map((d) => `${d.input.trader} ${d.input.functionalReference}`);
  assert.equal(new Set(keys).size, keys.length);
});

test('the irregularity rate lies between 4% and 11% on 20,000 rows', () => {
  const irregular = sample.filter((d) => d.label.outcome === 'non_compliant');
  const rate = irregular.length / sample.length;
  assert.ok(rate > 0.04 && rate < 0.11, `rate ${rate}`);
  assert.ok(irregular.every((d) => d.label.irregularity !== undefined));
  assert.ok(sample.every((d) => d.label.outcome === 'non_compliant' || d.label.irregularity === undefined));
});

test('risky traders are irregular at least four times as often as the rest', () => {
  const risky = new Set(
    createTraderPopulation(options)
      .traders.filter((t) => t.tier === RiskTier.High)
      .map((t) => t.id),
  );
  const rate = (group: typeof sample): number =>
    group.filter((d) => d.label.outcome === 'non_compliant').length / group.length;
  const riskyRate = rate(sample.filter((d) => risky.has(d.input.trader)));
  const otherRate = rate(sample.filter((d) => !risky.has(d.input.trader)));
  assert.ok(riskyRate > 4 * otherRate, `risky ${riskyRate}, others ${otherRate}`);
});

test('every kind of irregularity occurs and leaves its mark on the declaration', () => {
  for (const kind of Object.values(Irregularity)) {
    const found = sample.filter((d) => d.label.irregularity === kind);
    assert.ok(found.length >= 20, `${kind}: ${found.length}`);
  }
  for (const d of sample.filter((x) => x.label.irregularity === Irregularity.FalseOrigin)) {
    assert.ok(preferentialOrigins.has(d.input.originCountry ?? ''));
    assert.notEqual(d.input.originCountry, d.input.dispatchCountry);
  }
  const lowerDutyCodes = new Set(products.flatMap((p) => (p.lowerDuty ? [p.lowerDuty.hsCode] : [])));
  for (const d of sample.filter((x) => x.label.irregularity === Irregularity.Misclassification)) {
    assert.ok(d.input.items.some((item) => lowerDutyCodes.has(item.hsCode.slice(0, 6))));
  }
});

test('every HS code exists unchanged in both HS 2017 and HS 2022', () => {
  const hs2017 = subheadings('2017');
  const hs2022 = subheadings('2022');
  const codes = new Set([...products.map((p) => p.hsCode), ...items.map((item) => item.hsCode.slice(0, 6))]);
  for (const code of codes) {
    assert.ok(hs2017.has(code) && hs2022.has(code), `${code} missing`);
    assert.equal(hs2017.get(code), hs2022.get(code), `${code} changed`);
  }
  assert.ok(
    items.every(
      (item) => /^\d{6}(\d{2}){0,2}$/.test(item.hsCode) && productByHs.has(item.hsCode.slice(0, 6)),
    ),
  );
});

test('every country, currency, unit and package code is valid', () => {
  // Rec 20 columns: Status (X deleted, D deprecated), Common Code, ...
  const rec20: string[][] = parse(readFileSync(path.join(referenceDir, 'units/rec20-units.csv'), 'utf8'), {
    bom: true,
  });
  const units = new Set(rec20.filter(([status]) => status === '').map(([, code]) => code));
  const packages = new Set(readCsv('units/rec21-package-types.csv').map((r) => r.Code));
  const isCountry = (code: string | undefined): boolean =>
    /^[A-Z]{2}$/.test(code ?? '') && countries.isValid(code ?? '');
  for (const { input } of sample) {
    assert.ok(isCountry(input.dispatchCountry), `dispatch ${input.dispatchCountry}`);
    assert.ok(input.originCountry === undefined || isCountry(input.originCountry));
    assert.ok(currencyCodes.code(input.currency) !== undefined, input.currency);
    assert.ok(['1', '3', '4', '5'].includes(input.transportMode ?? ''));
  }
  for (const item of items) {
    assert.ok(isCountry(item.originCountry), `origin ${item.originCountry}`);
    assert.ok(
      item.supplementaryUnit === undefined || units.has(item.supplementaryUnit),
      item.supplementaryUnit,
    );
    assert.ok(packages.has(item.packageType ?? ''), item.packageType);
  }
});

test('masses, quantities and values are positive and gross mass is at least net mass', () => {
  for (const item of items) {
    assert.ok((item.netMass ?? 0) > 0 && (item.grossMass ?? 0) >= (item.netMass ?? 0));
    assert.ok(item.value > 0 && (item.packageCount ?? 0) >= 1);
    assert.ok(item.supplementaryQuantity === undefined || item.supplementaryQuantity >= 1);
  }
});

test('the invoice total equals the sum of the item values', () => {
  for (const { input } of sample) {
    const sum = input.items.reduce((total, item) => total + item.value, 0);
    assert.equal(input.invoiceTotal, Math.round(sum * 100) / 100);
  }
});

test('vague descriptions appear on a small share of items', () => {
  const vague =
    items.filter((item) => vagueDescriptions.includes(item.description ?? '')).length / items.length;
  assert.ok(vague > 0.005 && vague < 0.05, `share ${vague}`);
});

test('the row count is the requested count, overshooting by less than one declaration', () => {
  assert.ok(items.length >= options.count && items.length < options.count + 5, `${items.length} rows`);
  assert.ok(sample.every((d) => d.input.items.length >= 1 && d.input.items.length <= 5));
  assert.ok(sample.filter((d) => d.input.items.length === 1).length > sample.length / 2);
});

test('every row has exactly clearwayColumns.length fields when parsed back with csv-parse', async () => {
  const run = { ...options, count: 3000 };
  const text = await csvText(run);
  const records: string[][] = parse(text, { relax_column_count: true });
  const [header, ...rows] = records;
  assert.deepEqual(header, [...clearwayColumns]);
  assert.equal(text.split('\n', 1)[0], clearwayHeaderLine());
  assert.ok(rows.every((row) => row.length === clearwayColumns.length));
  assert.ok(text.includes('"'), 'some fields (company names) need quotes');
  const expected = [...generateDeclarations(run)].flatMap((d) =>
    d.input.items.map((item) => ({ ...d, item })),
  );
  assert.equal(rows.length, expected.length);
  const at = (row: string[], column: (typeof clearwayColumns)[number]): string | undefined =>
    row[clearwayColumns.indexOf(column)];
  rows.forEach((row, i) => {
    const { input, label, item } = expected[i] ?? assert.fail(`row ${i} not generated`);
    assert.equal(at(row, 'functional_reference'), input.functionalReference);
    assert.equal(at(row, 'seller'), input.seller ?? '');
    assert.equal(at(row, 'invoice_total'), input.invoiceTotal?.toFixed(2));
    assert.equal(at(row, 'hs_code'), item.hsCode);
    assert.equal(at(row, 'description'), item.description);
    assert.equal(at(row, 'net_mass'), String(item.netMass));
    assert.equal(at(row, 'item_value'), item.value.toFixed(2));
    assert.equal(at(row, 'duty_rate'), item.dutyRate === undefined ? '' : String(item.dutyRate));
    assert.equal(at(row, 'irregularity'), label.irregularity ?? '');
  });
  const first = expected[0];
  assert.ok(first !== undefined);
  assert.equal(declarationToRows(first)[0], text.split('\n')[1]);
});

test('generateDeclarations rejects a range that ends before it starts', () => {
  assert.throws(
    () => [...generateDeclarations({ ...options, from: '2024-02-01', to: '2024-01-31' })],
    RangeError,
  );
});
