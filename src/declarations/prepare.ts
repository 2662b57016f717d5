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
  line: number;
  reference?: string;
  findings: Pick<Finding, 'path' | 'code' | 'message'>[];
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
        findings: [{ path: 'row', code: 'unreadable_row', message: parsed.reason }],
      });
      return;
    }
    const result = validateDeclaration(parsed.draft, validation, parsed.edgeFindings);
    if (!result.ok) {
      const { functionalReference: reference, trader, declarant, date } = parsed.draft;
      batch.rejected.push({
        line: parsed.line,
        ...(reference ? { reference } : {}),
        findings: result.error.findings.filter((f) => f.severity === 'error'),
        quality: {
          ...outcomeOf(trader ?? '', date, validation.today, result.error.findings),
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
      if ('error' in row)
        batch.rejected.push({
          line: row.line,
          findings: [{ path: 'row', code: 'unreadable_row', message: row.error }],
        });
      else for (const parsed of reader.row(row.fields, row.line)) take(parsed);
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
