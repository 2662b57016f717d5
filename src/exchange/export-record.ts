/**
 * A partner's export declaration as received (its DEC-DMS 2 message), read into the record mirror
 * analysis compares and GET /api/declarations/:id/mirror shows. Read once per match or per view,
 * never in a matching loop (matching reads exchange_inbox's columns).
 */
import { createHash } from 'node:crypto';
import { readWcoDraft } from '../declarations/formats/wco-xml/from-xml.ts';

/**
 * Whether `s` is a day of the calendar, YYYY-MM-DD, from year 1 (PostgreSQL has no year 0): a
 * partner's 2026-02-30 or 0000-01-01 is no date, and must not reach a `::date` cast.
 */
export function isCalendarDay(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  const t = new Date(Date.UTC(2000, mo - 1, d));
  t.setUTCFullYear(y);
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

export interface ExportRecordItem {
  hsCode: string;
  description: string;
  value: number;
  netMass: number | null;
  quantity: number | null;
  originCountry: string | null;
}

export interface ExportRecord {
  reference: string;
  acceptedOn: string | null;
  ucr: string | null;
  transportDocument: string | null;
  exporter: string | null;
  importer: string | null;
  /** The export's country of destination: this administration, for a record sent to it. */
  destinationCountry: string | null;
  currency: string;
  invoiceTotal: number | null;
  items: ExportRecordItem[];
  /**
   * Present, and false, when the stored payload no longer has the SHA-256 recorded at its receipt
   * (changed in the database): the record is still read, and the change reported.
   */
  payloadIntact?: false;
}

const num = (n: unknown): number | null => (typeof n === 'number' && Number.isFinite(n) ? n : null);
const str = (s: unknown): string | null => (typeof s === 'string' && s !== '' ? s : null);

/** A partner's currency as an ISO 4217 code, or null: anything else is compared with nothing. */
export const currencyCode = (s: string | undefined) => (s !== undefined && /^[A-Z]{3}$/.test(s) ? s : null);

/**
 * The record of a stored export message; a message that no longer reads is an empty record. Given
 * the payload's SHA-256 as recorded at receipt, a payload that no longer has it is marked
 * `payloadIntact: false`.
 */
export function exportRecord(payload: Uint8Array, sha256?: string): ExportRecord {
  // bytea comes back as a Buffer from node-postgres and as a Uint8Array from PGlite
  // checked against the schema when it was received: only its fields are read again
  const d = readWcoDraft(Buffer.from(payload).toString('utf8')) ?? {};
  return {
    reference: d.functionalReference ?? '',
    acceptedOn: isCalendarDay(d.date) ? d.date : null,
    ucr: str(d.ucr),
    transportDocument: str(d.transportDocument),
    exporter: str(d.exporter) ?? str(d.trader),
    importer: str(d.buyer),
    destinationCountry: str(d.destinationCountry),
    // not a currency code (a formula, say): shown empty, so it is compared with no value
    currency: currencyCode(d.currency) ?? '',
    invoiceTotal: num(d.invoiceTotal),
    items: (d.items ?? []).map((it) => ({
      hsCode: it.hsCode ?? '',
      description: it.description ?? '',
      value: num(it.value) ?? 0,
      netMass: num(it.netMass),
      quantity: num(it.supplementaryQuantity),
      originCountry: str(it.originCountry) ?? str(d.originCountry),
    })),
    ...(sha256 !== undefined && createHash('sha256').update(payload).digest('hex') !== sha256
      ? { payloadIntact: false as const }
      : {}),
  };
}
