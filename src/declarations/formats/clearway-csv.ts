/**
 * The clearway CSV format (columns in clearway-columns.ts): one row per goods item, header fields
 * repeated; consecutive rows of the same trader and functional reference form one declaration.
 */
import type { Finding, GoodsItem } from '../model.ts';
import { clearwayColumns, type ClearwayColumn } from './clearway-columns.ts';
import { columnIndex, numberCell, textCell, type FormatReader, type ParsedDeclaration, type UnreadableRow } from './format.ts';

const requiredColumns: readonly ClearwayColumn[] = [
  'type', 'functional_reference', 'date', 'office', 'declarant', 'trader', 'currency', 'hs_code', 'item_value',
];
const outcomes = new Set(['compliant', 'non_compliant']);

export function clearwayReader(): FormatReader {
  let index = {} as Record<ClearwayColumn, number>;
  let width = 0;
  let pending: (ParsedDeclaration & { key: string }) | null = null;

  const take = (): ParsedDeclaration[] => {
    if (!pending) return [];
    const { key: _key, ...done } = pending;
    pending = null;
    return [done];
  };

  return {
    start(header) {
      const found = columnIndex(header, clearwayColumns, requiredColumns);
      if (found.missing.length) return `the clearway file lacks the column(s): ${found.missing.join(', ')}`;
      index = found.index;
      width = header.length;
      return null;
    },
    row(fields, line) {
      if (fields.length !== width) {
        const reason = `row ${line} has ${fields.length} fields, the header has ${width}`;
        const ref = fields[index.functional_reference];
        const trader = fields[index.trader];
        if (pending && ref === pending.draft.functionalReference && (trader === undefined || trader === pending.draft.trader)) {
          // an unreadable item row spoils its whole declaration: it is rejected, never stored short
          pending.edgeFindings.push({ path: `items[${pending.draft.items?.length ?? 0}]`, code: 'unreadable_row', message: reason, severity: 'error', layer: 'format' });
          pending.draft.items?.push({});
          return [];
        }
        const out: (ParsedDeclaration | UnreadableRow)[] = take();
        out.push({ line, reason });
        return out;
      }
      const cell = (c: ClearwayColumn) => (index[c] === -1 ? undefined : fields[index[c]]);
      const key = `${cell('trader')}\u0000${cell('functional_reference')}`;
      if (pending && pending.key === key) {
        addItem(pending, cell);
        return [];
      }
      const done = take();
      pending = { key, ...header(cell, line) };
      addItem(pending, cell);
      return done;
    },
    end: take,
  };
}

type Cell = (c: ClearwayColumn) => string | undefined;

function header(cell: Cell, line: number): ParsedDeclaration {
  const findings: Finding[] = [];
  const parsed: ParsedDeclaration = {
    line,
    edgeFindings: findings,
    draft: {
      type: textCell(cell('type')),
      functionalReference: textCell(cell('functional_reference')),
      date: textCell(cell('date')),
      office: textCell(cell('office')),
      declarant: textCell(cell('declarant')),
      trader: textCell(cell('trader')),
      seller: textCell(cell('seller')),
      buyer: textCell(cell('buyer')),
      courier: textCell(cell('courier')),
      transportMode: textCell(cell('transport_mode')),
      dispatchCountry: textCell(cell('dispatch_country')),
      originCountry: textCell(cell('origin_country')),
      currency: textCell(cell('currency')),
      invoiceTotal: numberCell(cell('invoice_total'), 'invoiceTotal', findings),
      procedure: textCell(cell('procedure')),
      additionalProcedure: textCell(cell('additional_procedure')),
      paymentMethod: textCell(cell('payment_method')),
      processingMode: textCell(cell('processing_mode')),
      items: [],
    },
  };
  const outcome = textCell(cell('control_outcome'));
  if (outcome !== undefined) {
    if (outcomes.has(outcome)) {
      const irregularity = textCell(cell('irregularity'));
      parsed.control = { outcome: outcome as 'compliant' | 'non_compliant', severity: outcome === 'non_compliant' ? 1 : 0, ...(irregularity ? { irregularity } : {}) };
    } else {
      findings.push({ path: 'control_outcome', code: 'invalid_label', message: `control_outcome must be compliant or non_compliant, got "${outcome.slice(0, 30)}"`, severity: 'error', layer: 'format' });
    }
  }
  return parsed;
}

function addItem(d: ParsedDeclaration, cell: Cell): void {
  const items = d.draft.items ?? [];
  const i = items.length;
  const f = d.edgeFindings;
  const p = (name: string) => `items[${i}].${name}`;
  const item: Partial<GoodsItem> = {
    sequence: numberCell(cell('item_sequence'), p('sequence'), f),
    hsCode: textCell(cell('hs_code')),
    description: textCell(cell('description')),
    originCountry: textCell(cell('item_origin_country')),
    netMass: numberCell(cell('net_mass'), p('netMass'), f),
    grossMass: numberCell(cell('gross_mass'), p('grossMass'), f),
    supplementaryQuantity: numberCell(cell('supplementary_quantity'), p('supplementaryQuantity'), f),
    supplementaryUnit: textCell(cell('supplementary_unit')),
    value: numberCell(cell('item_value'), p('value'), f),
    dutyTaxType: textCell(cell('duty_tax_type')),
    dutyRate: numberCell(cell('duty_rate'), p('dutyRate'), f),
    packageType: textCell(cell('package_type')),
    packageCount: numberCell(cell('package_count'), p('packageCount'), f),
    originIndicator: textCell(cell('origin_indicator')),
  };
  items.push(item);
  d.draft.items = items;
}
