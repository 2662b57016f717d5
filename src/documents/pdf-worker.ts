/**
 * The PDF worker thread: reads the PDFs the reading thread posts it, one at a time, and posts back
 * their text (and the images of their pages without text), or why they could not be read. pdf.js
 * runs here, so that a hostile PDF meets this thread's memory limit and the reading thread's
 * time limit (pdf-worker-client.ts), never the server's own thread.
 */
import { parentPort } from 'node:worker_threads';
import { DocumentError, type DocumentProblem } from './document-error.ts';
import { readPdfText, type PdfText } from './pdf-text.ts';

export interface PdfJob {
  bytes: Uint8Array;
  maxPages: number;
  renderScans: boolean;
}

export type PdfReply =
  | { ok: true; pdf: PdfText }
  | { ok: false; code: DocumentProblem; message: string }
  | { ok: false; code?: undefined; message: string };

async function reply(job: PdfJob): Promise<PdfReply> {
  try {
    return { ok: true, pdf: await readPdfText(job.bytes, job.maxPages, { renderScans: job.renderScans }) };
  } catch (error) {
    if (error instanceof DocumentError) return { ok: false, code: error.code, message: error.message };
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

const port = parentPort;
if (port)
  port.on('message', (job: PdfJob) => {
    void reply(job).then((r) => port.postMessage(r, r.ok ? r.pdf.scans.map((s) => s.png.buffer) : []));
  });
