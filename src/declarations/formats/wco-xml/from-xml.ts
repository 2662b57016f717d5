/**
 * A DEC-DMS 2 message (already read by `read.ts`) as a draft declaration, with where each field
 * came from: the element's path, WCO ID, line and column, so findings can point into the message.
 */
import type { Finding, GoodsItem } from '../../model.ts';
import type { DeclarationDraft } from '../../validate/index.ts';
import { wcoIdOfElement } from './elements.ts';
import { paths } from './mapping.ts';
import { readMessage, type XmlElement } from './read.ts';

/** Where a field's value stood in the message. */
export interface XmlOrigin {
  xmlPath: string;
  wcoId?: string;
  line: number;
  column: number;
}

export interface XmlDraft {
  draft: DeclarationDraft;
  /** By concrete field path (`items[2].hsCode`). */
  origins: Map<string, XmlOrigin>;
  /** Values that are not what their element holds (a number that is not one). */
  findings: Finding[];
}

/** Children of `element` along a path relative to it; the last step may match several. */
function all(element: XmlElement, relative: string): XmlElement[] {
  let current: XmlElement[] = [element];
  for (const name of relative.split('/'))
    current = current.flatMap((e) => e.children.filter((c) => c.name === name));
  return current;
}

const relativeTo = (base: string, path: string) => path.slice(base.length + 1);

export function draftFromXml(root: XmlElement): XmlDraft {
  const origins = new Map<string, XmlOrigin>();
  const findings: Finding[] = [];
  const pick = (base: XmlElement, basePath: string, path: string, field: string): XmlElement | undefined => {
    const element = all(base, relativeTo(basePath, path))[0];
    if (element) {
      const wcoId = wcoIdOfElement(element.path);
      const origin: XmlOrigin = { xmlPath: element.path, line: element.line, column: element.column };
      origins.set(field, wcoId ? { ...origin, wcoId } : origin);
    }
    return element;
  };
  const text = (base: XmlElement, basePath: string, path: string, field: string): string | undefined => {
    const value = pick(base, basePath, path, field)?.text.trim();
    return value === '' ? undefined : value;
  };
  const number = (base: XmlElement, basePath: string, path: string, field: string): number | undefined => {
    const raw = text(base, basePath, path, field);
    if (raw === undefined) return undefined;
    const n = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(raw) ? Number(raw) : NaN;
    if (Number.isFinite(n)) return n;
    const origin = origins.get(field);
    findings.push({
      path: field,
      code: 'invalid_number',
      message: `${field} must be a number, got "${raw.slice(0, 40)}"`,
      severity: 'error',
      layer: 'format',
      ...origin,
    });
    return undefined;
  };

  const D = 'Declaration';
  const typeCode = text(root, D, paths.typeCode, 'type');
  if (typeCode !== undefined && typeCode.length > 2) {
    const origin = origins.get('type');
    if (origin) origins.set('processingMode', origin);
  }
  const type = typeCode?.slice(0, 2);
  const exporting = type === 'EX';
  const importerOrExporter = exporting ? paths.exporter : paths.importer;
  const draft: DeclarationDraft = {
    type,
    processingMode: typeCode !== undefined && typeCode.length > 2 ? typeCode.slice(2) : undefined,
    functionalReference: text(root, D, paths.functionalReference, 'functionalReference'),
    date: issueDate(pick(root, D, paths.issueDate, 'date')),
    office: text(root, D, paths.office, 'office'),
    declarant: text(root, D, paths.declarant, 'declarant'),
    trader: text(root, D, importerOrExporter, 'trader'),
    exporter: text(root, D, exporting ? paths.consignor : paths.exporter, 'exporter'),
    seller: text(root, D, paths.seller, 'seller'),
    buyer: text(root, D, paths.buyer, 'buyer'),
    courier: text(root, D, paths.carrier, 'courier'),
    transportMode: text(root, D, paths.borderMode, 'transportMode'),
    dispatchCountry: text(root, D, paths.exportCountry, 'dispatchCountry'),
    currency: text(root, D, paths.currency, 'currency'),
    invoiceTotal: number(root, D, paths.invoiceAmount, 'invoiceTotal'),
    ucr: text(root, D, paths.ucr, 'ucr'),
    transportDocument: text(root, D, paths.previousDocumentId, 'transportDocument'),
    transportDocumentType: documentType(
      text(root, D, paths.previousDocumentCategory, 'transportDocumentCategory'),
      text(root, D, paths.previousDocumentType, 'transportDocumentType'),
    ),
    destinationCountry: text(root, D, paths.destination, 'destinationCountry'),
    incoterm: text(root, D, paths.tradeTerms, 'incoterm'),
  };

  const goodsItems = all(root, relativeTo(D, paths.item));
  const items = goodsItems.map((gi, i) => {
    const wcoId = wcoIdOfElement(gi.path);
    origins.set(`items[${i}]`, {
      xmlPath: gi.path,
      line: gi.line,
      column: gi.column,
      ...(wcoId ? { wcoId } : {}),
    });
    return readItem(gi, i, { pick, text, number });
  });
  const first = goodsItems[0];
  if (first) {
    // the first GovernmentProcedure is the procedure, the second the additional one; either may be empty
    const [main, additional] = all(first, 'GovernmentProcedure');
    const procedureAt = `${paths.item}/GovernmentProcedure`;
    if (main) draft.procedure = text(main, procedureAt, paths.procedure, 'procedure');
    if (additional)
      draft.additionalProcedure = text(additional, procedureAt, paths.procedure, 'additionalProcedure');
    draft.paymentMethod = text(first, paths.item, paths.paymentMethod, 'paymentMethod');
  }
  // the declaration's origin: the second Origin of the items (the first is the item's own)
  const declared = first && all(first, 'Origin')[1];
  if (declared)
    draft.originCountry = text(declared, `${paths.item}/Origin`, paths.originCountry, 'originCountry');
  draft.items = items;
  return { draft: compact(draft), origins, findings };
}

type Readers = {
  pick: (base: XmlElement, basePath: string, path: string, field: string) => XmlElement | undefined;
  text: (base: XmlElement, basePath: string, path: string, field: string) => string | undefined;
  number: (base: XmlElement, basePath: string, path: string, field: string) => number | undefined;
};

function readItem(gi: XmlElement, i: number, r: Readers): Partial<GoodsItem> {
  const f = (name: string) => `items[${i}].${name}`;
  const I = paths.item;
  const tariff = r.pick(gi, I, paths.tariffQuantity, f('supplementaryUnit'));
  // the item's own origin is its first Origin; a second is the declaration's
  const own = all(gi, 'Origin')[0];
  const originAt = `${I}/Origin`;
  const item: Partial<GoodsItem> = {
    sequence: r.number(gi, I, paths.itemSequence, f('sequence')),
    hsCode: r.text(gi, I, paths.classification, f('hsCode')),
    description: r.text(gi, I, paths.description, f('description')),
    originCountry: own && r.text(own, originAt, paths.originCountry, f('originCountry')),
    netMass: r.number(gi, I, paths.netMass, f('netMass')),
    grossMass: r.number(gi, I, paths.grossMass, f('grossMass')),
    supplementaryQuantity: r.number(gi, I, paths.tariffQuantity, f('supplementaryQuantity')),
    supplementaryUnit: tariff?.attributes.unitCode,
    value: r.number(gi, I, paths.itemValue, f('value')),
    dutyTaxType: r.text(gi, I, paths.dutyType, f('dutyTaxType')),
    dutyRate: r.number(gi, I, paths.dutyRate, f('dutyRate')),
    packageType: r.text(gi, I, paths.packageType, f('packageType')),
    packageCount: r.number(gi, I, paths.packageQuantity, f('packageCount')),
    originIndicator: own && r.text(own, originAt, paths.originType, f('originIndicator')),
  };
  return compact(item);
}

/** The category letter and the type code together (N and 705 are N705). */
function documentType(category: string | undefined, type: string | undefined): string | undefined {
  return type === undefined ? category : (category ?? '') + type;
}

/** `DateTimeString` with formatCode 102 (YYYYMMDD) as YYYY-MM-DD; other forms are passed on for the format layer to judge. */
function issueDate(element: XmlElement | undefined): string | undefined {
  const string = element?.children.find((c) => c.name === 'DateTimeString');
  const raw = string?.text.trim();
  if (raw === undefined || raw === '') return undefined;
  return /^\d{8}$/.test(raw) ? `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}` : raw;
}

function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * Reads and maps one message without checking it against the XSD: for a message checked when it
 * was received (exchange/export-record.ts reads a stored partner's export), where only its fields
 * are wanted. Undefined when it cannot be read.
 */
export function readWcoDraft(xml: string): DeclarationDraft | undefined {
  const read = readMessage(xml);
  return read.ok ? draftFromXml(read.root).draft : undefined;
}
