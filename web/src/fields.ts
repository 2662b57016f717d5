/** What a declaration's fields are called for people: `items[0].supplementaryUnit` is "Item 1, supplementary unit". */

const headerNames: Record<string, string> = {
  type: 'type',
  functionalReference: 'your reference',
  date: 'date',
  office: 'office of lodgement',
  declarant: 'declarant',
  trader: 'trader',
  seller: 'seller',
  buyer: 'buyer',
  courier: 'express courier',
  transportMode: 'transport mode',
  dispatchCountry: 'dispatch country',
  originCountry: 'origin country',
  currency: 'currency',
  invoiceTotal: 'invoice total',
  procedure: 'procedure',
  additionalProcedure: 'additional procedure',
  paymentMethod: 'payment method',
  processingMode: 'kind of declaration',
  exporter: 'exporter',
  destinationCountry: 'destination country',
  ucr: 'UCR',
  transportDocument: 'transport document',
  transportDocumentType: 'kind of transport document',
  incoterm: 'Incoterm',
  items: 'items',
};

const itemNames: Record<string, string> = {
  sequence: 'sequence number',
  hsCode: 'HS code',
  description: 'description',
  originCountry: 'origin',
  netMass: 'net mass',
  grossMass: 'gross mass',
  supplementaryQuantity: 'supplementary quantity',
  supplementaryUnit: 'supplementary unit',
  value: 'value',
  dutyTaxType: 'duty or tax type',
  dutyRate: 'duty rate',
  packageType: 'package type',
  packageCount: 'number of packages',
  originIndicator: 'kind of origin',
};

/** `camelCase` -> `camel case`, for a field this list does not know. */
const words = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

const capital = (s: string) => (s.startsWith('HS') ? s : s.charAt(0).toUpperCase() + s.slice(1));

/**
 * A readable name for a field path: `functionalReference` "Your reference", `items[2].hsCode`
 * "Item 3, HS code", `items[0]` "Item 1"; an empty path is the declaration as a whole.
 */
export function fieldLabel(path: string): string {
  if (path === '') return 'The declaration';
  const item = /^items\[(\d+)\](?:\.(.+))?$/.exec(path);
  if (item) {
    const n = Number(item[1]) + 1;
    const field = item[2];
    return field === undefined ? `Item ${n}` : `Item ${n}, ${itemNames[field] ?? words(field)}`;
  }
  const header = headerNames[path];
  return capital(header ?? words(path.replace(/\./g, ' ')));
}

const lowerFirst = (s: string) => (s.startsWith('HS') ? s : s.charAt(0).toLowerCase() + s.slice(1));

/**
 * A finding's message in words: the field path it starts with becomes the field's name
 * ("items[0].netMass must be a number" is "Item 1, net mass must be a number"), and an item's
 * path anywhere else in it becomes the item's name.
 */
export function say(finding: { path: string; message: string }): string {
  const { path, message } = finding;
  const rest = path !== '' && message.startsWith(`${path} `) ? message.slice(path.length + 1) : null;
  const items = (text: string) =>
    text.replace(/\bitems\[\d+\](?:\.[A-Za-z]+)?/g, (p) => lowerFirst(fieldLabel(p)));
  return rest === null ? items(message) : `${fieldLabel(path)} ${items(rest)}`;
}
