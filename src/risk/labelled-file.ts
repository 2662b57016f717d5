/**
 * Reads a file of declarations with control results (KCS or clearway CSV) into labelled
 * declarations for training and evaluation. Rows that do not validate are counted and skipped.
 * A file's rows have no extras (features.ts): no partner's export record is matched to them, so
 * their mirror value ratio is NaN.
 */
import { createReadStream } from 'node:fs';
import { readCsv } from '../declarations/formats/csv-reader.ts';
import { HeaderError, type ParsedDeclaration, type UnreadableRow } from '../declarations/formats/format.ts';
import { importFormats, type ImportFormat } from '../declarations/prepare.ts';
import { validateDeclaration, type ValidationContext } from '../declarations/validate/index.ts';
import type { Labelled } from './features.ts';

export interface LabelledFile {
  rows: Labelled[];
  /** Rows without a control result, or that did not validate. */
  skipped: number;
}

export async function readLabelledFile(
  file: string,
  format: ImportFormat,
  validation: ValidationContext,
): Promise<LabelledFile> {
  const reader = importFormats[format]();
  const rows: Labelled[] = [];
  let skipped = 0;
  let headerSeen = false;
  const take = (parsed: ParsedDeclaration | UnreadableRow) => {
    if ('reason' in parsed || !parsed.control || parsed.rowFindings.length > 0) return void skipped++;
    const result = validateDeclaration(parsed.draft, validation, parsed.edgeFindings);
    if (!result.ok) return void skipped++;
    const control = parsed.control;
    rows.push({
      declaration: result.value.declaration,
      fraud: control.outcome === 'non_compliant' ? 1 : 0,
      critical: control.severity >= 2 ? 1 : 0,
    });
  };
  for await (const chunk of readCsv(createReadStream(file, { highWaterMark: 1 << 20 }))) {
    for (const row of chunk) {
      if (!headerSeen) {
        if ('error' in row) throw new HeaderError(`${file}: the header row cannot be read: ${row.error}`);
        const problem = reader.start(row.fields);
        if (problem) throw new HeaderError(`${file}: ${problem}`);
        headerSeen = true;
      } else if ('error' in row) reader.unreadable(row.line, row.error).forEach(take);
      else reader.row(row.fields, row.line).forEach(take);
    }
  }
  if (!headerSeen) throw new HeaderError(`${file} is empty`);
  reader.end().forEach(take);
  return { rows, skipped };
}
