/**
 * An import worker thread: prepares the parts of a file the importing thread gives it, one after
 * the other, and posts their pieces back, each part's in order, keeping at most a few pieces ahead
 * of what the importing thread has taken.
 */
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { loadCatalog } from './catalog.ts';
import { HeaderError } from './formats/format.ts';
import { readCsv } from './formats/csv-reader.ts';
import { preparePart, type ImportFormat, type Part, type PreparedPiece } from './prepare.ts';
import { unitValueStatsFrom, type KeyedBand } from './unit-values.ts';
import { loadReferenceData } from '../reference/reference-data.ts';
import { officeList, type CustomsOffice } from '../reference/offices.ts';

export interface WorkerInput {
  file: string;
  format: ImportFormat;
  referenceDir: string;
  unitValues: KeyedBand[];
  offices: readonly CustomsOffice[];
  today: string;
  /** Pieces posted ahead of what the importing thread has taken. */
  credits: number;
}

/** A part of the file: from byte `offset` (the start of line `line`; 0 and 1 for the file's start). */
export interface PartTask {
  kind: 'part';
  index: number;
  offset: number;
  line: number;
  part: Omit<Part, 'from'>;
}

export type ToWorker = PartTask | { kind: 'taken' };

export type WorkerMessage =
  | { kind: 'piece'; index: number; piece: PreparedPiece }
  | { kind: 'error'; index: number; message: string; header: boolean };

const port = parentPort;
if (!port) throw new Error('import-worker.ts runs as a worker thread');
const input = workerData as WorkerInput;

let credits = input.credits;
let wake: (() => void) | null = null;
const tasks: PartTask[] = [];
port.on('message', (m: ToWorker) => {
  if (m.kind === 'taken') credits++;
  else tasks.push(m);
  wake?.();
});
const until = (ready: () => boolean) =>
  ready()
    ? Promise.resolve()
    : new Promise<void>((resolve) => (wake = () => ready() && ((wake = null), resolve())));

/** The file's header row, for parts that start after it. */
async function readHeader(file: string): Promise<string[]> {
  const stream = createReadStream(file, { highWaterMark: 1 << 16 });
  try {
    for await (const rows of readCsv(stream)) {
      const row = rows[0];
      if (!row) continue;
      if ('error' in row) throw new HeaderError(`the header row cannot be read: ${row.error}`);
      return row.fields;
    }
  } finally {
    stream.destroy();
  }
  throw new HeaderError('the file is empty: it has no header row');
}

let index = -1;
try {
  const [reference, catalog] = await Promise.all([
    loadReferenceData(input.referenceDir),
    loadCatalog(input.referenceDir),
  ]);
  const validation = {
    reference,
    offices: officeList(input.offices),
    wcoIdOf: (p: string) => catalog.wcoIdOf(p),
    unitValues: unitValueStatsFrom(input.unitValues),
    today: input.today,
  };
  let header: string[] | null = null;
  for (;;) {
    await until(() => tasks.length > 0);
    const task = tasks.shift();
    if (!task) continue;
    index = task.index;
    const part: Part =
      task.offset === 0
        ? task.part
        : { ...task.part, from: { line: task.line, header: (header ??= await readHeader(input.file)) } };
    // past the part's end, reading goes on only to the row where the next part starts: small reads
    const stream = createReadStream(input.file, { start: task.offset, highWaterMark: 1 << 18 });
    for await (const piece of preparePart(stream, input.format, validation, part)) {
      await until(() => credits > 0);
      credits--;
      port.postMessage({ kind: 'piece', index, piece } satisfies WorkerMessage);
    }
  }
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  port.postMessage({
    kind: 'error',
    index,
    message,
    header: error instanceof Error && error.name === 'HeaderError',
  } satisfies WorkerMessage);
  port.close();
}
