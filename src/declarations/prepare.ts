/**
 * The CPU half of an import: read CSV rows, parse them in a format, validate, and encode the
 * accepted declarations for COPY. It runs in the importing thread or in a worker thread
 * (import-worker.ts) and yields batches of plain values that either can store.
 */
import type { Readable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { contentHash } from './content-hash.ts';
import { clearwayReader } from './formats/clearway-csv.ts';
import { readCsv } from './formats/csv-reader.ts';
import {
  HeaderError,
  type FormatReader,
  type HistoricalControl,
  type ParsedDeclaration,
  type UnreadableRow,
} from './formats/format.ts';
import { kcsReader } from './formats/kcs-csv.ts';
import { refuseUnstorableText, storable } from './formats/storable-text.ts';
import type { Finding } from './model.ts';
import { outcomeOf, type ValidationOutcome } from './quality-counts.ts';
import { encodeContent } from './rows.ts';
import { validateDeclaration, type ValidationContext } from './validate/index.ts';

export const importFormats = { kcs: kcsReader, clearway: clearwayReader } as const;
export type ImportFormat = keyof typeof importFormats;

/** An accepted declaration, encoded for COPY, with what storing it needs to know. */
export interface EncodedDeclaration {
  line: number;
  trader: string;
  declarant: string;
  reference: string;
  date: string;
  header: string;
  items: string[];
  hash: string;
  /** The warnings as JSON, and how many there are. */
  findings: string;
  warnings: number;
  /** What validation found, for the quality counters. */
  quality: ValidationOutcome;
  control?: HistoricalControl;
}

export interface Rejected {
  /** The line where the declaration (or the unreadable row) starts. */
  line: number;
  reference?: string;
  /** What rejects it, each at the line of the row it concerns (`line` when none is given). */
  findings: (Pick<Finding, 'path' | 'code' | 'message'> & { line?: number })[];
  /** For a row that validation refused: what it found, and the declarant the row names. */
  quality?: ValidationOutcome & { declarant?: string };
}

export interface PreparedBatch {
  accepted: EncodedDeclaration[];
  rejected: Rejected[];
  /** Data rows read so far. */
  rows: number;
}

export async function* prepareDeclarations(
  input: Readable,
  format: ImportFormat,
  validation: ValidationContext,
  batchSize = 10_000,
): AsyncGenerator<PreparedBatch> {
  const reader: FormatReader = importFormats[format]();
  let batch: PreparedBatch = { accepted: [], rejected: [], rows: 0 };
  let rows = 0;
  let headerSeen = false;

  const take = (parsed: ParsedDeclaration | UnreadableRow) => {
    if ('reason' in parsed) {
      batch.rejected.push({
        line: parsed.line,
        findings: [{ path: 'row', code: 'unreadable_row', message: storable(parsed.reason) }],
      });
      return;
    }
    refuseUnstorableText(parsed);
    const result = validateDeclaration(parsed.draft, validation, parsed.edgeFindings);
    if (!result.ok || parsed.rowFindings.length > 0) {
      const { functionalReference: reference, trader, declarant, date } = parsed.draft;
      const found = result.ok ? result.value.warnings : result.error.findings;
      batch.rejected.push({
        line: parsed.line,
        ...(reference ? { reference } : {}),
        findings: rejection(parsed, found),
        quality: {
          ...outcomeOf(trader ?? '', date, validation.today, found),
          ...(declarant === undefined ? {} : { declarant }),
        },
      });
      return;
    }
    const { declaration: d, warnings } = result.value;
    const content = encodeContent(d);
    batch.accepted.push({
      line: parsed.line,
      trader: d.trader,
      declarant: d.declarant,
      reference: d.functionalReference,
      date: d.date,
      header: content.header,
      items: content.items,
      hash: contentHash(content),
      findings: warnings.length ? JSON.stringify(warnings) : '[]',
      warnings: warnings.length,
      quality: outcomeOf(d.trader, d.date, validation.today, warnings),
      ...(parsed.control ? { control: parsed.control } : {}),
    });
  };

  for await (const chunk of readCsv(input)) {
    for (const row of chunk) {
      if (!headerSeen) {
        if ('error' in row) throw new HeaderError(`the header row cannot be read: ${row.error}`);
        const problem = reader.start(row.fields);
        if (problem) throw new HeaderError(problem);
        headerSeen = true;
        continue;
      }
      // let storage round trips in the same thread progress while a batch is prepared
      if (++rows % 500 === 0) await yieldToLoop();
      const parsed =
        'error' in row ? reader.unreadable(row.line, row.error) : reader.row(row.fields, row.line);
      for (const p of parsed) take(p);
    }
    if (batch.accepted.length >= batchSize) {
      batch.rows = rows;
      yield batch;
      batch = { accepted: [], rejected: [], rows };
    }
  }
  if (!headerSeen) throw new HeaderError('the file is empty: it has no header row');
  for (const parsed of reader.end()) take(parsed);
  batch.rows = rows;
  yield batch;
}

const itemIndex = /^items\[(\d+)\]/;

/**
 * The findings that reject a declaration, each at the line of its row: an item's at the row of that
 * item, the header's at the first row. Every other row of the declaration is named too, with the
 * lines that rejected it. Text from the file is never echoed as PostgreSQL could not store it.
 */
function rejection(parsed: ParsedDeclaration, found: readonly Finding[]): Rejected['findings'] {
  const { lines } = parsed;
  const first = lines[0] ?? parsed.line;
  const findings: (Rejected['findings'][number] & { line: number })[] = parsed.rowFindings.map((f) => ({
    ...f,
    message: storable(f.message),
  }));
  for (const f of found) {
    if (f.severity !== 'error') continue;
    const item = itemIndex.exec(f.path);
    const line = (item ? lines[Number(item[1])] : undefined) ?? first;
    findings.push({ line, path: f.path, code: f.code, message: storable(f.message) });
  }
  const named = new Set(findings.map((f) => f.line));
  if (lines.some((line) => !named.has(line))) {
    const at = [...named].sort((a, b) => a - b).join(', ');
    for (const line of lines) {
      if (named.has(line)) continue;
      findings.push({
        line,
        path: 'row',
        code: 'declaration_rejected',
        message: `rejected with the rest of its declaration (from line ${first}) for what was found at line ${at}`,
      });
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}
