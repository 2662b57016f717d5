/**
 * The Korea Customs Service declaration format (docs/kcs-mapping.md): one row per declaration with
 * a single goods item, in KRW, with the inspection outcome in `Fraud` and `Critical Fraud`.
 */
import type { Finding } from '../model.ts';
import { columnIndex, numberCell, textCell, type FormatReader, type ParsedDeclaration } from './format.ts';

export const kcsColumns = [
  'Declaration ID',
  'Date',
  'Office ID',
  'Process Type',
  'Import Type',
  'Import Use',
  'Payment Type',
  'Mode of Transport',
  'Declarant ID',
  'Importer ID',
  'Seller ID',
  'Courier ID',
  'HS6 Code',
  'Country of Departure',
  'Country of Origin',
  'Tax Rate',
  'Tax Type',
  'Country of Origin Indicator',
  'Net Mass',
  'Item Price',
  'Fraud',
  'Critical Fraud',
] as const;
type KcsColumn = (typeof kcsColumns)[number];

const optionalColumns: readonly KcsColumn[] = ['Fraud', 'Critical Fraud', 'Courier ID', 'Seller ID'];

export const kcsCurrency = 'KRW';

export function kcsReader(): FormatReader {
  let index = {} as Record<KcsColumn, number>;
  let width = 0;
  return {
    start(header) {
      const found = columnIndex(
        header,
        kcsColumns,
        kcsColumns.filter((c) => !optionalColumns.includes(c)),
      );
      if (found.missing.length) return `the KCS file lacks the column(s): ${found.missing.join(', ')}`;
      index = found.index;
      width = header.length;
      return null;
    },
    row(fields, line) {
      if (fields.length !== width)
        return [{ line, reason: `row ${line} has ${fields.length} fields, the header has ${width}` }];
      return [toDeclaration(fields, line, index)];
    },
    // every row is a declaration of its own: an unreadable row takes no other with it
    unreadable: (line, reason) => [{ line, reason }],
    end: () => [],
    startsDeclaration: (previous, row) => previous.length === width && row.length === width,
  };
}

/**
 * The KCS files write office codes as numbers (`30`, `100`): Clearway keeps them as the three-digit
 * codes of its office list (`030`, `100`), so the same office has one code whatever the source.
 */
export function kcsOffice(cell: string | undefined): string | undefined {
  return cell !== undefined && shortOffice.test(cell) ? cell.padStart(3, '0') : cell;
}

const shortOffice = /^\d{1,2}$/;

function cellOf(f: readonly string[], ix: Record<KcsColumn, number>, c: KcsColumn): string | undefined {
  return ix[c] === -1 ? undefined : f[ix[c]];
}

function toDeclaration(f: readonly string[], line: number, ix: Record<KcsColumn, number>): ParsedDeclaration {
  const findings: Finding[] = [];
  const origin = textCell(cellOf(f, ix, 'Country of Origin'));
  const value = numberCell(cellOf(f, ix, 'Item Price'), 'items[0].value', findings);
  const parsed: ParsedDeclaration = {
    line,
    lines: [line],
    edgeFindings: findings,
    rowFindings: [],
    draft: {
      type: 'IM',
      functionalReference: textCell(cellOf(f, ix, 'Declaration ID')),
      date: textCell(cellOf(f, ix, 'Date')),
      office: kcsOffice(textCell(cellOf(f, ix, 'Office ID'))),
      processingMode: textCell(cellOf(f, ix, 'Process Type')),
      procedure: textCell(cellOf(f, ix, 'Import Type')),
      additionalProcedure: textCell(cellOf(f, ix, 'Import Use')),
      paymentMethod: textCell(cellOf(f, ix, 'Payment Type')),
      transportMode: textCell(cellOf(f, ix, 'Mode of Transport')),
      declarant: textCell(cellOf(f, ix, 'Declarant ID')),
      trader: textCell(cellOf(f, ix, 'Importer ID')),
      seller: textCell(cellOf(f, ix, 'Seller ID')),
      courier: textCell(cellOf(f, ix, 'Courier ID')),
      dispatchCountry: textCell(cellOf(f, ix, 'Country of Departure')),
      originCountry: origin,
      currency: kcsCurrency,
      invoiceTotal: value,
      items: [
        {
          sequence: 1,
          hsCode: textCell(cellOf(f, ix, 'HS6 Code')),
          originCountry: origin,
          dutyRate: numberCell(cellOf(f, ix, 'Tax Rate'), 'items[0].dutyRate', findings),
          dutyTaxType: textCell(cellOf(f, ix, 'Tax Type')),
          originIndicator: textCell(cellOf(f, ix, 'Country of Origin Indicator')),
          netMass: numberCell(cellOf(f, ix, 'Net Mass'), 'items[0].netMass', findings),
          value,
        },
      ],
    },
  };
  const fraud = cellOf(f, ix, 'Fraud');
  if (fraud === '0' || fraud === '1') {
    const critical = cellOf(f, ix, 'Critical Fraud');
    parsed.control = {
      outcome: fraud === '1' ? 'non_compliant' : 'compliant',
      severity: critical === '2' ? 2 : fraud === '1' ? 1 : 0,
    };
  } else if (fraud !== undefined && fraud !== '') {
    findings.push({
      path: 'Fraud',
      code: 'invalid_label',
      message: `Fraud must be 0 or 1, got "${fraud.slice(0, 20)}"`,
      severity: 'error',
      layer: 'format',
    });
  }
  return parsed;
}
