/**
 * Prepares a file in worker threads and turns their pieces back into batches, in file order, with
 * backpressure. The file is cut into parts of about `partBytes` at line starts; each worker takes
 * every n-th part. A part ends, and the next starts, at the first row after the cut where a
 * declaration certainly starts, which the worker before the cut reads on to and the worker after it
 * looks for from the cut: when both name the same row, the parts joined give what the whole file
 * read in one go gives. When they do not (a quoted field that runs over lines across the cut), the
 * rest of the file is prepared by one worker from the row the earlier part ended at.
 */
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { HeaderError } from './formats/format.ts';
import type { PartTask, ToWorker, WorkerInput, WorkerMessage } from './import-worker.ts';
import { Batcher, type ImportFormat, type PreparedBatch, type PreparedPiece } from './prepare.ts';
import type { ValidationContext } from './validate/index.ts';

/** A JavaScript entry that registers the TypeScript loader in the worker before loading it. */
const workerUrl = new URL('./import-worker.mjs', import.meta.url);

export interface WorkerOptions {
  batchSize?: number;
  /** Worker threads preparing the file (default: see `preparingWorkers`). */
  workers?: number;
  /** About how many bytes of the file a part holds (default 8 MiB). */
  partBytes?: number;
}

/**
 * Worker threads to prepare a file with: every core but one, which stores, up to 4; at least one.
 * CLEARWAY_IMPORT_WORKERS sets it.
 */
export function preparingWorkers(): number {
  const set = Number(process.env.CLEARWAY_IMPORT_WORKERS);
  if (Number.isInteger(set) && set >= 1) return Math.min(set, 16);
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

const defaultPartBytes = 8 << 20;
/** Accepted declarations a worker posts at a time. */
const pieceSize = 1_000;
/** Pieces a worker may post ahead of what has been taken from it: a part's worth and some. */
const credits = 40;

/** Where each part starts: byte offset and line, at line starts about `partBytes` apart. */
async function cutsOf(file: string, partBytes: number): Promise<{ offset: number; line: number }[]> {
  const cuts = [{ offset: 0, line: 1 }];
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    let at = 0;
    let line = 1;
    let nextCut = partBytes;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, at);
      if (bytesRead === 0) break;
      for (let nl = buffer.indexOf(10); nl !== -1 && nl < bytesRead; nl = buffer.indexOf(10, nl + 1)) {
        line++;
        const offset = at + nl + 1;
        if (offset >= nextCut) {
          cuts.push({ offset, line });
          nextCut = offset + partBytes;
        }
      }
      at += bytesRead;
    }
    // a part that starts at the end of the file holds nothing
    const last = cuts.at(-1);
    if (cuts.length > 1 && last && last.offset >= at) cuts.pop();
  } finally {
    await handle.close();
  }
  return cuts;
}

interface Pool {
  input: WorkerInput;
  workers: Worker[];
  queues: WorkerMessage[][];
  failures: (Error | null)[];
  notify: (() => void) | null;
}

function startWorker(pool: Pool): number {
  const w = pool.workers.length;
  const worker = new Worker(workerUrl, {
    workerData: pool.input,
    // a larger young generation: pieces are short-lived garbage, so fewer survive to be promoted
    resourceLimits: { maxYoungGenerationSizeMb: 16 },
  });
  pool.workers.push(worker);
  pool.queues.push([]);
  pool.failures.push(null);
  const wake = () => pool.notify?.();
  worker.on('message', (m: WorkerMessage) => {
    pool.queues[w]?.push(m);
    wake();
  });
  worker.on('error', (e) => {
    pool.failures[w] = e;
    wake();
  });
  worker.on('exit', (code) => {
    if (code !== 0) pool.failures[w] ??= new Error(`the import worker stopped with code ${code}`);
    wake();
  });
  return w;
}

export async function* prepareInWorker(
  file: string,
  format: ImportFormat,
  validation: ValidationContext & { referenceDir: string },
  options: WorkerOptions = {},
): AsyncGenerator<PreparedBatch> {
  const partBytes = options.partBytes ?? defaultPartBytes;
  const { size } = await stat(file);
  const wanted = Math.max(1, Math.min(options.workers ?? preparingWorkers(), Math.ceil(size / partBytes)));
  const pool: Pool = {
    input: {
      file,
      format,
      referenceDir: validation.referenceDir,
      unitValues: [...validation.unitValues.bands],
      offices: validation.offices.all(),
      today: validation.today,
      credits,
    },
    workers: [],
    queues: [],
    failures: [],
    notify: null,
  };
  for (let i = 0; i < wanted; i++) startWorker(pool);
  const send = (w: number, m: ToWorker) => pool.workers[w]?.postMessage(m);

  /** The next piece worker `w` posted, in the order it posted them; what it reports failing, thrown. */
  const nextOf = async (w: number): Promise<PreparedPiece> => {
    for (;;) {
      const message = pool.queues[w]?.shift();
      if (message) {
        if (message.kind === 'error')
          throw message.header ? new HeaderError(message.message) : new Error(message.message);
        return message.piece;
      }
      const failure = pool.failures[w];
      if (failure) throw failure;
      await new Promise<void>((resolve) => (pool.notify = () => ((pool.notify = null), resolve())));
    }
  };

  const batches = new Batcher(options.batchSize ?? 10_000);
  try {
    const cuts = wanted === 1 ? [{ offset: 0, line: 1 }] : await cutsOf(file, partBytes);
    const task = (index: number): PartTask => {
      const cut = cuts[index] ?? { offset: 0, line: 1 };
      const next = cuts[index + 1];
      return {
        kind: 'part',
        index,
        offset: cut.offset,
        line: cut.line,
        part: { pieceSize, ...(next ? { until: next.line } : {}) },
      };
    };
    const n = pool.workers.length;
    const workerOf = (index: number) => index % n;
    for (let k = 0; k < Math.min(n, cuts.length); k++) send(workerOf(k), task(k));
    /** The line of the row part k must start at: where part k - 1 ended. */
    let expected = 1;

    let rowsBefore = 0;
    /** The worker preparing the rest of the file alone, once parts did not join. */
    let alone: number | null = null;
    for (let k = 0; ;) {
      const w = alone ?? workerOf(k);
      if (alone === null && k + n < cuts.length) send(w, task(k + n)); // queued behind part k
      let verified = k === 0 || alone !== null;
      let piece: PreparedPiece | null = null;
      while (!piece?.end) {
        const next: PreparedPiece = await nextOf(w);
        piece = next;
        if (!verified) {
          if (piece.first !== expected) {
            // the part did not start at the row the part before ended at: the rest is prepared alone
            for (const worker of pool.workers) void worker.terminate();
            alone = startWorker(pool);
            send(alone, { kind: 'part', index: k, offset: 0, line: 1, part: { pieceSize, start: expected } });
            piece = null;
            break;
          }
          verified = true;
        }
        for (const batch of batches.add(next, rowsBefore)) yield batch;
        send(w, { kind: 'taken' });
      }
      if (!piece?.end) continue; // part k again, from the worker preparing the rest alone
      rowsBefore += piece.rows;
      if (piece.end.next === null) break;
      expected = piece.end.next;
      k++;
    }
    yield batches.end(rowsBefore);
  } finally {
    await Promise.all(pool.workers.map((w) => w.terminate()));
  }
}
