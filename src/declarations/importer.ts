/**
 * Imports a declaration file: read, parse, validate and store in batches, with constant memory
 * whatever the file size. Rejected rows go to a rejects stream with their reasons.
 */
import type { Readable, Writable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Database } from '../db/database.ts';
import { storeBatch, type BulkRow } from './bulk-store.ts';
import { contentHash } from './content-hash.ts';
import { encodeContent } from './rows.ts';
import { clearwayReader } from './formats/clearway-csv.ts';
import { readCsv } from './formats/csv-reader.ts';
import { HeaderError, type FormatReader, type ParsedDeclaration, type UnreadableRow } from './formats/format.ts';
import { kcsReader } from './formats/kcs-csv.ts';
import type { Finding } from './model.ts';
import { validateDeclaration, type ValidationContext } from './validate/index.ts';

export const importFormats = { kcs: kcsReader, clearway: clearwayReader } as const;
export type ImportFormat = keyof typeof importFormats;

export interface ImportOptions {
  format: ImportFormat;
  /** Recorded as the actor of the lodging events. */
  actor: string;
  /** Where rejected rows are written as CSV (line, functional reference, path, code, message). */
  rejects?: Writable;
  onProgress?: (rows: number) => void;
  batchSize?: number;
}

export interface ImportSummary {
  accepted: number;
  rejected: number;
  duplicates: number;
  seconds: number;
}

export const rejectsHeader = 'line,functional_reference,path,code,message\n';

export async function importDeclarations(
  db: Database,
  validation: ValidationContext,
  input: Readable,
  options: ImportOptions,
): Promise<ImportSummary> {
  const started = performance.now();
  const summary: ImportSummary = { accepted: 0, rejected: 0, duplicates: 0, seconds: 0 };
  const reader: FormatReader = importFormats[options.format]();
  const batchSize = options.batchSize ?? 10_000;
  const source = options.format;
  let batch: BulkRow[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  let rows = 0;
  options.rejects?.write(rejectsHeader);

  const reject = (line: number, ref: string | undefined, findings: readonly Pick<Finding, 'path' | 'code' | 'message'>[]) => {
    summary.rejected++;
    for (const f of findings) options.rejects?.write(csvLine([line, ref ?? '', f.path, f.code, f.message]));
  };
  const flush = async () => {
    const rowsToStore = batch;
    batch = [];
    if (rowsToStore.length === 0) return;
    await inFlight; // at most one batch is being stored while the next one is parsed
    inFlight = storeBatch(db, rowsToStore, { source, actor: options.actor }).then((out) => {
      summary.accepted += out.stored;
      summary.duplicates += out.duplicates.length;
      for (const c of out.conflicts) {
        reject(c.line, c.input.functionalReference, [{ path: 'functionalReference', code: 'functional_reference_conflict', message: 'already used by this trader for a different declaration' }]);
      }
    });
    inFlight.catch(() => undefined); // awaited on the next flush or at the end
  };
  const take = (parsed: ParsedDeclaration | UnreadableRow) => {
    if ('reason' in parsed) return reject(parsed.line, undefined, [{ path: 'row', code: 'unreadable_row', message: parsed.reason }]);
    const result = validateDeclaration(parsed.draft, validation, parsed.edgeFindings);
    if (!result.ok) return reject(parsed.line, parsed.draft.functionalReference, result.error.findings.filter((f) => f.severity === 'error'));
    const { declaration, warnings } = result.value;
    const content = encodeContent(declaration);
    batch.push({ line: parsed.line, input: declaration, warnings, content, contentHash: contentHash(content), ...(parsed.control ? { control: parsed.control } : {}) });
  };

  let headerSeen = false;
  for await (const chunk of readCsv(input)) {
    for (const row of chunk) {
      if (!headerSeen) {
        if ('error' in row) throw new HeaderError(`the header row cannot be read: ${row.error}`);
        const problem = reader.start(row.fields);
        if (problem) throw new HeaderError(problem);
        headerSeen = true;
        continue;
      }
      // let the storage round trips of the previous batch progress while this one is parsed
      if (++rows % 500 === 0) await yieldToLoop();
      if ('error' in row) reject(row.line, undefined, [{ path: 'row', code: 'unreadable_row', message: row.error }]);
      else for (const parsed of reader.row(row.fields, row.line)) take(parsed);
    }
    if (batch.length >= batchSize) await flush();
    options.onProgress?.(rows);
  }
  if (!headerSeen) throw new HeaderError('the file is empty: it has no header row');
  for (const parsed of reader.end()) take(parsed);
  await flush();
  await inFlight;
  summary.seconds = Math.round((performance.now() - started) / 10) / 100;
  return summary;
}

function csvLine(values: readonly (string | number)[]): string {
  return values.map((v) => (typeof v === 'number' || !/[",\n\r]/.test(v) ? String(v) : `"${v.replace(/"/g, '""')}"`)).join(',') + '\n';
}
