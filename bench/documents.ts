/**
 * `npm run bench:documents`: reading and reviewing commercial invoices generated from demo
 * declarations, as PDFs with a text layer, as scanned images (PNG and JPEG; rotated up to 2°,
 * noise, blur and scanner streaks) and as such scans saved as PDFs without a text layer (rendered
 * and OCR'd page by page), about half with injected discrepancies (value, currency, seller, a
 * quantity). One JSON line per measurement: each field's extraction accuracy against its ceiling
 * (0.95 for PDFs, 0.8 for images and scanned PDFs) with pass or fail, the precision and recall of
 * the discrepancies found against the same targets, and the median pages per second.
 * BENCH_DOCUMENTS_PDFS (default 40), BENCH_DOCUMENTS_IMAGES (default 15) and
 * BENCH_DOCUMENTS_SCANNED_PDFS (default 10) set the counts.
 */
import type { DeclarationInput } from '../src/declarations/model.ts';
import { Random } from '../src/demo/random.ts';
import { extractDocument } from '../src/documents/extract.ts';
import type { InvoiceFields } from '../src/documents/extraction.ts';
import { generateInvoice, Injection, type GeneratedInvoice } from '../src/documents/generate/invoice.ts';
import { invoiceImage } from '../src/documents/generate/image.ts';
import { invoicePdf, scannedPdf } from '../src/documents/generate/pdf.ts';
import { sampleDeclarations } from '../src/documents/generate/samples.ts';
import { openOcr, type OcrEngine } from '../src/documents/ocr.ts';
import { closePdfWorker } from '../src/documents/pdf-worker-client.ts';
import { reviewDocument } from '../src/documents/review.ts';

const pdfCount = Number(process.env.BENCH_DOCUMENTS_PDFS ?? 40);
const imageCount = Number(process.env.BENCH_DOCUMENTS_IMAGES ?? 15);
const scannedPdfCount = Number(process.env.BENCH_DOCUMENTS_SCANNED_PDFS ?? 10);
const ceilings = { pdf: 0.95, image: 0.8, scanned_pdf: 0.8 } as const;
type Kind = keyof typeof ceilings;

/** Names and descriptions compare without case, spacing or punctuation; numbers to the cent. */
const sameText = (a: string | undefined, b: string) =>
  a !== undefined && a.toLowerCase().replace(/[^a-z0-9]/g, '') === b.toLowerCase().replace(/[^a-z0-9]/g, '');
const sameNumber = (a: number | undefined, b: number) => a !== undefined && Math.abs(a - b) < 0.005;

/** Each field's correctness on one invoice; line fields count once per true line. */
function scoreFields(fields: InvoiceFields, { truth }: GeneratedInvoice): Record<string, boolean[]> {
  const lines = truth.lines.map((t, i) => ({ t, l: fields.lines[i] }));
  return {
    number: [fields.number?.value === truth.number],
    date: [fields.date?.value === truth.date],
    seller: [sameText(fields.seller?.value, truth.seller)],
    buyer: [sameText(fields.buyer?.value, truth.buyer)],
    currency: [fields.currency?.value === truth.currency],
    incoterm: [fields.incoterm?.value === truth.incoterm.slice(0, 3)],
    total: [sameNumber(fields.total?.value, truth.total)],
    lineCount: [fields.lines.length === truth.lines.length],
    lineDescription: lines.map(({ t, l }) => sameText(l?.description.value, t.description)),
    lineQuantity: lines.map(({ t, l }) => sameNumber(l?.quantity?.value, t.quantity)),
    lineUnit: lines.map(({ t, l }) => l?.unit?.value === t.unit),
    lineUnitPrice: lines.map(({ t, l }) => sameNumber(l?.unitPrice?.value, t.unitPrice)),
    lineAmount: lines.map(({ t, l }) => sameNumber(l?.amount?.value, t.amount)),
  };
}

/** Injections for the k-th invoice: none for even k, one or two kinds otherwise. */
function injectionsFor(k: number): Injection[] {
  if (k % 2 === 0) return [];
  const random = new Random(k, 41);
  const kinds = Object.values(Injection);
  const first = random.pick(kinds);
  const second = random.chance(0.3) ? random.pick(kinds.filter((x) => x !== first)) : undefined;
  return second ? [first, second] : [first];
}

interface Tally {
  fields: Record<string, boolean[]>;
  tp: number;
  fp: number;
  fn: number;
  ms: number[];
}

const key = (d: { code: string; item?: number }) => (d.code === 'quantity' ? `${d.code}:${d.item}` : d.code);

function tally(t: Tally, declaration: DeclarationInput, invoice: GeneratedInvoice, fields: InvoiceFields) {
  for (const [field, marks] of Object.entries(scoreFields(fields, invoice)))
    t.fields[field] = [...(t.fields[field] ?? []), ...marks];
  const found = new Set(reviewDocument(declaration, fields).map(key));
  const injected = new Set(invoice.injected.map(key));
  for (const k of found)
    if (injected.has(k)) t.tp++;
    else t.fp++;
  for (const k of injected) if (!found.has(k)) t.fn++;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

function report(kind: Kind, t: Tally, documents: number, extra: Record<string, unknown> = {}) {
  const ceiling = ceilings[kind];
  for (const [field, marks] of Object.entries(t.fields)) {
    const accuracy = round(marks.filter(Boolean).length / marks.length);
    const line = {
      bench: 'documents',
      kind,
      measure: 'field_accuracy',
      field,
      accuracy,
      n: marks.length,
      ceiling,
      pass: accuracy >= ceiling,
    };
    process.stdout.write(JSON.stringify(line) + '\n');
  }
  const precision = t.tp + t.fp === 0 ? 1 : round(t.tp / (t.tp + t.fp));
  const recall = t.tp + t.fn === 0 ? 1 : round(t.tp / (t.tp + t.fn));
  const detection = {
    bench: 'documents',
    kind,
    measure: 'discrepancy_detection',
    documents,
    injected: t.tp + t.fn,
    found: t.tp + t.fp,
  };
  process.stdout.write(
    JSON.stringify({
      ...detection,
      precision,
      recall,
      target: ceiling,
      pass: precision >= ceiling && recall >= ceiling,
    }) + '\n',
  );
  const ms = median(t.ms);
  const speed = {
    bench: 'documents',
    kind,
    measure: 'pages_per_second',
    medianMsPerPage: round(ms, 1),
    pagesPerSecond: round(1000 / ms, 2),
    pages: t.ms.length,
  };
  process.stdout.write(JSON.stringify({ ...speed, ...extra }) + '\n');
}

/**
 * The k-th scan: an invoice from `declaration` by `seed`, printed as an image, PNG for even k and
 * JPEG for odd, with noise, blur in about half and scanner streaks in a third.
 */
function scanned(declaration: DeclarationInput, k: number, seed: number) {
  const invoice = generateInvoice(declaration, seed, injectionsFor(k));
  const random = new Random(seed, 43);
  const format = k % 2 === 0 ? 'png' : 'jpeg';
  const image = invoiceImage(invoice.layout, {
    format,
    seed,
    noise: random.between(3, 10),
    blur: random.chance(0.5) ? random.between(0.2, 0.5) : 0,
    artefacts: k % 3 === 0,
  });
  return { invoice, format, image } as const;
}

const declarations = sampleDeclarations(Math.max(pdfCount, imageCount, scannedPdfCount));
const emptyTally = (): Tally => ({ fields: {}, tp: 0, fp: 0, fn: 0, ms: [] });

const pdfs = emptyTally();
for (let k = 0; k < pdfCount; k++) {
  const declaration = declarations[k];
  if (!declaration) break;
  const invoice = generateInvoice(declaration, k, injectionsFor(k));
  const bytes = await invoicePdf(invoice.layout);
  const started = performance.now();
  const { fields } = await extractDocument(bytes, 'application/pdf');
  pdfs.ms.push(performance.now() - started);
  tally(pdfs, declaration, invoice, fields);
}
report('pdf', pdfs, pdfCount);

const opening = performance.now();
const ocr: OcrEngine = await openOcr();
const openMs = Math.round(performance.now() - opening);
const images = emptyTally();
try {
  for (let k = 0; k < imageCount; k++) {
    const declaration = declarations[k];
    if (!declaration) break;
    const { invoice, format, image } = scanned(declaration, k, 1000 + k);
    const started = performance.now();
    const { fields } = await extractDocument(image, format === 'png' ? 'image/png' : 'image/jpeg', { ocr });
    images.ms.push(performance.now() - started);
    tally(images, declaration, invoice, fields);
  }
  report('image', images, imageCount, { ocrStartMs: openMs });

  // the same kind of scans saved as PDFs without a text layer: rendered in the PDF worker, then OCR'd
  const scannedPdfs = emptyTally();
  for (let k = 0; k < scannedPdfCount; k++) {
    const declaration = declarations[k];
    if (!declaration) break;
    const { invoice, format, image } = scanned(declaration, k, 2000 + k);
    const bytes = await scannedPdf(invoice.layout, image, format);
    const started = performance.now();
    const { fields } = await extractDocument(bytes, 'application/pdf', { ocr });
    scannedPdfs.ms.push(performance.now() - started);
    tally(scannedPdfs, declaration, invoice, fields);
  }
  report('scanned_pdf', scannedPdfs, scannedPdfCount);
} finally {
  await ocr.close();
  await closePdfWorker();
}
