/**
 * Paired demo data for two administrations: exports lodged at one (`exporting`) bound for the other
 * (`importing`), and the imports of the same consignments at the other, with the same UCR, transport
 * document and goods. A share of the imports is undervalued (declared at a fraction of the export
 * value), and a share of consignments is seen on one side only. Deterministic for the seed.
 *
 * The consignments are the demo's compliant imports, re-addressed: a few exporters at the exporting
 * administration sell to a few importers at the importing one, each side lodged by one customs
 * broker, so that a demo user can represent them all.
 */
import { DeclarationType, type DeclarationInput, type GoodsItem } from '../declarations/model.ts';
import { fromDayNumber, toDayNumber } from './calendar.ts';
import { ControlOutcome, generateDeclarations } from './generate.ts';
import { Random } from './random.ts';

export interface PairOptions {
  /** Consignments to write (matched pairs and one-sided ones together). */
  pairs: number;
  seed: number;
  from: string;
  to: string;
  /** Administration codes: where the exports are lodged, and where the goods are imported. */
  exporting: string;
  importing: string;
  /** Share of matched pairs whose import is undervalued. */
  undervaluedShare: number;
  /** Share of consignments seen only at the exporting side, and again only at the importing side. */
  unmatchedShare: number;
}

export const PairSide = { Both: 'both', ExportOnly: 'export_only', ImportOnly: 'import_only' } as const;
export type PairSide = (typeof PairSide)[keyof typeof PairSide];

/** One consignment: its export, its import, or both, and the truth about it. */
export interface DemoPair {
  side: PairSide;
  ucr: string;
  transportDocument: string;
  export?: DeclarationInput;
  import?: DeclarationInput;
  /** Import value over export value when the import is undervalued; absent otherwise. */
  undervaluedRatio?: number;
}

/** What honest importers add to the export (FOB) value: freight and insurance up to CIF. */
const freightAndInsurance = 1.06;
const partiesPerSide = 6;

/** The broker who lodges every declaration of one side's demo pairs. */
export const pairBroker = (administration: string): string => `${administration}BROKER`;

/** The traders of one side (exporters at the exporting administration, importers at the other). */
export const pairTraders = (administration: string): string[] =>
  Array.from(
    { length: partiesPerSide },
    (_, i) => `${administration}${String(1_000_000_001 + i * 7919).padStart(10, '0')}`,
  );

export function* generatePairs(options: PairOptions): Generator<DemoPair> {
  assertPairOptions(options);
  const { exporting: a, importing: b } = options;
  const random = new Random(options.seed, 17);
  const exporters = pairTraders(a);
  const importers = pairTraders(b);
  const chosen = compliantImports(options);
  let n = 0;
  for (const input of chosen) {
    n++;
    const serial = String(n).padStart(6, '0');
    const exporter = exporters[random.int(exporters.length)] ?? a;
    const importer = importers[random.int(importers.length)] ?? b;
    const ucr = `${input.date.slice(3, 4)}${a}${b}${options.seed}-${serial}`;
    const transportDocument = `${input.transportDocumentType ?? 'N705'}-${a}${options.seed}-${serial}`;
    const draw = random.next();
    const side =
      draw < options.unmatchedShare
        ? PairSide.ExportOnly
        : draw < 2 * options.unmatchedShare
          ? PairSide.ImportOnly
          : PairSide.Both;
    const undervalued = side === PairSide.Both && random.chance(options.undervaluedShare);
    // a third of the value, give or take
    const ratio = undervalued ? Math.round((0.25 + 0.17 * random.next()) * 100) / 100 : undefined;
    const shipped = Math.max(0, toDayNumber(input.date) - transitDays(input.transportMode, random));
    const exportDate = fromDayNumber(Math.max(shipped, toDayNumber(options.from)));
    const pair: DemoPair = { side, ucr, transportDocument };
    if (side !== PairSide.ImportOnly)
      pair.export = {
        type: DeclarationType.Export,
        functionalReference: `${a}EX${options.seed}-${serial}`,
        date: exportDate,
        office: input.office,
        declarant: pairBroker(a),
        trader: exporter,
        buyer: importer,
        transportMode: input.transportMode,
        dispatchCountry: a,
        originCountry: input.originCountry,
        currency: input.currency,
        invoiceTotal: total(input.items),
        procedure: '1000',
        ucr,
        transportDocument,
        transportDocumentType: input.transportDocumentType,
        destinationCountry: b,
        incoterm: 'FOB',
        items: input.items.map(exportItem),
      };
    if (side !== PairSide.ExportOnly) {
      const factor = ratio ?? freightAndInsurance;
      const items = input.items.map((item) => ({
        ...item,
        value: Math.round(item.value * factor * 100) / 100,
      }));
      pair.import = {
        ...input,
        functionalReference: `${b}IM${options.seed}-${serial}`,
        declarant: pairBroker(b),
        trader: importer,
        seller: `${exporter} Trading`,
        dispatchCountry: a,
        exporter,
        ucr,
        transportDocument,
        destinationCountry: b,
        items,
        invoiceTotal: total(items),
      };
    }
    if (ratio !== undefined) pair.undervaluedRatio = ratio;
    yield pair;
  }
}

/**
 * `options.pairs` compliant imports spread evenly over the period: the generator yields in date
 * order, so more are generated than needed (about three items a declaration) and every k-th kept.
 */
function compliantImports(options: PairOptions): DeclarationInput[] {
  const candidates: DeclarationInput[] = [];
  const source = generateDeclarations({
    count: options.pairs * 8,
    seed: options.seed,
    from: options.from,
    to: options.to,
  });
  for (const { input, label } of source)
    if (input.type === DeclarationType.Import && label.outcome === ControlOutcome.Compliant)
      candidates.push(input);
  const wanted = Math.min(options.pairs, candidates.length);
  return Array.from(
    { length: wanted },
    (_, i) => candidates[Math.floor((i * candidates.length) / wanted)],
  ).filter((d): d is DeclarationInput => d !== undefined);
}

function total(items: readonly GoodsItem[]): number {
  return Math.round(items.reduce((sum, item) => sum + item.value, 0) * 100) / 100;
}

/** Days between export and import: weeks by sea, days otherwise. */
function transitDays(mode: string | undefined, random: Random): number {
  return mode === '1' ? 14 + random.int(21) : 1 + random.int(4);
}

/** An export's goods item: the import's, without the import duty. */
function exportItem(item: GoodsItem): GoodsItem {
  const copy = { ...item };
  delete copy.dutyRate;
  delete copy.dutyTaxType;
  return copy;
}

function assertPairOptions(o: PairOptions): void {
  if (!Number.isSafeInteger(o.pairs) || o.pairs < 1)
    throw new RangeError(`pairs must be a positive integer, got ${o.pairs}`);
  for (const [name, share] of [
    ['undervaluedShare', o.undervaluedShare],
    ['unmatchedShare', o.unmatchedShare],
  ] as const)
    if (!(share >= 0 && share <= (name === 'unmatchedShare' ? 0.5 : 1)))
      throw new RangeError(
        `${name} must be a share from 0 to ${name === 'unmatchedShare' ? 0.5 : 1}, got ${share}`,
      );
  if (o.exporting === o.importing) throw new RangeError('the two administrations must differ');
}
