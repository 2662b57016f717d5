/**
 * Reads PDFs in a worker thread (pdf-worker.ts) under limits: its V8 heap and stack are bounded,
 * and a reading that takes too long, or during which the process's memory grows too far, has its
 * worker ended. The second watch is needed because the buffers pdf.js decodes streams into lie
 * outside the V8 heap: a 1 MB PDF whose content stream inflates to 1 GB of spaces otherwise takes
 * over 2 GB. A PDF that breaks a limit is a DocumentError, and the server's own thread never parses
 * a PDF, so a hostile one can neither stall nor exhaust it. One worker with the default limits is kept between readings (starting one, with
 * the TypeScript loader and pdf.js, takes about half a second) and replaced after a number of
 * readings; a reading while it is busy, or with other limits, gets a worker of its own.
 */
import { Worker } from 'node:worker_threads';
import { DocumentError, DocumentProblem } from './document-error.ts';
import type { PdfText } from './pdf-text.ts';
import type { PdfJob, PdfReply } from './pdf-worker.ts';

/** A JavaScript entry that registers the TypeScript loader in the worker before loading it. */
const workerUrl = new URL('./pdf-worker.mjs', import.meta.url);

/** The limits a PDF is read under. */
export interface PdfLimits {
  /** Longest one reading may take, the worker's start included (ms). */
  timeMs: number;
  /** The worker's V8 heap (old generation), MB. */
  heapMb: number;
  /** The worker's stack, MB. */
  stackMb: number;
  /** How far the process's resident memory may grow during the reading, MB. */
  memoryMb: number;
}

/**
 * An invoice's PDF is read in well under a second, with a few tens of MB (a scanned page's image,
 * about 25 MB more); these leave ample room.
 */
export const defaultPdfLimits: PdfLimits = { timeMs: 60_000, heapMb: 256, stackMb: 4, memoryMb: 512 };

/** How often the process's memory is looked at during a reading (ms). */
const memoryWatchMs = 25;

/** Readings one worker serves before it is replaced, so that nothing pdf.js keeps grows for ever. */
const readingsPerWorker = 100;

interface PdfThread {
  worker: Worker;
  readings: number;
}

/** The worker with the default limits waiting for the next reading, if any. */
let idle: PdfThread | undefined;

function startThread(limits: PdfLimits): PdfThread {
  const worker = new Worker(workerUrl, {
    resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, stackSizeMb: limits.stackMb },
  });
  const thread = { worker, readings: 0 };
  // a worker failing while idle must not throw in this thread; readings listen for themselves
  worker.on('error', () => undefined);
  worker.on('exit', () => {
    if (idle === thread) idle = undefined;
  });
  return thread;
}

const isOutOfMemory = (error: Error) => 'code' in error && error.code === 'ERR_WORKER_OUT_OF_MEMORY';

const tooLarge = (mb: number) =>
  new DocumentError(
    DocumentProblem.UnreadablePdf,
    `the PDF could not be read within the reader's memory limit (${mb} MB)`,
  );

/**
 * Posts `job` to `worker`: its reply, or a rejection when the worker dies, the time is up or the
 * process's memory grows past the limit.
 */
function exchange(worker: Worker, job: PdfJob, limits: PdfLimits): Promise<PdfReply> {
  return new Promise((resolve, reject) => {
    const settle = () => {
      clearTimeout(timer);
      clearInterval(watch);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    };
    const onMessage = (reply: PdfReply) => {
      settle();
      resolve(reply);
    };
    const onError = (error: Error) => {
      settle();
      reject(isOutOfMemory(error) ? tooLarge(limits.heapMb) : error);
    };
    const onExit = (code: number) => {
      settle();
      reject(new Error(`the PDF worker stopped with code ${code}`));
    };
    const timer = setTimeout(() => {
      settle();
      reject(
        new DocumentError(
          DocumentProblem.UnreadablePdf,
          `the PDF could not be read within ${limits.timeMs < 1000 ? `${limits.timeMs} ms` : `${limits.timeMs / 1000} s`}`,
        ),
      );
    }, limits.timeMs);
    const ceiling = process.memoryUsage.rss() + limits.memoryMb * 1024 * 1024;
    const watch = setInterval(() => {
      if (process.memoryUsage.rss() <= ceiling) return;
      settle();
      reject(tooLarge(limits.memoryMb));
    }, memoryWatchMs);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    // the bytes' own copy is moved, not cloned: a view's whole buffer would be cloned with it
    const bytes = new Uint8Array(job.bytes);
    worker.postMessage({ ...job, bytes }, [bytes.buffer]);
  });
}

/**
 * Reads the first `maxPages` pages of a PDF in a worker thread (readPdfText), with `renderScans`
 * rendering its pages without text. A DocumentError for bytes that are no readable PDF or that
 * break the limits.
 */
export async function readPdfInWorker(
  bytes: Uint8Array,
  maxPages: number,
  options: { renderScans?: boolean; limits?: PdfLimits } = {},
): Promise<PdfText> {
  const limits = options.limits ?? defaultPdfLimits;
  const shared = limits === defaultPdfLimits;
  let thread = shared ? idle : undefined;
  if (thread) idle = undefined;
  else thread = startThread(limits);
  thread.worker.ref();
  let reply: PdfReply;
  try {
    reply = await exchange(
      thread.worker,
      { bytes, maxPages, renderScans: options.renderScans ?? false },
      limits,
    );
  } catch (error) {
    // the worker may be stuck in the PDF, or dead: it is never used again
    void thread.worker.terminate();
    throw error;
  }
  thread.readings++;
  if (shared && !idle && thread.readings < readingsPerWorker) {
    thread.worker.unref(); // an idle worker keeps no process alive
    idle = thread;
  } else void thread.worker.terminate();
  if (reply.ok) return reply.pdf;
  throw reply.code
    ? new DocumentError(reply.code, reply.message)
    : new Error(`the PDF worker failed: ${reply.message}`);
}

/** Ends the worker kept between readings, if any (a stopping server's reader calls it). */
export async function closePdfWorker(): Promise<void> {
  const thread = idle;
  idle = undefined;
  await thread?.worker.terminate();
}
