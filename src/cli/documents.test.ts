import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { generateInvoice } from '../documents/generate/invoice.ts';
import { invoicePdf } from '../documents/generate/pdf.ts';
import { sampleDeclarations } from '../documents/generate/samples.ts';
import { declarationsRepository } from '../declarations/repository.ts';
import { anInvoicePdf, attach } from '../testing/documents.ts';
import { tally } from './documents-read.ts';
import { aDeclaration, createRoleUsers, openTestContext, startTestServer } from '../testing/harness.ts';

const root = path.resolve(import.meta.dirname, '../..');
let dir = '';
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function clearway(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'bin/clearway.js'), ...args],
      { cwd: root, env: { ...process.env, LOG_LEVEL: 'silent', ...env }, timeout: 120_000 },
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

test('documents read reads what is left unread in a stopped server’s database and reports an invoice’s discrepancy', async () => {
  const ctx = await openTestContext('pglite', { CLEARWAY_DOCUMENT_READING: 'false' });
  const dataDir = ctx.config.dataDir;
  try {
    const tokens = await createRoleUsers(ctx);
    const server = await startTestServer(ctx);
    const lodged = await server.request('POST', '/api/declarations', {
      token: tokens.trader,
      body: aDeclaration(),
    });
    assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
    const id = Number(lodged.body.id);
    const input = await declarationsRepository.findById(ctx.db, id, { kind: 'all' });
    assert.ok(input);
    const res = await attach(server, tokens.trader, id, await anInvoicePdf(input, ['value']));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await server.close();
    await ctx.close();

    const env = { CLEARWAY_DATA_DIR: dataDir, CLEARWAY_DEMO: 'false', DATABASE_URL: '' };
    const usage = await clearway(['documents', 'read'], env);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /give --all-unread or --id/);
    const { code, stdout, stderr } = await clearway(['documents', 'read', '--all-unread', '--json'], env);
    assert.equal(code, 0, stderr);
    const printed = JSON.parse(stdout.trim());
    assert.deepEqual([printed.read, printed.failed, printed.discrepancies], [1, 0, 1]);
    assert.equal(printed.documents[0]?.declarationId, id);
    const again = await clearway(['documents', 'read', '--all-unread', '--json'], env);
    assert.equal(JSON.parse(again.stdout.trim()).read, 0, 'nothing is left unread');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('documents read counts a reading another reader superseded apart from the failed ones', () => {
  const outcome = (id: number, read: boolean, discrepancies = 0) => ({
    id,
    declarationId: id,
    read,
    discrepancies,
  });
  assert.deepEqual(
    tally([
      outcome(1, true, 2),
      outcome(2, false),
      { ...outcome(3, false), superseded: true as const },
      outcome(4, true),
    ]),
    { read: 2, failed: 1, superseded: 1, discrepancies: 2 },
  );
});
