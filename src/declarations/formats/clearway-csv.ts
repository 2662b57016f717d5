/**
 * The clearway CSV format (columns in clearway-columns.ts): one row per goods item, header fields
 * repeated; consecutive rows of the same trader and functional reference form one declaration.
 */
import type { Finding, GoodsItem } from '../model.ts';
import { clearwayColumns, type ClearwayColumn } from './clearway-columns.ts';
import {
  columnIndex,
  numberCell,
  textCell,
  type FormatReader,
  type ParsedDeclaration,
  type UnreadableRow,
} from './format.ts';

const requiredColumns: readonly ClearwayColumn[] = [
  'type',
  'functional_reference',
  'date',
  'office',
  'declarant',
  'trader',
  'currency',
  'hs_code',
  'item_value',
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
        if (
          pending &&
          ref === pending.draft.functionalReference &&
          (trader === undefined || trader === pending.draft.trader)
        ) {
          // an unreadable item row spoils its whole declaration: it is rejected, never stored short
          pending.edgeFindings.push({
            path: `items[${pending.draft.items?.length ?? 0}]`,
            code: 'unreadable_row',
            message: reason,
            severity: 'error',
            layer: 'format',
          });
          pending.draft.items?.push({});
          return [];
        }
        const out: (ParsedDeclaration | UnreadableRow)[] = take();
        out.push({ line, reason });
        return out;
      }
      const key = `${fields[index.trader]}\u0000${fields[index.functional_reference]}`;
      if (pending && pending.key === key) {
        addItem(pending, fields, index);
        return [];
      }
      const done = take();
      pending = { key, ...header(fields, index, line) };
      addItem(pending, fields, index);
      return done;
    },
    end: take,
  };
}

type Index = Record<ClearwayColumn, number>;

function cellOf(fields: readonly string[], index: Index, c: ClearwayColumn): string | undefined {
  return index[c] === -1 ? undefined : fields[index[c]];
}

function header(fields: readonly string[], index: Index, line: number): ParsedDeclaration {
  const findings: Finding[] = [];
  const parsed: ParsedDeclaration = {
    line,
    edgeFindings: findings,
    draft: {
      type: textCell(cellOf(fields, index, 'type')),
      functionalReference: textCell(cellOf(fields, index, 'functional_reference')),
      date: textCell(cellOf(fields, index, 'date')),
      office: textCell(cellOf(fields, index, 'office')),
      declarant: textCell(cellOf(fields, index, 'declarant')),
      trader: textCell(cellOf(fields, index, 'trader')),
      seller: textCell(cellOf(fields, index, 'seller')),
      buyer: textCell(cellOf(fields, index, 'buyer')),
      courier: textCell(cellOf(fields, index, 'courier')),
      transportMode: textCell(cellOf(fields, index, 'transport_mode')),
      dispatchCountry: textCell(cellOf(fields, index, 'dispatch_country')),
      originCountry: textCell(cellOf(fields, index, 'origin_country')),
      currency: textCell(cellOf(fields, index, 'currency')),
      invoiceTotal: numberCell(cellOf(fields, index, 'invoice_total'), 'invoiceTotal', findings),
      procedure: textCell(cellOf(fields, index, 'procedure')),
      additionalProcedure: textCell(cellOf(fields, index, 'additional_procedure')),
      paymentMethod: textCell(cellOf(fields, index, 'payment_method')),
      processingMode: textCell(cellOf(fields, index, 'processing_mode')),
      items: [],
    },
  };
  const outcome = textCell(cellOf(fields, index, 'control_outcome'));
  if (outcome !== undefined) {
    if (outcomes.has(outcome)) {
      const irregularity = textCell(cellOf(fields, index, 'irregularity'));
      parsed.control = {
        outcome: outcome as 'compliant' | 'non_compliant',
        severity: outcome === 'non_compliant' ? 1 : 0,
        ...(irregularity ? { irregularity } : {}),
      };
    } else {
      findings.push({
        path: 'control_outcome',
        code: 'invalid_label',
        message: `control_outcome must be compliant or non_compliant, got "${outcome.slice(0, 30)}"`,
        severity: 'error',
        layer: 'format',
      });
    }
  }
  return parsed;
}

function addItem(d: ParsedDeclaration, fields: readonly string[], index: Index): void {
  const items = d.draft.items ?? [];
  const i = items.length;
  const f = d.edgeFindings;
  const p = itemPaths[i] ?? itemPathsFor(i);
  const item: Partial<GoodsItem> = {
    sequence: numberCell(cellOf(fields, index, 'item_sequence'), p.sequence, f),
    hsCode: textCell(cellOf(fields, index, 'hs_code')),
    description: textCell(cellOf(fields, index, 'description')),
    originCountry: textCell(cellOf(fields, index, 'item_origin_country')),
    netMass: numberCell(cellOf(fields, index, 'net_mass'), p.netMass, f),
    grossMass: numberCell(cellOf(fields, index, 'gross_mass'), p.grossMass, f),
    supplementaryQuantity: numberCell(
      cellOf(fields, index, 'supplementary_quantity'),
      p.supplementaryQuantity,
      f,
    ),
    supplementaryUnit: textCell(cellOf(fields, index, 'supplementary_unit')),
    value: numberCell(cellOf(fields, index, 'item_value'), p.value, f),
    dutyTaxType: textCell(cellOf(fields, index, 'duty_tax_type')),
    dutyRate: numberCell(cellOf(fields, index, 'duty_rate'), p.dutyRate, f),
    packageType: textCell(cellOf(fields, index, 'package_type')),
    packageCount: numberCell(cellOf(fields, index, 'package_count'), p.packageCount, f),
    originIndicator: textCell(cellOf(fields, index, 'origin_indicator')),
  };
  items.push(item);
  d.draft.items = items;
}

const itemFields = [
  'sequence',
  'netMass',
  'grossMass',
  'supplementaryQuantity',
  'value',
  'dutyRate',
  'packageCount',
] as const;
type ItemPaths = Record<(typeof itemFields)[number], string>;

/** Field paths of item `i`, built once per position rather than per row. */
function itemPathsFor(i: number): ItemPaths {
  const paths = Object.fromEntries(itemFields.map((name) => [name, `items[${i}].${name}`])) as ItemPaths;
  if (i < 1000) itemPaths[i] = paths;
  return paths;
}
const itemPaths: ItemPaths[] = [];
