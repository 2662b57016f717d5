/**
 * Property-style declarations for round-trip tests: demo declarations whose optional fields are each,
 * at random (seeded), kept, dropped or given a value from a small pool of valid ones. The tests then
 * see the valid shapes the demo generator never makes: a header origin alone, or beside items of
 * other origins; an exporter on an export; an additional procedure without a procedure; items with no
 * optional field at all. Every variant passes validation (the tests check it).
 */
import { generateDeclarations } from '../demo/generate.ts';
import { Random } from '../demo/random.ts';
import type { DeclarationInput, GoodsItem } from '../declarations/model.ts';

type Optional<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];
type HeaderField = Exclude<Optional<DeclarationInput>, 'invoiceTotal'>;
type ItemField = Exclude<
  Optional<GoodsItem>,
  'supplementaryQuantity' | 'supplementaryUnit' | 'netMass' | 'grossMass' | 'packageCount' | 'dutyRate'
>;

/** Valid values for each optional field (codes as the reference data and the DEC-DMS 2 schema hold them). */
const headerValues: { [K in HeaderField]: readonly string[] } = {
  seller: ['SELLER-1', 'Shenzhen Bright Trading Co.'],
  buyer: ['BUYER-7', 'Han River Imports'],
  courier: ['DHLKR01'],
  transportMode: ['1', '4', '5'],
  dispatchCountry: ['CN', 'VN', 'DE'],
  originCountry: ['CN', 'VN', 'JP'],
  procedure: ['4000', '1000', '4071'],
  additionalProcedure: ['000', 'C07'],
  paymentMethod: ['A', 'E'],
  processingMode: ['A', 'B'],
  ucr: ['6KR12345678-0001', '6CN91310000X-77'],
  transportDocument: ['MSKU1234567', '180-12345675'],
  transportDocumentType: ['N705', 'N740', '705'],
  exporter: ['EXP-9', 'CN91310000X'],
  destinationCountry: ['KR', 'US', 'NL'],
  incoterm: ['FOB', 'CIF', 'EXW'],
};

const itemValues: { [K in ItemField]: readonly string[] } = {
  description: ['steel bolts', 'smartphones, 128 GB'],
  originCountry: ['CN', 'VN', 'DE', 'KR'],
  dutyTaxType: ['A00', 'B00'],
  packageType: ['CT', 'PK'],
  originIndicator: ['B', 'N', 'Y'],
};

export interface VariantOptions {
  /** About this many item rows of demo declarations are varied. */
  count: number;
  seed: number;
  from: string;
  to: string;
}

/** Demo declarations with their optional fields kept, dropped or set at random, reproducible by `seed`. */
export function* declarationVariants(options: VariantOptions): Generator<DeclarationInput> {
  const random = new Random(options.seed, 41);
  for (const demo of generateDeclarations(options)) {
    const input = JSON.parse(JSON.stringify(demo.input)) as DeclarationInput;
    yield vary(input, random);
  }
}

/** A third of the time each: as it is, absent, or one of the pool's values. */
function choose<T>(random: Random, current: T | undefined, pool: readonly T[]): T | undefined {
  const roll = random.int(3);
  if (roll === 0) return current;
  if (roll === 1) return undefined;
  return pool[random.int(pool.length)];
}

function vary(d: DeclarationInput, random: Random): DeclarationInput {
  const record = d as unknown as Record<string, unknown>;
  for (const [field, pool] of Object.entries(headerValues)) {
    record[field] = choose(random, record[field], pool);
  }
  d.items = d.items.map((item) => varyItem(item, random));
  const total = d.items.reduce((sum, item) => sum + item.value, 0);
  d.invoiceTotal = random.int(2) === 0 ? undefined : Math.round(total * 100) / 100;
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return d;
}

function varyItem(item: GoodsItem, random: Random): GoodsItem {
  const record = { ...item } as unknown as Record<string, unknown>;
  for (const [field, pool] of Object.entries(itemValues)) {
    record[field] = choose(random, record[field], pool);
  }
  // the fields that go together: a quantity and its unit, gross mass not below net, a count with its type
  if (random.int(3) === 0) {
    delete record.supplementaryQuantity;
    delete record.supplementaryUnit;
  }
  const net = random.int(3) === 0 ? undefined : item.netMass;
  const gross = random.int(3) === 0 ? undefined : item.grossMass;
  record.netMass = net;
  record.grossMass = gross !== undefined && net !== undefined && gross < net ? net : gross;
  record.dutyRate = choose(random, item.dutyRate, [0, 6.5]);
  record.packageCount =
    record.packageType === undefined ? undefined : choose(random, item.packageCount, [1, 12]);
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record as unknown as GoodsItem;
}
