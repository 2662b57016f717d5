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

/** The header columns, repeated on every row of a declaration, and the path of each in a draft. */
const headerPaths: readonly (readonly [ClearwayColumn, string])[] = [
  ['type', 'type'],
  ['date', 'date'],
  ['office', 'office'],
  ['declarant', 'declarant'],
  ['seller', 'seller'],
  ['buyer', 'buyer'],
  ['courier', 'courier'],
  ['transport_mode', 'transportMode'],
  ['dispatch_country', 'dispatchCountry'],
  ['origin_country', 'originCountry'],
  ['currency', 'currency'],
  ['invoice_total', 'invoiceTotal'],
  ['procedure', 'procedure'],
  ['additional_procedure', 'additionalProcedure'],
  ['payment_method', 'paymentMethod'],
  ['processing_mode', 'processingMode'],
  ['ucr', 'ucr'],
  ['transport_document', 'transportDocument'],
  ['transport_document_type', 'transportDocumentType'],
  ['exporter', 'exporter'],
  ['destination_country', 'destinationCountry'],
  ['incoterm', 'incoterm'],
  ['control_outcome', 'control_outcome'],
  ['irregularity', 'irregularity'],
];

/** The declaration being read, with the key of its rows and its first row (kept apart, so it is handed on as it is). */
interface Pending {
  key: string;
  first: readonly string[];
  parsed: ParsedDeclaration;
}
type Out = (ParsedDeclaration | UnreadableRow)[];

/**
 * A row that could not be read, waiting for the row after it: `key` is the trader and functional
 * reference it seems to carry (null when they cannot be read), `attached` whether the declaration
 * before it took it.
 */
interface Unplaced {
  line: number;
  reason: string;
  key: string | null;
  attached: boolean;
}

export function clearwayReader(): FormatReader {
  let index = {} as Record<ClearwayColumn, number>;
  let width = 0;
  let pending: Pending | null = null;
  let unplaced: Unplaced[] = [];

  const take = (): ParsedDeclaration[] => {
    if (!pending) return [];
    const done = pending.parsed;
    pending = null;
    return [done];
  };

  /** A row that cannot be read, of the declaration with `key` (null: cannot be told). */
  const unreadable = (line: number, reason: string, key: string | null): Out => {
    if (pending && key === pending.key) {
      pending.parsed.rowFindings.push({ line, path: 'row', code: 'unreadable_row', message: reason });
      return [];
    }
    const attached = pending !== null && key === null;
    if (pending && attached)
      pending.parsed.rowFindings.push({
        line,
        path: 'row',
        code: 'unreadable_row',
        message: unknownOwner(reason),
      });
    unplaced.push({ line, reason, key, attached });
    return [];
  };

  /** The rows that could not be read before a new declaration: taken by it, or rejected alone. */
  const place = (next: ParsedDeclaration | null, nextKey = ''): Out => {
    if (unplaced.length === 0) return [];
    const alone: Out = [];
    for (const u of unplaced) {
      if (next && u.key === nextKey) {
        next.rowFindings.push({ line: u.line, path: 'row', code: 'unreadable_row', message: u.reason });
      } else if (next && u.key === null) {
        if (!u.attached)
          next.rowFindings.push({
            line: u.line,
            path: 'row',
            code: 'unreadable_row',
            message: unknownOwner(u.reason),
          });
        next.rowFindings.push({
          line: next.line,
          path: 'row',
          code: 'unreadable_row_before',
          message: `line ${u.line} just before this declaration could not be read and may have been one of its rows`,
        });
      } else if (!u.attached) alone.push({ line: u.line, reason: u.reason });
    }
    unplaced = [];
    return alone;
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
        const trader = fields[index.trader];
        const ref = fields[index.functional_reference];
        const key = trader && ref ? `${trader}\u0000${ref}` : null;
        return unreadable(line, `row ${line} has ${fields.length} fields, the header has ${width}`, key);
      }
      const key = keyOf(fields, index);
      if (pending && pending.key === key) {
        const alone = place(null);
        pending.parsed.lines.push(line);
        sameHeader(pending, fields, index, line);
        addItem(pending.parsed, fields, index);
        return alone;
      }
      const done: Out = take();
      const next = header(fields, index, line);
      addItem(next, fields, index);
      for (const alone of place(next, key)) done.push(alone);
      pending = { key, first: fields, parsed: next };
      return done;
    },
    unreadable: (line, reason) => unreadable(line, reason, null),
    // a whole row takes the rows that could not be read before it, or rejects them: none is left
    startsDeclaration: (previous, row) =>
      previous.length === width && row.length === width && keyOf(previous, index) !== keyOf(row, index),
    end() {
      const done: Out = take();
      for (const alone of place(null)) done.push(alone);
      return done;
    },
  };
}

const unknownOwner = (reason: string) =>
  `${reason}; which declaration it belongs to cannot be told, so the declarations on both sides of it are rejected`;

/** Every header field of a later row must repeat the first row's; a row that differs is named. */
function sameHeader(d: Pending, fields: readonly string[], index: Index, line: number): void {
  for (const [column, path] of headerPaths) {
    const at = index[column];
    if (at === -1 || fields[at] === d.first[at]) continue;
    const given = fields[at] ?? '';
    const first = d.first[at] ?? '';
    d.parsed.rowFindings.push({
      line,
      path,
      code: 'inconsistent_header',
      message: `row ${line} ${given === '' ? `leaves ${column} empty` : `gives ${column} "${given.slice(0, 40)}"`}, where the declaration's first row (line ${d.parsed.line}) ${first === '' ? 'leaves it empty' : `gives "${first.slice(0, 40)}"`}: every row of a declaration repeats its header`,
    });
  }
}

type Index = Record<ClearwayColumn, number>;

/** The rows of one declaration carry the same trader and functional reference. */
const keyOf = (fields: readonly string[], index: Index) =>
  `${fields[index.trader]}\u0000${fields[index.functional_reference]}`;

function cellOf(fields: readonly string[], index: Index, c: ClearwayColumn): string | undefined {
  return index[c] === -1 ? undefined : fields[index[c]];
}

function header(fields: readonly string[], index: Index, line: number): ParsedDeclaration {
  const findings: Finding[] = [];
  const parsed: ParsedDeclaration = {
    line,
    lines: [line],
    edgeFindings: findings,
    rowFindings: [],
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
      ucr: textCell(cellOf(fields, index, 'ucr')),
      transportDocument: textCell(cellOf(fields, index, 'transport_document')),
      transportDocumentType: textCell(cellOf(fields, index, 'transport_document_type')),
      exporter: textCell(cellOf(fields, index, 'exporter')),
      destinationCountry: textCell(cellOf(fields, index, 'destination_country')),
      incoterm: textCell(cellOf(fields, index, 'incoterm')),
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
