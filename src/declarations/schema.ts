/** The JSON shape of declarations at the API edge (TypeBox, so one schema gives validation, types and OpenAPI). */
import { Type, type Static } from 'typebox';

const text = (maxLength: number, description: string) => Type.String({ maxLength, description });
const amount = (description: string) => Type.Number({ description });

export const GoodsItemBody = Type.Object(
  {
    sequence: Type.Optional(
      Type.Integer({ description: 'Goods item sequence number, from 1 (defaults to the position)' }),
    ),
    hsCode: Type.Optional(text(10, 'Commodity code: HS subheading (6 digits) with up to 4 national digits')),
    description: Type.Optional(text(512, 'Description of goods, precise enough to classify')),
    originCountry: Type.Optional(text(2, 'Country of origin, ISO 3166 alpha-2')),
    netMass: Type.Optional(amount('Net mass in kilograms')),
    grossMass: Type.Optional(amount('Gross mass in kilograms')),
    supplementaryQuantity: Type.Optional(amount('Quantity in the supplementary unit')),
    supplementaryUnit: Type.Optional(text(3, 'UN/ECE Rec 20 unit code')),
    value: Type.Optional(amount('Item value in the declaration currency')),
    dutyTaxType: Type.Optional(text(7, 'Duty or tax type code')),
    dutyRate: Type.Optional(amount('Duty rate in percent')),
    packageType: Type.Optional(text(2, 'UN/ECE Rec 21 package type code')),
    packageCount: Type.Optional(Type.Integer({ description: 'Number of packages' })),
    originIndicator: Type.Optional(text(7, 'How origin was established (national code)')),
  },
  { additionalProperties: false },
);

export const DeclarationBody = Type.Object(
  {
    type: Type.Optional(text(2, 'IM (import) or EX (export)')),
    functionalReference: Type.Optional(text(35, "The trader's own reference for this declaration (LRN)")),
    date: Type.Optional(text(10, 'Declaration date, YYYY-MM-DD')),
    office: Type.Optional(text(17, 'Customs office of lodgement')),
    declarant: Type.Optional(
      text(35, 'Declarant (customs broker) identifier; defaults to the signed-in declarant'),
    ),
    trader: Type.Optional(
      text(35, 'Importer (IM) or exporter (EX) identifier; defaults to the signed-in trader'),
    ),
    seller: Type.Optional(text(70, 'Seller identifier or name')),
    buyer: Type.Optional(text(70, 'Buyer identifier or name')),
    courier: Type.Optional(text(35, 'Express courier identifier')),
    transportMode: Type.Optional(text(7, 'Mode of transport at the border')),
    dispatchCountry: Type.Optional(text(2, 'Country of dispatch/export, ISO 3166 alpha-2')),
    originCountry: Type.Optional(text(2, 'Country of origin, ISO 3166 alpha-2')),
    currency: Type.Optional(text(3, 'Invoice currency, ISO 4217')),
    invoiceTotal: Type.Optional(amount('Total invoice amount')),
    procedure: Type.Optional(text(7, 'Requested procedure')),
    additionalProcedure: Type.Optional(text(7, 'Additional procedure')),
    paymentMethod: Type.Optional(text(7, 'Payment method')),
    processingMode: Type.Optional(text(7, 'Processing mode')),
    ucr: Type.Optional(text(35, 'Unique Consignment Reference (UCR)')),
    transportDocument: Type.Optional(
      text(35, 'Transport document number: bill of lading, air waybill or consignment note'),
    ),
    transportDocumentType: Type.Optional(
      text(7, 'Transport document type code, e.g. N705 (bill of lading), N740 (air waybill)'),
    ),
    exporter: Type.Optional(
      text(35, 'Exporter identifier (IM); on EX declarations the trader is the exporter'),
    ),
    destinationCountry: Type.Optional(text(2, 'Country of destination, ISO 3166 alpha-2')),
    incoterm: Type.Optional(text(3, 'Delivery terms, Incoterms code (e.g. FOB, CIF)')),
    items: Type.Optional(Type.Array(GoodsItemBody, { maxItems: 999 })),
  },
  { additionalProperties: false },
);
export type DeclarationBody = Static<typeof DeclarationBody>;

export const Finding = Type.Object({
  path: Type.String(),
  code: Type.String(),
  message: Type.String(),
  severity: Type.String(),
  layer: Type.String(),
  wcoId: Type.Optional(Type.String({ description: 'WCO Data Model ID of the field' })),
  xmlPath: Type.Optional(
    Type.String({ description: 'Element path in the DEC-DMS 2 message, for XML submissions' }),
  ),
  line: Type.Optional(Type.Integer({ description: 'Line in the submitted XML message, from 1' })),
  column: Type.Optional(Type.Integer({ description: 'Column in the submitted XML message, from 1' })),
});

export const DeclarationView = Type.Object(
  {
    id: Type.Integer(),
    status: Type.String(),
    version: Type.Integer(),
    lodgedAt: Type.String(),
    findings: Type.Array(Finding),
    lane: Type.Optional(
      Type.Union([Type.Literal('red'), Type.Literal('yellow'), Type.Literal('blue'), Type.Literal('green')], {
        description: 'The control lane chosen by risk assessment at acceptance (absent until assessed)',
      }),
    ),
    duty: Type.Optional(
      Type.Object(
        { currency: Type.String(), amount: Type.Number() },
        { description: 'Duties and taxes of its items (clearance/duties.ts), in its currency' },
      ),
    ),
    allowed: Type.Array(Type.String(), {
      description: 'What the caller may do next (clearance actions: GET /api/declarations/:id/clearance)',
    }),
  },
  { additionalProperties: true },
);

export const ErrorBody = Type.Object({
  error: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Unknown()),
});

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 }) });

export const ListQuery = Type.Object(
  {
    reference: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 35,
        description:
          "The trader's functional reference (LRN), ignoring case: every one starting with it, or only this one (referenceMatch=exact)",
      }),
    ),
    referenceMatch: Type.Optional(
      Type.Union([Type.Literal('prefix'), Type.Literal('exact')], {
        description:
          'How `reference` matches, ignoring case: as the start of the reference (prefix, the default) or the whole of it (exact); only with `reference`',
      }),
    ),
    trader: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 35,
        description: 'The importer or exporter identifier, exactly',
      }),
    ),
    declarant: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 35,
        description: 'The declarant (customs broker) identifier, exactly',
      }),
    ),
    status: Type.Optional(
      Type.Union([
        Type.Literal('accepted'),
        Type.Literal('amended'),
        Type.Literal('controlled'),
        Type.Literal('cancelled'),
        Type.Literal('released'),
        Type.Literal('detained'),
        Type.Literal('seized'),
        Type.Literal('refused'),
      ]),
    ),
    office: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 17,
        description: 'The customs office the declaration was lodged at',
      }),
    ),
    lane: Type.Optional(
      Type.Union([Type.Literal('red'), Type.Literal('yellow'), Type.Literal('blue'), Type.Literal('green')], {
        description: 'The control lane risk assessment chose',
      }),
    ),
    from: Type.Optional(Type.String({ format: 'date', description: 'Declared on or after this day' })),
    to: Type.Optional(Type.String({ format: 'date', description: 'Declared on or before this day' })),
    hs: Type.Optional(
      Type.String({
        maxLength: 32,
        description:
          'HS code prefix of any of its items: 2 to 10 digits; dots and spaces are ignored (7013.49 is 701349)',
      }),
    ),
    before: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Cursor: the nextCursor of the previous page' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);
