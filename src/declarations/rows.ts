/**
 * Mapping between declarations and their table rows. A declaration's content is encoded once in
 * COPY text format; the same text is stored, and fingerprinted to recognise resubmissions.
 */
import type { Declaration, DeclarationId, DeclarationInput, GoodsItem, Status } from './model.ts';

/** Columns holding what the trader declared, in the order of `headerContentValues`. */
export const headerContentColumns = [
  'type',
  'functional_reference',
  'trader_id',
  'declarant_id',
  'date',
  'office',
  'seller',
  'buyer',
  'courier',
  'transport_mode',
  'dispatch_country',
  'origin_country',
  'currency',
  'invoice_total',
  'procedure',
  'additional_procedure',
  'payment_method',
  'processing_mode',
  'ucr',
  'transport_document',
  'transport_document_type',
  'exporter',
  'destination_country',
  'incoterm',
] as const;
export const headerMetaColumns = ['status', 'content_hash', 'findings', 'source', 'lodged_by'] as const;
export const declarationColumns = ['id', ...headerContentColumns, ...headerMetaColumns] as const;

export const itemContentColumns = [
  'sequence',
  'hs_code',
  'description',
  'origin_country',
  'net_mass',
  'gross_mass',
  'supplementary_quantity',
  'supplementary_unit',
  'value',
  'duty_tax_type',
  'duty_rate',
  'package_type',
  'package_count',
  'origin_indicator',
] as const;
export const itemColumns = ['declaration_id', ...itemContentColumns] as const;

export interface StoredMeta {
  status: Status;
  contentHash: string;
  findings: string;
  source: string;
  lodgedBy: string;
}

export const headerContentValues = (d: DeclarationInput) => [
  d.type,
  d.functionalReference,
  d.trader,
  d.declarant,
  d.date,
  d.office,
  d.seller,
  d.buyer,
  d.courier,
  d.transportMode,
  d.dispatchCountry,
  d.originCountry,
  d.currency,
  d.invoiceTotal,
  d.procedure,
  d.additionalProcedure,
  d.paymentMethod,
  d.processingMode,
  d.ucr,
  d.transportDocument,
  d.transportDocumentType,
  d.exporter,
  d.destinationCountry,
  d.incoterm,
];

export const metaValues = (m: StoredMeta) => [m.status, m.contentHash, m.findings, m.source, m.lodgedBy];

export const itemContentValues = (it: GoodsItem) => [
  it.sequence,
  it.hsCode,
  it.description,
  it.originCountry,
  it.netMass,
  it.grossMass,
  it.supplementaryQuantity,
  it.supplementaryUnit,
  it.value,
  it.dutyTaxType,
  it.dutyRate,
  it.packageType,
  it.packageCount,
  it.originIndicator,
];

type Value = string | number | null | undefined;

/**
 * Encodes validated content. The format layer refuses control characters in every text field, so
 * only backslashes need escaping here. Joined, not concatenated: one flat string per row keeps
 * batches cheap for the garbage collector. The values are laid in one array per row shape, reused
 * from row to row, so that a row allocates its string and nothing else.
 */
function cell(v: Value): string | number {
  return v === undefined || v === null
    ? '\\N'
    : typeof v === 'string' && v.includes('\\')
      ? v.replaceAll('\\', '\\\\')
      : v;
}

const headerCells: (string | number)[] = new Array<string | number>(headerContentColumns.length).fill('');
const itemCells: (string | number)[] = new Array<string | number>(itemContentColumns.length).fill('');

function encodeHeader(d: DeclarationInput): string {
  const c = headerCells;
  c[0] = cell(d.type);
  c[1] = cell(d.functionalReference);
  c[2] = cell(d.trader);
  c[3] = cell(d.declarant);
  c[4] = cell(d.date);
  c[5] = cell(d.office);
  c[6] = cell(d.seller);
  c[7] = cell(d.buyer);
  c[8] = cell(d.courier);
  c[9] = cell(d.transportMode);
  c[10] = cell(d.dispatchCountry);
  c[11] = cell(d.originCountry);
  c[12] = cell(d.currency);
  c[13] = cell(d.invoiceTotal);
  c[14] = cell(d.procedure);
  c[15] = cell(d.additionalProcedure);
  c[16] = cell(d.paymentMethod);
  c[17] = cell(d.processingMode);
  c[18] = cell(d.ucr);
  c[19] = cell(d.transportDocument);
  c[20] = cell(d.transportDocumentType);
  c[21] = cell(d.exporter);
  c[22] = cell(d.destinationCountry);
  c[23] = cell(d.incoterm);
  return c.join('\t');
}

function encodeItem(it: GoodsItem): string {
  const c = itemCells;
  c[0] = cell(it.sequence);
  c[1] = cell(it.hsCode);
  c[2] = cell(it.description);
  c[3] = cell(it.originCountry);
  c[4] = cell(it.netMass);
  c[5] = cell(it.grossMass);
  c[6] = cell(it.supplementaryQuantity);
  c[7] = cell(it.supplementaryUnit);
  c[8] = cell(it.value);
  c[9] = cell(it.dutyTaxType);
  c[10] = cell(it.dutyRate);
  c[11] = cell(it.packageType);
  c[12] = cell(it.packageCount);
  c[13] = cell(it.originIndicator);
  return c.join('\t');
}

/** How many header cells the exchange fields (UCR to Incoterm) add at the end of the header line. */
export const exchangeCellCount = 6;

/** A declaration's content in COPY text: the header line's content part and one part per item. */
export interface EncodedContent {
  header: string;
  items: string[];
}

/** The same cells, in the same order, as `headerContentValues` and `itemContentValues`. */
export function encodeContent(d: DeclarationInput): EncodedContent {
  const items = new Array<string>(d.items.length);
  for (let i = 0; i < items.length; i++) {
    const it = d.items[i];
    items[i] = it ? encodeItem(it) : '';
  }
  return { header: encodeHeader(d), items };
}

type Cell = string | number | null;
const opt = <T extends Cell>(v: unknown): Exclude<T, null> | undefined =>
  v === null ? undefined : (v as Exclude<T, null>);

/** Drops absent optional fields so that responses carry only what was declared. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export function itemFromRow(r: Record<string, unknown>): GoodsItem {
  return compact({
    sequence: Number(r.sequence),
    hsCode: String(r.hs_code),
    description: opt<string>(r.description),
    originCountry: opt<string>(r.origin_country),
    netMass: opt<number>(r.net_mass),
    grossMass: opt<number>(r.gross_mass),
    supplementaryQuantity: opt<number>(r.supplementary_quantity),
    supplementaryUnit: opt<string>(r.supplementary_unit),
    value: Number(r.value),
    dutyTaxType: opt<string>(r.duty_tax_type),
    dutyRate: opt<number>(r.duty_rate),
    packageType: opt<string>(r.package_type),
    packageCount: opt<number>(r.package_count),
    originIndicator: opt<string>(r.origin_indicator),
  });
}

/** What the trader declared, from a declarations row (`headerContentColumns`) and its items. */
export function inputFromRow(r: Record<string, unknown>, items: GoodsItem[]): DeclarationInput {
  return compact({
    type: r.type as DeclarationInput['type'],
    functionalReference: String(r.functional_reference),
    date: String(r.date),
    office: String(r.office),
    declarant: String(r.declarant_id),
    trader: String(r.trader_id),
    seller: opt<string>(r.seller),
    buyer: opt<string>(r.buyer),
    courier: opt<string>(r.courier),
    transportMode: opt<string>(r.transport_mode),
    dispatchCountry: opt<string>(r.dispatch_country),
    originCountry: opt<string>(r.origin_country),
    currency: String(r.currency),
    invoiceTotal: opt<number>(r.invoice_total),
    procedure: opt<string>(r.procedure),
    additionalProcedure: opt<string>(r.additional_procedure),
    paymentMethod: opt<string>(r.payment_method),
    processingMode: opt<string>(r.processing_mode),
    ucr: opt<string>(r.ucr),
    transportDocument: opt<string>(r.transport_document),
    transportDocumentType: opt<string>(r.transport_document_type),
    exporter: opt<string>(r.exporter),
    destinationCountry: opt<string>(r.destination_country),
    incoterm: opt<string>(r.incoterm),
    items,
  });
}

export function declarationFromRow(r: Record<string, unknown>, items: GoodsItem[]): Declaration {
  return compact({
    id: Number(r.id) as DeclarationId,
    ...inputFromRow(r, items),
    status: r.status as Status,
    version: Number(r.version),
    lodgedAt: String(r.lodged_at),
    findings: (r.findings ?? []) as Declaration['findings'],
    lane: opt<string>(r.lane) as Declaration['lane'],
    assignedTo: opt<string>(r.assigned_to),
  });
}
