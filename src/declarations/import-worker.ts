/**
 * The import worker thread: prepares batches from a file and posts them to the importing thread,
 * keeping at most two batches ahead of what has been stored.
 */
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { loadCatalog } from './catalog.ts';
import { prepareDeclarations, type ImportFormat } from './prepare.ts';
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
  batchSize?: number;
}

export type WorkerMessage =
  | { kind: 'batch'; batch: import('./prepare.ts').PreparedBatch }
  | { kind: 'done' }
  | { kind: 'error'; message: string; header: boolean };

const port = parentPort;
if (!port) throw new Error('import-worker.ts runs as a worker thread');
const input = workerData as WorkerInput;

let credits = 2;
let wake: (() => void) | null = null;
port.on('message', () => {
  credits++;
  wake?.();
});
const credit = () =>
  credits > 0 ? Promise.resolve() : new Promise<void>((resolve) => (wake = () => ((wake = null), resolve())));

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
  const stream = createReadStream(input.file, { highWaterMark: 1 << 20 });
  for await (const batch of prepareDeclarations(stream, input.format, validation, input.batchSize)) {
    await credit();
    credits--;
    port.postMessage({ kind: 'batch', batch } satisfies WorkerMessage);
  }
  port.postMessage({ kind: 'done' } satisfies WorkerMessage);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  port.postMessage({
    kind: 'error',
    message,
    header: error instanceof Error && error.name === 'HeaderError',
  } satisfies WorkerMessage);
}
port.close();
