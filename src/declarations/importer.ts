/**
 * Imports a declaration file: batches are prepared (read, parse, validate, encode) and stored
 * with COPY, one batch being stored while the next is prepared, so memory stays constant whatever
 * the file size. Rejected rows go to a rejects stream with their reasons. A file on disk is
 * prepared in worker threads (its parts in parallel where there are cores for it), so that
 * preparing and storing use separate cores.
 */
import type { Readable, Writable } from 'node:stream';
import type { Database, Sql } from '../db/database.ts';
import { QualityTally, unattributed } from './quality-counts.ts';
import { storeBatch, type StoredHook } from './bulk-store.ts';
import { prepareInWorker } from './import-worker-client.ts';
import {
  prepareDeclarations,
  type EncodedDeclaration,
  type ImportFormat,
  type PreparedBatch,
  type Rejected,
} from './prepare.ts';
import type { ValidationContext } from './validate/index.ts';

export { importFormats, type ImportFormat, type Rejected } from './prepare.ts';

export interface ImportOptions {
  format: ImportFormat;
  /** Recorded as the actor of the lodging events. */
  actor: string;
  /** Called in each batch's storing transaction (exchange with partners: exchange/bulk.ts). */
  hook?: StoredHook;
  /** Where rejected rows are written as CSV, a line per finding (line, reference, path, code, message). */
  rejects?: Writable;
  /**
   * Decides whether a valid declaration may be stored by whoever imports the file (an upload may
   * hold only the uploader's own declarations); a refusal rejects the row with that finding.
   */
  admit?: (
    d: Pick<EncodedDeclaration, 'trader' | 'declarant' | 'control'>,
  ) => Rejected['findings'][number] | null;
  /** Each rejected row, as it is also written to `rejects`. */
  onReject?: (r: Rejected) => void;
  /** After each batch is handed to storage: data rows read, and the counts so far. */
  onProgress?: (rows: number, summary: Readonly<ImportSummary>) => void;
  /** Awaited once each batch is stored, before the next is handed to storage, with the counts so far. */
  afterStored?: (summary: Readonly<ImportSummary>) => Promise<void>;
  /**
   * The data rows an earlier run of the same file already counted for data quality (an import run
   * again after its server stopped): a batch that ends within them is not counted again.
   */
  qualityCountedRows?: number;
  /** In the transaction that writes a batch's quality counts: the data rows counted so far. */
  onQualityCounted?: (tx: Sql, rows: number) => Promise<void>;
  batchSize?: number;
  /** For a file: the worker threads that prepare it, and about how many bytes each part of it holds. */
  workers?: number;
  partBytes?: number;
}

export interface ImportSummary {
  accepted: number;
  rejected: number;
  duplicates: number;
  seconds: number;
}

export const rejectsHeader = 'line,functional_reference,path,code,message\n';

/** Imports from a stream, preparing in this thread. */
export function importDeclarations(
  db: Database,
  validation: ValidationContext,
  input: Readable,
  options: ImportOptions,
): Promise<ImportSummary> {
  return store(db, prepareDeclarations(input, options.format, validation, options.batchSize), options);
}

/** Imports a file, preparing in worker threads. */
export function importFile(
  db: Database,
  validation: ValidationContext & { referenceDir: string },
  file: string,
  options: ImportOptions,
): Promise<ImportSummary> {
  const { batchSize, workers, partBytes } = options;
  return store(
    db,
    prepareInWorker(file, options.format, validation, {
      ...(batchSize ? { batchSize } : {}),
      ...(workers ? { workers } : {}),
      ...(partBytes ? { partBytes } : {}),
    }),
    options,
  );
}

async function store(
  db: Database,
  batches: AsyncIterable<PreparedBatch>,
  options: ImportOptions,
): Promise<ImportSummary> {
  const started = performance.now();
  const summary: ImportSummary = { accepted: 0, rejected: 0, duplicates: 0, seconds: 0 };
  const reject = (r: Rejected) => {
    summary.rejected++;
    options.onReject?.(r);
    for (const f of r.findings)
      options.rejects?.write(csvLine([f.line ?? r.line, r.reference ?? '', f.path, f.code, f.message]));
  };
  options.rejects?.write(rejectsHeader);
  const meta = { source: options.format, actor: options.actor, hook: options.hook };
  let inFlight: Promise<void> = Promise.resolve();
  let storing = false;
  const stored = async () => {
    await inFlight;
    if (storing) await options.afterStored?.(summary);
    storing = false;
  };
  for await (const batch of batches) {
    await stored(); // at most one batch is being stored while the next one is prepared
    batch.rejected.forEach(reject);
    const tally = batch.rows > (options.qualityCountedRows ?? 0) ? qualityOf(batch, options.admit) : null;
    const decide = options.admit;
    if (decide) batch.accepted = batch.accepted.filter((d) => admit(d, decide, reject));
    inFlight = storeBatch(db, batch.accepted, meta).then(async (out) => {
      // after the batch is stored, so that a batch that fails to store is not counted
      if (tally)
        await db.transaction(async (tx) => {
          await tally.write(tx);
          await options.onQualityCounted?.(tx, batch.rows);
        });
      summary.accepted += out.stored;
      summary.duplicates += out.duplicates.length;
      for (const c of out.conflicts) {
        reject({
          line: c.line,
          reference: c.reference,
          findings: [
            {
              path: 'functionalReference',
              code: 'functional_reference_conflict',
              message: 'already used by this trader for a different declaration',
            },
          ],
        });
      }
    });
    inFlight.catch(() => undefined); // awaited before the next batch or at the end
    storing = true;
    options.onProgress?.(batch.rows, summary);
  }
  await stored();
  summary.seconds = Math.round((performance.now() - started) / 10) / 100;
  return summary;
}

/**
 * The quality counters of a batch: every row validation accepted or refused. A row the importer may
 * not store for its trader (an upload holding someone else's rows) is counted as unattributed, so a
 * file never lowers the scores of a trader who did not send it.
 */
function qualityOf(batch: PreparedBatch, decide: ImportOptions['admit']): QualityTally {
  const tally = new QualityTally();
  for (const d of batch.accepted) {
    const own = !decide || decide({ trader: d.trader, declarant: d.declarant }) === null;
    tally.add(own ? d.quality : { ...d.quality, trader: unattributed });
  }
  for (const r of batch.rejected) {
    const q = r.quality;
    if (!q) continue;
    const own =
      !decide || (q.declarant !== undefined && decide({ trader: q.trader, declarant: q.declarant }) === null);
    tally.add({ trader: own ? q.trader : unattributed, day: q.day, failures: q.failures });
  }
  return tally;
}

/** True when `decide` admits the declaration; otherwise it is rejected with the refusal. */
function admit(
  d: EncodedDeclaration,
  decide: NonNullable<ImportOptions['admit']>,
  reject: (r: Rejected) => void,
): boolean {
  const refusal = decide(d);
  if (refusal) reject({ line: d.line, reference: d.reference, findings: [refusal] });
  return refusal === null;
}

const needsQuotes = /[",\n\r]/;

function csvLine(values: readonly (string | number)[]): string {
  return (
    values
      .map((v) =>
        typeof v === 'number' || !needsQuotes.test(v) ? String(v) : `"${v.replaceAll('"', '""')}"`,
      )
      .join(',') + '\n'
  );
}
