/** Starts an import worker for a file and turns its messages back into batches, with backpressure. */
import { Worker } from 'node:worker_threads';
import { HeaderError } from './formats/format.ts';
import type { WorkerInput, WorkerMessage } from './import-worker.ts';
import type { ImportFormat, PreparedBatch } from './prepare.ts';
import type { ValidationContext } from './validate/index.ts';

/** A JavaScript entry that registers the TypeScript loader in the worker before loading it. */
const workerUrl = new URL('./import-worker.mjs', import.meta.url);

export async function* prepareInWorker(
  file: string,
  format: ImportFormat,
  validation: ValidationContext & { referenceDir: string },
  batchSize?: number,
): AsyncGenerator<PreparedBatch> {
  const data: WorkerInput = {
    file,
    format,
    referenceDir: validation.referenceDir,
    unitValues: [...validation.unitValues.bands],
    offices: validation.offices.all(),
    today: validation.today,
    ...(batchSize ? { batchSize } : {}),
  };
  const worker = new Worker(workerUrl, {
    workerData: data,
    // a larger young generation: batches are short-lived garbage, so fewer survive to be promoted
    resourceLimits: { maxYoungGenerationSizeMb: Number(process.env.YG ?? 16) },
  });
  const queue: WorkerMessage[] = [];
  let notify: (() => void) | null = null;
  let failure: Error | null = null;
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m);
    notify?.();
  });
  worker.on('error', (e) => {
    failure = e;
    notify?.();
  });
  worker.on('exit', (code) => {
    if (code !== 0) failure ??= new Error(`the import worker stopped with code ${code}`);
    notify?.();
  });
  try {
    for (;;) {
      const message = queue.shift();
      if (!message) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (notify = () => ((notify = null), resolve())));
        continue;
      }
      if (message.kind === 'done') return;
      if (message.kind === 'error')
        throw message.header ? new HeaderError(message.message) : new Error(message.message);
      yield message.batch;
      worker.postMessage('stored'); // one more batch may be prepared ahead
    }
  } finally {
    await worker.terminate();
  }
}
