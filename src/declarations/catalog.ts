/**
 * The data dictionary: each field of a declaration, its WCO Data Model element (ID, name,
 * definition, format, taken from the DEC-DMS 2 element list at load time), its value type, whether
 * it is required, and the code list its values come from.
 */
import path from 'node:path';
import { cell, readCsv, type CsvRow } from '../reference/csv.ts';
import { CodeList } from '../reference/reference-data.ts';

/** The kind of value a field holds; `list` is the repeated goods item group. */
export type FieldType = 'string' | 'number' | 'date' | 'code' | 'list';

/** One field of the declaration and the WCO Data Model element it corresponds to. */
export interface CatalogEntry {
  /** Our field path; goods item fields are written `items[].hsCode`. */
  path: string;
  /** Human name of the element (the WCO name, or the XML element name when WCO gives none). */
  name: string;
  /** Path of the element in the DEC-DMS 2 message, e.g. `Declaration/TypeCode`. */
  xmlPath: string;
  wcoId: string;
  wcoName: string;
  definition: string;
  wcoFormat: string;
  type: FieldType;
  required: boolean;
  codeList?: string;
}

/** The data dictionary, with a fast lookup from a concrete path (`items[3].hsCode`) to its WCO ID. */
export interface Catalog {
  readonly entries: readonly CatalogEntry[];
  /** The entry of a field path; item indexes are ignored (`items[3].hsCode` is `items[].hsCode`). */
  entryOf(path: string): CatalogEntry | undefined;
  /** The WCO Data Model ID of a field path, e.g. `items[3].hsCode` gives `145`. */
  wcoIdOf(path: string): string | undefined;
}

type Mapping = readonly [
  path: string,
  xmlPath: string,
  type: FieldType,
  required: boolean,
  codeList?: string,
];

const D = 'Declaration';
const GS = 'Declaration/GoodsShipment';
const GI = 'Declaration/GoodsShipment/GovernmentAgencyGoodsItem';

/**
 * Our fields and their DEC-DMS 2 elements. Where the WCO model has no exact element we map to the
 * nearest one and say so.
 */
export const catalogMappings: readonly Mapping[] = [
  ['type', `${D}/TypeCode`, 'code', true],
  ['functionalReference', `${D}/FunctionalReferenceID`, 'string', true],
  ['date', `${D}/IssueDateTime`, 'date', true],
  ['office', `${D}/DeclarationOfficeID`, 'code', true],
  ['declarant', `${D}/Declarant/ID`, 'string', true],
  // The importer on IM declarations; on EX declarations this is the exporter (Declaration/Exporter/ID, R032).
  ['trader', `${GS}/Importer/ID`, 'string', true],
  ['seller', `${GS}/Seller/Name`, 'string', false],
  ['buyer', `${GS}/Buyer/Name`, 'string', false],
  // An express courier is the carrier of the consignment.
  ['courier', `${D}/Consignment/Carrier/ID`, 'string', false],
  ['transportMode', `${D}/BorderTransportMeans/ModeCode`, 'code', false],
  ['dispatchCountry', `${GS}/ExportCountry/ID`, 'code', false, CodeList.Country],
  // WCO records origin per goods item only; the header value is the common origin of the items.
  ['originCountry', `${GI}/Origin/CountryCode`, 'code', false, CodeList.Country],
  ['currency', `${D}/CurrencyExchange/CurrencyTypeCode`, 'code', true, CodeList.Currency],
  ['invoiceTotal', `${D}/InvoiceAmount`, 'number', false],
  // WCO records procedures per goods item; additional procedure codes repeat GovernmentProcedure/CurrentCode.
  ['procedure', `${GI}/GovernmentProcedure/CurrentCode`, 'code', false],
  ['additionalProcedure', `${GI}/GovernmentProcedure/CurrentCode`, 'code', false],
  ['paymentMethod', `${GI}/Commodity/DutyTaxFee/Payment/MethodCode`, 'code', false],
  // How the declaration is lodged (e.g. pre-arrival); DEC-DMS carries this in the declaration type code.
  ['processingMode', `${D}/TypeCode`, 'code', false],
  ['ucr', `${GS}/UCR/ID`, 'string', false],
  // DEC-DMS 2 carries the transport document as a previous document (e.g. N705 bill of lading).
  ['transportDocument', `${GS}/PreviousDocument/ID`, 'string', false],
  ['transportDocumentType', `${GS}/PreviousDocument/TypeCode`, 'code', false],
  ['exporter', `${D}/Exporter/ID`, 'string', false],
  ['destinationCountry', `${GS}/Destination/CountryCode`, 'code', false, CodeList.Country],
  ['incoterm', `${GS}/TradeTerms/ConditionCode`, 'code', false],
  ['items', GI, 'list', true],
  ['items[].sequence', `${GI}/SequenceNumeric`, 'number', true],
  ['items[].hsCode', `${GI}/Commodity/Classification/ID`, 'code', true, CodeList.Hs],
  ['items[].description', `${GI}/Commodity/Description`, 'string', false],
  ['items[].originCountry', `${GI}/Origin/CountryCode`, 'code', false, CodeList.Country],
  ['items[].netMass', `${GI}/Commodity/GoodsMeasure/NetNetWeightMeasure`, 'number', false],
  ['items[].grossMass', `${GI}/Commodity/GoodsMeasure/GrossMassMeasure`, 'number', false],
  ['items[].supplementaryQuantity', `${GI}/Commodity/GoodsMeasure/TariffQuantity`, 'number', false],
  // The unit is the unitCode attribute of TariffQuantity, which has no element of its own.
  ['items[].supplementaryUnit', `${GI}/Commodity/GoodsMeasure/TariffQuantity`, 'code', false, CodeList.Unit],
  ['items[].value', `${GI}/CustomsValueAmount`, 'number', true],
  ['items[].dutyTaxType', `${GI}/Commodity/DutyTaxFee/TypeCode`, 'code', false],
  ['items[].dutyRate', `${GI}/Commodity/DutyTaxFee/TaxRateNumeric`, 'number', false],
  ['items[].packageType', `${GI}/Packaging/TypeCode`, 'code', false, CodeList.PackageType],
  ['items[].packageCount', `${GI}/Packaging/QuantityQuantity`, 'number', false],
  ['items[].originIndicator', `${GI}/Origin/TypeCode`, 'code', false],
];

const elementsFile = 'wco/dec-dms2-elements.csv';
const elementColumns = ['xml_path', 'element', 'WCOID', 'WCOName', 'WCODescription', 'WCOFormat'];

/** Loads the catalog; throws naming the element when a mapped xmlPath is not in the WCO element list. */
export async function loadCatalog(referenceDir: string): Promise<Catalog> {
  const file = path.resolve(referenceDir, elementsFile);
  const rows = await readCsv(file, elementColumns);
  const elements = new Map(rows.map((row) => [cell(row, 'xml_path'), row]));
  const entries = catalogMappings.map((mapping) => toEntry(mapping, elements, file));
  return buildCatalog(entries);
}

function toEntry(mapping: Mapping, elements: ReadonlyMap<string, CsvRow>, file: string): CatalogEntry {
  const [fieldPath, xmlPath, type, required, codeList] = mapping;
  const element = elements.get(xmlPath);
  if (element === undefined) {
    throw new Error(`catalog field ${fieldPath} maps to ${xmlPath}, which is not in ${file}`);
  }
  const wcoName = cell(element, 'WCOName');
  const entry: CatalogEntry = {
    path: fieldPath,
    name: wcoName === '' ? cell(element, 'element') : wcoName,
    xmlPath,
    wcoId: cell(element, 'WCOID'),
    wcoName,
    definition: cell(element, 'WCODescription'),
    wcoFormat: cell(element, 'WCOFormat'),
    type,
    required,
  };
  return codeList === undefined ? entry : { ...entry, codeList };
}

function buildCatalog(entries: readonly CatalogEntry[]): Catalog {
  const byPath = new Map<string, CatalogEntry>();
  for (const entry of entries) {
    byPath.set(entry.path, entry);
    if (entry.type === 'list') byPath.set(`${entry.path}[]`, entry);
  }
  const entryOf = (fieldPath: string): CatalogEntry | undefined => byPath.get(genericPath(fieldPath));
  return { entries, entryOf, wcoIdOf: (fieldPath) => entryOf(fieldPath)?.wcoId };
}

/** `items[12].hsCode` becomes `items[].hsCode`; a path without an index is returned as is. */
function genericPath(fieldPath: string): string {
  const open = fieldPath.indexOf('[');
  if (open < 0) return fieldPath;
  const close = fieldPath.indexOf(']', open);
  if (close < 0 || close === open + 1) return fieldPath;
  return fieldPath.slice(0, open + 1) + fieldPath.slice(close);
}
