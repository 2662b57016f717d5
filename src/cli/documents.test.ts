import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { generateInvoice } from '../documents/generate/invoice.ts';
import { invoicePdf } from '../documents/generate/pdf.ts';
import { sampleDeclarations } from '../documents/generate/samples.ts';

const root = path.resolve(import.meta.dirname, '../..');
let dir = '';
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function clearway(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'bin/clearway.js'), ...args],
      { cwd: root, env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('documents extract prints an invoice PDF’s fields as one JSON line, each with where it was found', async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'clearway-documents-cli-'));
  const [declaration] = sampleDeclarations(1);
  assert.ok(declaration);
  const { truth, layout } = generateInvoice(declaration, 3);
  const file = path.join(dir, 'invoice.bin');
  await writeFile(file, await invoicePdf(layout));
  const { code, stdout, stderr } = await clearway(['documents', 'extract', file, '--json']);
  assert.equal(code, 0, stderr);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const printed = JSON.parse(lines[0] ?? '{}');
  assert.equal(printed.mediaType, 'application/pdf');
  assert.equal(printed.method, 'text-layer');
  assert.equal(printed.fields.number.value, truth.number);
  assert.equal(printed.fields.total.value, truth.total);
  assert.equal(printed.fields.total.page, 1);
  assert.equal(typeof printed.fields.total.box.x, 'number');
  assert.match(printed.fields.total.text, /\d/);
  assert.equal(printed.fields.lines.length, truth.lines.length);
});
