/**
 * Optical character recognition of page images with tesseract.js: one worker thread, started once
 * and reused, with the English LSTM model shipped in `@tesseract.js-data/eng`. Nothing is
 * downloaded: the model is read from node_modules, and nothing is cached to disk.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { DocumentError, DocumentProblem } from './document-error.ts';
import type { Box } from './extraction.ts';
import { imageSize } from './image-size.ts';
import { documentTypeOf } from './content-type.ts';

/** A word OCR read, with its region in pixels. */
export interface OcrWord {
  text: string;
  box: Box;
}

/** A line OCR read: its text, region, confidence (0 to 100) and words. */
export interface OcrLine {
  text: string;
  box: Box;
  confidence: number;
  words?: OcrWord[];
}

/** Reads the text of page images; one engine serves one image at a time. */
export interface OcrEngine {
  recognise(image: Uint8Array): Promise<{ lines: OcrLine[]; width: number; height: number }>;
  /** Whether it was closed, or ended itself on an image it could not read in time: open another. */
  readonly ended: boolean;
  close(): Promise<void>;
}

/** The longest one image may take: past it the engine's worker is ended, and the image refused. */
export const ocrTimeoutMs = 120_000;

/** The folder holding eng.traineddata.gz inside node_modules. */
function englishModelFolder(): string {
  return path.dirname(
    fileURLToPath(import.meta.resolve('@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz')),
  );
}

interface Bbox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
const boxOf = (b: Bbox): Box => ({ x: b.x0, y: b.y0, width: b.x1 - b.x0, height: b.y1 - b.y0 });

/** Starts the OCR worker (about a second); close() ends it. */
export async function openOcr(): Promise<OcrEngine> {
  const worker: Worker = await createWorker('eng', OEM.LSTM_ONLY, {
    langPath: englishModelFolder(),
    gzip: true,
    cacheMethod: 'none',
    // a failed recognition reaches the caller as its rejected promise; without a handler
    // tesseract.js would also throw from its message listener and end the process
    errorHandler: () => undefined,
  });
  let ended = false;
  return {
    get ended() {
      return ended;
    },
    async recognise(image) {
      const type = documentTypeOf(image);
      if (type !== 'image/png' && type !== 'image/jpeg')
        throw new DocumentError(DocumentProblem.UnreadableImage, 'OCR reads PNG and JPEG images only');
      const size = imageSize(image, type);
      if (ended) throw new Error('the OCR engine has ended');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          ended = true;
          void worker.terminate();
          reject(
            new DocumentError(
              DocumentProblem.UnreadableImage,
              `the image could not be read within ${ocrTimeoutMs / 1000} s`,
            ),
          );
        }, ocrTimeoutMs);
      });
      const reading = worker.recognize(Buffer.from(image), {}, { blocks: true, text: false }).catch(() => {
        throw new DocumentError(DocumentProblem.UnreadableImage, 'the image could not be decoded');
      });
      const result = await Promise.race([reading, late]).finally(() => clearTimeout(timer));
      const lines: OcrLine[] = [];
      for (const block of result.data.blocks ?? [])
        for (const paragraph of block.paragraphs)
          for (const line of paragraph.lines)
            lines.push({
              text: line.text.trim(),
              box: boxOf(line.bbox),
              confidence: line.confidence,
              words: line.words.map((w) => ({ text: w.text, box: boxOf(w.bbox) })),
            });
      return { lines: lines.filter((l) => l.text !== ''), ...size };
    },
    async close() {
      if (ended) return;
      ended = true;
      await worker.terminate();
    },
  };
}
