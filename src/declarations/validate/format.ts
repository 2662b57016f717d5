/** Layer 2, format: each value has the shape and range its data element allows. */
import type { GoodsItem } from '../model.ts';
import type { DeclarationDraft, Report } from './context.ts';
import { itemPath } from './context.ts';

export const limits = {
  items: 999,
  amount: 1e13,
  mass: 1e9,
  quantity: 1e10,
  dutyRate: 1000,
  packageCount: 1e7,
  description: 512,
} as const;

const identifier = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,34}$/;
const partyName = /^[\x21-\x7e\u00a0-\uffff][\x20-\x7e\u00a0-\uffff]{0,69}$/;
const code = /^[A-Za-z0-9]{1,7}$/;
const country = /^[A-Z]{2}$/;
const currency = /^[A-Z]{3}$/;
const hsCode = /^\d{6,10}$/;
const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const printable = /^[^\p{Cc}]*$/u;

/** True when `s` is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(s: string): boolean {
  if (!isoDate.test(s)) return false;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 ? (leap ? 29 : 28) : (daysInMonth[m - 1] ?? 31));
}

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A field of the header (`item` -1) or of a goods item; the path is built only for a finding. */
const pathOf = (item: number, field: string) => (item < 0 ? field : itemPath(item, field));

function text(
  report: Report,
  item: number,
  field: string,
  value: string | undefined,
  pattern: RegExp,
  what: string,
) {
  if (value !== undefined && value !== '' && !pattern.test(value)) {
    const path = pathOf(item, field);
    report(path, 'invalid_format', `${path} must be ${what}, got "${value.slice(0, 40)}"`);
  }
}

function number(
  report: Report,
  item: number,
  field: string,
  value: number | undefined,
  max: number,
  integer = false,
) {
  if (value === undefined || (value >= 0 && value <= max && (!integer || Number.isInteger(value)))) return;
  const path = pathOf(item, field);
  if (!Number.isFinite(value)) report(path, 'invalid_number', `${path} must be a number`);
  else if (value < 0) report(path, 'negative', `${path} must not be negative, got ${value}`);
  else if (value > max) report(path, 'out_of_range', `${path} must be at most ${max}, got ${value}`);
  else if (integer && !Number.isInteger(value)) report(path, 'not_integer', `${path} must be a whole number`);
}

// the header fields checked alike, listed once rather than for every declaration
const partyFields = ['seller', 'buyer'] as const;
const identifierFields = ['declarant', 'trader', 'courier', 'exporter', 'transportDocument'] as const;
const codeFields = [
  'transportMode',
  'procedure',
  'additionalProcedure',
  'paymentMethod',
  'processingMode',
  'transportDocumentType',
] as const;
const functionalReference = /^[\x21-\x7e][\x20-\x7e]{0,34}$/;
const unitCode = /^[A-Z0-9]{2,3}$/;
const incoterm = /^[A-Z]{3}$/;
const packageCode = /^[A-Z0-9]{2}$/;

export function checkFormat(d: DeclarationDraft, report: Report, today: string): void {
  if (d.type !== undefined && d.type !== 'IM' && d.type !== 'EX') {
    report('type', 'invalid_code', `type must be IM (import) or EX (export), got "${String(d.type)}"`);
  }
  text(
    report,
    -1,
    'functionalReference',
    d.functionalReference,
    functionalReference,
    'up to 35 printable characters',
  );
  if (d.date !== undefined && d.date !== '') {
    if (!isCalendarDate(d.date))
      report('date', 'invalid_date', `date must be a real date as YYYY-MM-DD, got "${d.date}"`);
    else if (d.date < '1988-01-01')
      report('date', 'date_out_of_range', 'date is before the Harmonized System existed');
    else if (d.date > latestDate(today))
      report('date', 'date_out_of_range', `date ${d.date} is more than 90 days ahead`);
  }
  text(report, -1, 'office', d.office, identifier, 'a customs office code');
  for (const field of partyFields) {
    text(report, -1, field, d[field], partyName, 'an identifier or a name of up to 70 printable characters');
  }
  for (const field of identifierFields) {
    text(
      report,
      -1,
      field,
      d[field],
      identifier,
      'an identifier of up to 35 letters, digits, dots, dashes or slashes',
    );
  }
  for (const field of codeFields) {
    text(report, -1, field, d[field], code, 'a code of up to 7 letters or digits');
  }
  text(report, -1, 'dispatchCountry', d.dispatchCountry, country, 'an ISO 3166 alpha-2 country code');
  text(report, -1, 'originCountry', d.originCountry, country, 'an ISO 3166 alpha-2 country code');
  text(report, -1, 'destinationCountry', d.destinationCountry, country, 'an ISO 3166 alpha-2 country code');
  text(report, -1, 'ucr', d.ucr, functionalReference, 'up to 35 printable characters');
  text(report, -1, 'incoterm', d.incoterm, incoterm, 'an Incoterms code of three letters');
  text(report, -1, 'currency', d.currency, currency, 'an ISO 4217 currency code');
  number(report, -1, 'invoiceTotal', d.invoiceTotal, limits.amount);
  if (d.items && d.items.length > limits.items) {
    report(
      'items',
      'too_many_items',
      `a declaration has at most ${limits.items} goods items, got ${d.items.length}`,
    );
  }
  d.items?.forEach((item, i) => checkItemFormat(item, i, report));
}

function checkItemFormat(item: Partial<GoodsItem>, i: number, report: Report): void {
  number(report, i, 'sequence', item.sequence, limits.items, true);
  if (item.sequence === 0)
    report(itemPath(i, 'sequence'), 'out_of_range', `${itemPath(i, 'sequence')} starts at 1`);
  text(report, i, 'hsCode', item.hsCode, hsCode, 'an HS code of 6 to 10 digits');
  if (item.description !== undefined) {
    const path = itemPath(i, 'description');
    if (item.description.length > limits.description) {
      report(path, 'too_long', `${path} has at most ${limits.description} characters`);
    } else if (!printable.test(item.description)) {
      report(path, 'invalid_format', `${path} must not contain control characters`);
    }
  }
  text(report, i, 'originCountry', item.originCountry, country, 'an ISO 3166 alpha-2 country code');
  number(report, i, 'netMass', item.netMass, limits.mass);
  number(report, i, 'grossMass', item.grossMass, limits.mass);
  number(report, i, 'supplementaryQuantity', item.supplementaryQuantity, limits.quantity);
  text(report, i, 'supplementaryUnit', item.supplementaryUnit, unitCode, 'a UN/ECE Rec 20 unit code');
  number(report, i, 'value', item.value, limits.amount);
  text(report, i, 'dutyTaxType', item.dutyTaxType, code, 'a code of up to 7 letters or digits');
  number(report, i, 'dutyRate', item.dutyRate, limits.dutyRate);
  text(report, i, 'packageType', item.packageType, packageCode, 'a UN/ECE Rec 21 package type code');
  number(report, i, 'packageCount', item.packageCount, limits.packageCount, true);
  text(report, i, 'originIndicator', item.originIndicator, code, 'a code of up to 7 letters or digits');
}

let latest = { today: '', date: '' };
/** The latest declaration date accepted on `today`: 90 days ahead (pre-lodgement). */
function latestDate(today: string): string {
  if (latest.today !== today) latest = { today, date: addDays(today, 90) };
  return latest.date;
}

export function addDays(isoDay: string, days: number): string {
  const t = Date.parse(isoDay + 'T00:00:00Z') + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
