/**
 * The analytics export: declarations with their goods items, lanes and latest control outcome, as
 * JSON Lines (one declaration a line), for analysis outside the administration. Every party
 * identifier (trader, declarant, seller, buyer, courier) is replaced by its keyed pseudonym
 * (pseudonyms.ts); the functional reference, which traders often build from their own name, the
 * findings and who lodged or worked on the declaration are left out. Declarations are read in
 * pages by id, so memory stays the same whatever the size of the database.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Sql } from '../db/database.ts';
import type { Pseudonymise } from './pseudonyms.ts';

export interface AnalyticsExportOptions {
  /** Declaration dates, inclusive, `YYYY-MM-DD`. */
  from?: string;
  to?: string;
  release: string;
  pseudonymise: Pseudonymise;
  pageSize?: number;
}

interface HeaderRow {
  id: number;
  type: string;
  date: string;
  office: string;
  trader_id: string;
  declarant_id: string;
  seller: string | null;
  buyer: string | null;
  courier: string | null;
  transport_mode: string | null;
  dispatch_country: string | null;
  origin_country: string | null;
  currency: string;
  invoice_total: number | null;
  procedure: string | null;
  additional_procedure: string | null;
  payment_method: string | null;
  processing_mode: string | null;
  status: string;
  lane: string | null;
}

interface ItemRow {
  declaration_id: number;
  sequence: number;
  hs_code: string;
  description: string | null;
  origin_country: string | null;
  net_mass: number | null;
  gross_mass: number | null;
  supplementary_quantity: number | null;
  supplementary_unit: string | null;
  value: number;
  duty_tax_type: string | null;
  duty_rate: number | null;
  package_type: string | null;
  package_count: number | null;
  origin_indicator: string | null;
}

interface ControlRow {
  declaration_id: number;
  outcome: string;
  irregularity: string | null;
  severity: number;
  revenue_recovered: number | null;
}

async function page(sql: Sql, after: number, o: AnalyticsExportOptions, size: number): Promise<HeaderRow[]> {
  const params: unknown[] = [after, size];
  const where = ['d.id > $1'];
  if (o.from !== undefined) {
    params.push(o.from);
    where.push(`d.date >= $${params.length}::date`);
  }
  if (o.to !== undefined) {
    params.push(o.to);
    where.push(`d.date <= $${params.length}::date`);
  }
  return sql.query<HeaderRow>(
    `SELECT d.id, d.type, to_char(d.date, 'YYYY-MM-DD') AS date, d.office, d.trader_id, d.declarant_id,
            d.seller, d.buyer, d.courier, d.transport_mode, d.dispatch_country, d.origin_country, d.currency,
            d.invoice_total::float8 AS invoice_total, d.procedure, d.additional_procedure, d.payment_method,
            d.processing_mode, d.status, d.lane
     FROM declarations d WHERE ${where.join(' AND ')} ORDER BY d.id LIMIT $2`,
    params,
  );
}

const items = (sql: Sql, ids: number[]) =>
  sql.query<ItemRow>(
    `SELECT declaration_id, sequence, hs_code, description, origin_country, net_mass::float8 AS net_mass,
            gross_mass::float8 AS gross_mass, supplementary_quantity::float8 AS supplementary_quantity,
            supplementary_unit, value::float8 AS value, duty_tax_type, duty_rate::float8 AS duty_rate,
            package_type, package_count, origin_indicator
     FROM declaration_items WHERE declaration_id = ANY($1::bigint[]) ORDER BY declaration_id, sequence`,
    [ids],
  );

/** The latest control result of each declaration. */
const controls = (sql: Sql, ids: number[]) =>
  sql.query<ControlRow>(
    `SELECT DISTINCT ON (declaration_id) declaration_id, outcome, irregularity, severity::int AS severity,
            revenue_recovered::float8 AS revenue_recovered
     FROM control_results WHERE declaration_id = ANY($1::bigint[]) AND superseded_at IS NULL
     ORDER BY declaration_id, recorded_at DESC, id DESC`,
    [ids],
  );

function group<R extends { declaration_id: number }>(rows: readonly R[]): Map<number, R[]> {
  const out = new Map<number, R[]>();
  for (const row of rows) {
    const list = out.get(Number(row.declaration_id));
    if (list) list.push(row);
    else out.set(Number(row.declaration_id), [row]);
  }
  return out;
}

/** Writes the export to `out` (left open); returns how many declarations it holds. */
export async function writeAnalyticsExport(
  sql: Sql,
  out: Writable,
  options: AnalyticsExportOptions,
): Promise<{ declarations: number }> {
  const size = options.pageSize ?? 1000;
  const p = options.pseudonymise;
  const party = (id: string | null) => (id === null ? null : p(id));
  let after = 0;
  let written = 0;
  for (;;) {
    const headers = await page(sql, after, options, size);
    const last = headers.at(-1);
    if (!last) break;
    const ids = headers.map((h) => Number(h.id));
    const itemsOf = group(await items(sql, ids));
    const controlOf = group(await controls(sql, ids));
    let text = '';
    for (const h of headers) {
      const control = controlOf.get(Number(h.id))?.[0];
      const line = {
        release: options.release,
        type: h.type,
        date: h.date,
        office: h.office,
        trader: p(h.trader_id),
        declarant: p(h.declarant_id),
        seller: party(h.seller),
        buyer: party(h.buyer),
        courier: party(h.courier),
        transportMode: h.transport_mode,
        dispatchCountry: h.dispatch_country,
        originCountry: h.origin_country,
        currency: h.currency,
        invoiceTotal: h.invoice_total,
        procedure: h.procedure,
        additionalProcedure: h.additional_procedure,
        paymentMethod: h.payment_method,
        processingMode: h.processing_mode,
        status: h.status,
        lane: h.lane,
        control: control
          ? {
              outcome: control.outcome,
              irregularity: control.irregularity,
              severity: control.severity,
              revenueRecovered: control.revenue_recovered,
            }
          : null,
        items: (itemsOf.get(Number(h.id)) ?? []).map((i) => ({
          sequence: i.sequence,
          hsCode: i.hs_code,
          description: i.description,
          originCountry: i.origin_country,
          netMass: i.net_mass,
          grossMass: i.gross_mass,
          supplementaryQuantity: i.supplementary_quantity,
          supplementaryUnit: i.supplementary_unit,
          value: i.value,
          dutyTaxType: i.duty_tax_type,
          dutyRate: i.duty_rate,
          packageType: i.package_type,
          packageCount: i.package_count,
          originIndicator: i.origin_indicator,
        })),
      };
      text += JSON.stringify(line) + '\n';
    }
    written += headers.length;
    after = Number(last.id);
    if (!out.write(text)) await once(out, 'drain');
  }
  return { declarations: written };
}
