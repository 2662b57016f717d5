/**
 * Documents for the documents' tests: small files of each accepted type, a generated invoice of a
 * declaration (with a text layer or scanned), and attaching one over HTTP with its bytes as the body.
 */
import type { DeclarationInput } from '../declarations/model.ts';
import { generateInvoice, type Injection } from '../documents/generate/invoice.ts';
import { invoiceImage } from '../documents/generate/image.ts';
import { invoicePdf, scannedPdf } from '../documents/generate/pdf.ts';
import type { TestServer } from './harness.ts';

/** A one-page PDF naming an invoice (enough for its type: it starts with %PDF-). */
export const aPdf = (text = 'Commercial invoice INV-2026-0113'): Buffer =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );

/** A PNG's signature and header chunk, then bytes no text holds. */
export const aPng = (): Buffer =>
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
  ]);

/** What a document attachment answers. */
export interface Attached {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** Attaches `bytes` to declaration `id` as `token`, sent with `contentType` (none when null). */
export async function attach(
  server: TestServer,
  token: string,
  id: number,
  bytes: Buffer,
  options: { kind?: string; filename?: string; contentType?: string | null } = {},
): Promise<Attached> {
  const query = new URLSearchParams({
    kind: options.kind ?? 'invoice',
    filename: options.filename ?? 'invoice.pdf',
  });
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  const contentType = options.contentType === undefined ? 'application/pdf' : options.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  const response = await fetch(`${server.url}/api/declarations/${id}/documents?${query}`, {
    method: 'POST',
    headers,
    body: bytes,
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: response.headers,
  };
}

/** A document's bytes as `token` downloads them. */
export async function download(
  server: TestServer,
  token: string,
  id: number,
): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const response = await fetch(`${server.url}/api/documents/${id}/content`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: response.status,
    bytes: Buffer.from(await response.arrayBuffer()),
    headers: response.headers,
  };
}

/**
 * The generated invoice (documents/generate/) of a stored declaration as a PDF with a text layer,
 * with the `inject`ed discrepancies.
 */
export async function anInvoicePdf(
  declaration: DeclarationInput,
  inject: readonly Injection[] = [],
  seed = 7,
): Promise<Buffer> {
  return Buffer.from(await invoicePdf(generateInvoice(declaration, seed, inject).layout));
}

/** The same invoice scanned (a PNG at about 160 dpi) and saved as a PDF without a text layer. */
export async function aScannedInvoicePdf(
  declaration: DeclarationInput,
  inject: readonly Injection[] = [],
  seed = 7,
): Promise<Buffer> {
  const { layout } = generateInvoice(declaration, seed, inject);
  return Buffer.from(await scannedPdf(layout, invoiceImage(layout, { format: 'png', seed }), 'png'));
}
