/**
 * The one mapping between declaration fields and DEC-DMS 2 elements. `to-xml.ts` writes and
 * `from-xml.ts` reads each field at the element named here; `docs/wco-mapping.md` is generated from
 * this table, and a test checks that the data dictionary (`GET /api/catalog`) gives the same
 * elements and WCO IDs.
 */

/** One field and its element; goods item fields are written `items[].hsCode`. */
export interface FieldMapping {
  field: string;
  /** The element's path in the message, as in data/reference/wco/dec-dms2-elements.csv. */
  xmlPath: string;
  /** Set when the value is an attribute of the element rather than its content. */
  attribute?: string;
  /** How the value is written, when it is not simply the element's content. */
  note?: string;
  /** A second element the field is written at in a stated case (its own line in docs/wco-mapping.md). */
  otherwise?: { xmlPath: string; note: string };
}

const D = 'Declaration';
const GS = 'Declaration/GoodsShipment';
const GI = 'Declaration/GoodsShipment/GovernmentAgencyGoodsItem';

export const paths = {
  functionCode: `${D}/FunctionCode`,
  typeCode: `${D}/TypeCode`,
  functionalReference: `${D}/FunctionalReferenceID`,
  issueDate: `${D}/IssueDateTime`,
  /** In the data-structure namespace of WCO_DEC_DS_2_DMS.xsd (prefix `ds`). */
  issueDateString: `${D}/IssueDateTime/ds:DateTimeString`,
  office: `${D}/DeclarationOfficeID`,
  invoiceAmount: `${D}/InvoiceAmount`,
  borderMode: `${D}/BorderTransportMeans/ModeCode`,
  carrier: `${D}/Consignment/Carrier/ID`,
  currency: `${D}/CurrencyExchange/CurrencyTypeCode`,
  declarant: `${D}/Declarant/ID`,
  exporter: `${D}/Exporter/ID`,
  buyer: `${GS}/Buyer/Name`,
  consignor: `${GS}/Consignor/ID`,
  destination: `${GS}/Destination/CountryCode`,
  exportCountry: `${GS}/ExportCountry/ID`,
  importer: `${GS}/Importer/ID`,
  previousDocumentCategory: `${GS}/PreviousDocument/CategoryCode`,
  previousDocumentId: `${GS}/PreviousDocument/ID`,
  previousDocumentType: `${GS}/PreviousDocument/TypeCode`,
  seller: `${GS}/Seller/Name`,
  tradeTerms: `${GS}/TradeTerms/ConditionCode`,
  ucr: `${GS}/UCR/ID`,
  item: GI,
  itemSequence: `${GI}/SequenceNumeric`,
  itemValue: `${GI}/CustomsValueAmount`,
  description: `${GI}/Commodity/Description`,
  classification: `${GI}/Commodity/Classification/ID`,
  dutyRate: `${GI}/Commodity/DutyTaxFee/TaxRateNumeric`,
  dutyType: `${GI}/Commodity/DutyTaxFee/TypeCode`,
  paymentMethod: `${GI}/Commodity/DutyTaxFee/Payment/MethodCode`,
  grossMass: `${GI}/Commodity/GoodsMeasure/GrossMassMeasure`,
  netMass: `${GI}/Commodity/GoodsMeasure/NetNetWeightMeasure`,
  tariffQuantity: `${GI}/Commodity/GoodsMeasure/TariffQuantity`,
  procedure: `${GI}/GovernmentProcedure/CurrentCode`,
  originCountry: `${GI}/Origin/CountryCode`,
  originType: `${GI}/Origin/TypeCode`,
  packageQuantity: `${GI}/Packaging/QuantityQuantity`,
  packageSequence: `${GI}/Packaging/SequenceNumeric`,
  packageType: `${GI}/Packaging/TypeCode`,
} as const;

export const wcoXmlMapping: readonly FieldMapping[] = [
  { field: 'type', xmlPath: paths.typeCode, note: 'first two characters: IM or EX' },
  { field: 'functionalReference', xmlPath: paths.functionalReference },
  { field: 'date', xmlPath: paths.issueDate, note: 'DateTimeString, formatCode 102 (YYYYMMDD)' },
  { field: 'office', xmlPath: paths.office },
  { field: 'declarant', xmlPath: paths.declarant },
  {
    field: 'trader',
    xmlPath: paths.importer,
    note: 'IM declarations',
    otherwise: { xmlPath: paths.exporter, note: 'EX declarations: the trader is the exporter' },
  },
  { field: 'seller', xmlPath: paths.seller },
  { field: 'buyer', xmlPath: paths.buyer },
  { field: 'courier', xmlPath: paths.carrier },
  { field: 'transportMode', xmlPath: paths.borderMode },
  { field: 'dispatchCountry', xmlPath: paths.exportCountry },
  {
    field: 'originCountry',
    xmlPath: paths.originCountry,
    note: "second Origin of every item (DEC-DMS 2 has no origin above the item); the item's own Origin comes first, empty when the item has none",
  },
  { field: 'currency', xmlPath: paths.currency },
  { field: 'invoiceTotal', xmlPath: paths.invoiceAmount },
  {
    field: 'procedure',
    xmlPath: paths.procedure,
    note: 'first GovernmentProcedure of every item; empty when only an additional procedure is given',
  },
  {
    field: 'additionalProcedure',
    xmlPath: paths.procedure,
    note: 'second GovernmentProcedure of every item',
  },
  { field: 'paymentMethod', xmlPath: paths.paymentMethod, note: 'on every item' },
  { field: 'processingMode', xmlPath: paths.typeCode, note: 'the characters after the declaration type' },
  { field: 'ucr', xmlPath: paths.ucr },
  { field: 'transportDocument', xmlPath: paths.previousDocumentId },
  {
    field: 'transportDocumentType',
    xmlPath: paths.previousDocumentType,
    note: 'a four-character code such as N705 is written as CategoryCode N and TypeCode 705',
  },
  {
    field: 'exporter',
    xmlPath: paths.exporter,
    note: 'IM declarations: the foreign exporter',
    otherwise: {
      xmlPath: paths.consignor,
      note: 'EX declarations, where Exporter is the trader: the exporter named besides, as the consignor',
    },
  },
  { field: 'destinationCountry', xmlPath: paths.destination },
  { field: 'incoterm', xmlPath: paths.tradeTerms },
  { field: 'items', xmlPath: paths.item },
  { field: 'items[].sequence', xmlPath: paths.itemSequence },
  { field: 'items[].hsCode', xmlPath: paths.classification },
  { field: 'items[].description', xmlPath: paths.description },
  { field: 'items[].originCountry', xmlPath: paths.originCountry, note: 'first Origin of the item' },
  { field: 'items[].netMass', xmlPath: paths.netMass, note: 'kilograms (unitCode KGM)' },
  { field: 'items[].grossMass', xmlPath: paths.grossMass, note: 'kilograms (unitCode KGM)' },
  { field: 'items[].supplementaryQuantity', xmlPath: paths.tariffQuantity },
  { field: 'items[].supplementaryUnit', xmlPath: paths.tariffQuantity, attribute: 'unitCode' },
  { field: 'items[].value', xmlPath: paths.itemValue },
  { field: 'items[].dutyTaxType', xmlPath: paths.dutyType },
  { field: 'items[].dutyRate', xmlPath: paths.dutyRate },
  { field: 'items[].packageType', xmlPath: paths.packageType },
  { field: 'items[].packageCount', xmlPath: paths.packageQuantity },
  { field: 'items[].originIndicator', xmlPath: paths.originType, note: 'first Origin of the item' },
];
