/** Builders of clearway CSV files for tests of imports and uploads. */
import { clearwayColumns } from '../declarations/formats/clearway-columns.ts';
import { testDeclarant, testOffice, testTrader } from './harness.ts';

/** One goods item row of the clearway format, a valid declaration of TRADER-A unless overridden. */
export const aClearwayRow = (reference: string, overrides: Record<string, string> = {}) => ({
  type: 'IM',
  functional_reference: reference,
  date: '2026-03-02',
  office: testOffice,
  declarant: testDeclarant,
  trader: testTrader,
  seller: 'SELLER-1',
  transport_mode: '4',
  dispatch_country: 'CN',
  origin_country: 'CN',
  currency: 'USD',
  invoice_total: '1200',
  procedure: '4000',
  item_sequence: '1',
  hs_code: '85171300',
  description: 'smartphones',
  item_origin_country: 'CN',
  net_mass: '12.5',
  gross_mass: '15',
  supplementary_quantity: '40',
  supplementary_unit: 'NAR',
  item_value: '1200',
  duty_tax_type: 'A00',
  duty_rate: '0',
  package_type: 'CT',
  package_count: '4',
  ...overrides,
});

/** A clearway CSV file: the header, then one line per row (a string is written as it is). */
export function clearwayCsv(rows: (Record<string, string> | string)[]): string {
  const lines = rows.map((r) =>
    typeof r === 'string' ? r : clearwayColumns.map((c) => r[c] ?? '').join(','),
  );
  return [clearwayColumns.join(','), ...lines].join('\n') + '\n';
}
