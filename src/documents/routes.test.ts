/** Documents over HTTP: attaching, limits, who sees what, the bytes served back, the ledger. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { sealPending } from '../governance/ledger/seal.ts';
import { Role } from '../governance/roles.ts';
import { apiSuite } from '../testing/api-suite.ts';
import { aPdf, aPng, attach, download } from '../testing/documents.ts';
import { otherTrader, storageTargets, testTrader } from '../testing/harness.ts';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const target of storageTargets()) {
  describe(`documents over HTTP (${target})`, () => {
    // the server's reader is off: what attaching stores is tested before anything reads it
    const s = apiSuite(
      target,
      {
        other: { username: 'other-trader', role: Role.Trader, partyId: otherTrader },
        broker: { username: 'broker-b', role: Role.Declarant, partyId: 'BROKER-B', represents: [testTrader] },
      },
      { CLEARWAY_DOCUMENT_READING: 'false' },
    );
    let id = 0;
    before(async () => {
      id = (await s.lodge()).id;
    });

    test('the trader attaches a PDF invoice and finds it in the list', async () => {
      const pdf = aPdf();
      const res = await attach(s.server, s.tokens.trader, id, pdf, { filename: '../scans/INV 0113.pdf' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.kind, 'invoice');
      assert.equal(res.body.filename, 'INV 0113.pdf');
      assert.equal(res.body.mediaType, 'application/pdf');
      assert.equal(res.body.size, pdf.length);
      assert.equal(res.body.sha256, sha256(pdf));
      assert.equal(res.body.uploadedBy, 'trader');
      assert.equal(res.body.readAt, null);
      assert.equal(res.headers.get('location'), `/api/documents/${String(res.body.id)}`);
      const list = await s.call(s.tokens.trader, 'GET', `/api/declarations/${id}/documents`);
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.allowed, ['attach']);
      const docs = list.body.documents as Record<string, unknown>[];
      assert.ok(docs.some((d) => d.id === res.body.id && d.filename === 'INV 0113.pdf'));
    });

    test('the content is served byte for byte, as a download that never runs in the page', async () => {
      const png = aPng();
      const res = await attach(s.server, s.tokens.declarant, id, png, {
        kind: 'certificate_of_origin',
        filename: 'origin "cert".png',
        contentType: 'application/octet-stream',
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.mediaType, 'image/png');
      const got = await download(s.server, s.tokens.trader, Number(res.body.id));
      assert.equal(got.status, 200);
      assert.ok(got.bytes.equals(png));
      assert.equal(got.headers.get('content-type'), 'image/png');
      assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(got.headers.get('content-security-policy'), 'sandbox');
      assert.equal(
        got.headers.get('content-disposition'),
        `attachment; filename="origin _cert_.png"; filename*=UTF-8''origin%20_cert_.png`,
      );
    });

    test('another trader finds neither the declaration’s documents nor a document', async () => {
      const res = await attach(s.server, s.tokens.trader, id, aPdf('for the other trader'));
      assert.equal(res.status, 201);
      const other = s.user('other');
      assert.equal((await s.call(other, 'GET', `/api/declarations/${id}/documents`)).status, 404);
      const one = await s.call(other, 'GET', `/api/documents/${String(res.body.id)}`);
      assert.equal(one.status, 404);
      assert.equal(one.body.error, 'document_not_found');
      assert.equal((await download(s.server, other, Number(res.body.id))).status, 404);
      const refused = await attach(s.server, other, id, aPdf());
      assert.equal(refused.status, 404);
      assert.equal(refused.body.error, 'declaration_not_found');
      assert.equal((await s.call(other, 'GET', '/api/documents/999999999')).status, 404);
    });

    test('officials read documents and their reads are in the ledger; the parties’ are not', async () => {
      const res = await attach(s.server, s.tokens.trader, id, aPdf('read by the officer'));
      const docId = Number(res.body.id);
      assert.equal((await s.call(s.tokens.officer, 'GET', `/api/declarations/${id}/documents`)).status, 200);
      const meta = await s.call(s.tokens.auditor, 'GET', `/api/documents/${docId}`);
      assert.equal(meta.status, 200);
      assert.equal(meta.body.extraction, null);
      const got = await download(s.server, s.tokens.officer, docId);
      assert.equal(got.status, 200);
      assert.equal((await download(s.server, s.tokens.trader, docId)).status, 200);
      await sealPending(s.ctx.db);
      const reads = await s.ctx.db.query<{ actor: string; action: string; subject: string; data: string }>(
        `SELECT actor, action, subject_id AS subject, data FROM ledger
         WHERE action IN ('document.read', 'declaration.read') AND (subject_id = $1 OR subject_id = $2) ORDER BY seq`,
        [String(docId), String(id)],
      );
      const seen = reads.map((r) => [r.actor, r.action, JSON.parse(r.data).what]);
      assert.deepEqual(seen, [
        ['officer', 'declaration.read', 'documents'],
        ['auditor', 'document.read', 'document'],
        ['officer', 'document.read', 'document_content'],
      ]);
      assert.equal(JSON.parse(reads[2]?.data ?? '{}').declaration, id);
    });

    test('a type the content contradicts is 415 naming both', async () => {
      const res = await attach(s.server, s.tokens.trader, id, aPdf(), { contentType: 'image/png' });
      assert.equal(res.status, 415);
      assert.equal(res.body.error, 'unsupported_media_type');
      assert.match(String(res.body.message), /sent as image\/png, but its content is application\/pdf/);
      const binary = Buffer.from([0x00, 0x01, 0x02, 0xff]);
      const unknown = await attach(s.server, s.tokens.trader, id, binary, { contentType: null });
      assert.equal(unknown.status, 415);
      const json = await attach(s.server, s.tokens.trader, id, Buffer.from('{}'), {
        contentType: 'application/json',
      });
      assert.equal(json.status, 415);
      assert.match(String(json.body.message), /application\/octet-stream/);
    });

    test('an empty body is 400 and a body over 10 MiB is 413 naming the limit', async () => {
      const empty = await attach(s.server, s.tokens.trader, id, Buffer.alloc(0));
      assert.equal(empty.status, 400);
      assert.equal(empty.body.error, 'empty_document');
      const big = Buffer.concat([aPdf(), Buffer.alloc(10 * 1024 * 1024)]);
      const res = await attach(s.server, s.tokens.trader, id, big);
      assert.equal(res.status, 413);
      assert.equal(res.body.error, 'document_too_large');
      assert.match(String(res.body.message), /10 MiB \(10485760 bytes\)/);
      const [row] = await s.ctx.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM document_contents WHERE size > 1000000',
      );
      assert.equal(row?.n, 0);
    });

    test('a body sent without its length is refused once it passes 10 MiB', async () => {
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 11) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const response = await fetch(
        `${s.server.url}/api/declarations/${id}/documents?kind=other&filename=stream.txt`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${s.tokens.trader}`, 'content-type': 'text/plain' },
          body,
          duplex: 'half',
        },
      );
      assert.equal(response.status, 413);
      assert.match(await response.text(), /at most 10 MiB \(10485760 bytes\)/);
      const [row] = await s.ctx.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM declaration_documents WHERE filename = 'stream.txt'`,
      );
      assert.equal(row?.n, 0);
    });

    test('the same content attached twice is stored once', async () => {
      const fresh = (await s.lodge()).id;
      const text = Buffer.from('Packing list\nCarton 1: 40 smartphones\n', 'utf8');
      for (const name of ['packing.txt', 'packing copy.txt'])
        assert.equal(
          (
            await attach(s.server, s.tokens.trader, fresh, text, {
              kind: 'packing_list',
              filename: name,
              contentType: 'text/plain; charset=utf-8',
            })
          ).status,
          201,
        );
      const [row] = await s.ctx.db.query<{ contents: number; attachments: number }>(
        `SELECT (SELECT count(*)::int FROM document_contents WHERE sha256 = $1) AS contents,
                (SELECT count(*)::int FROM declaration_documents WHERE sha256 = $1) AS attachments`,
        [sha256(text)],
      );
      assert.deepEqual(row, { contents: 1, attachments: 2 });
    });

    test('a declaration carries at most 20 documents', async () => {
      const fresh = (await s.lodge()).id;
      for (let n = 1; n <= 20; n++) {
        const res = await attach(s.server, s.tokens.trader, fresh, Buffer.from(`page ${n}\n`), {
          kind: 'other',
          filename: `page-${n}.txt`,
          contentType: 'text/plain',
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
      const list = await s.call(s.tokens.trader, 'GET', `/api/declarations/${fresh}/documents`);
      assert.deepEqual(list.body.allowed, []);
      const res = await attach(s.server, s.tokens.trader, fresh, aPdf());
      assert.equal(res.status, 409);
      assert.equal(res.body.error, 'too_many_documents');
    });

    test('who may attach: the parties of record, not officials nor another declarant; nothing to a cancelled one', async () => {
      const fresh = (await s.lodge()).id;
      assert.equal((await attach(s.server, s.tokens.officer, fresh, aPdf())).status, 403);
      const broker = await attach(s.server, s.user('broker'), fresh, aPdf());
      assert.equal(broker.status, 403);
      assert.match(String(broker.body.message), /only they may attach documents/);
      const cancelled = await s.call(s.tokens.trader, 'POST', `/api/declarations/${fresh}/cancel`, {
        reason: 'lodged twice',
      });
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      const res = await attach(s.server, s.tokens.trader, fresh, aPdf());
      assert.equal(res.status, 409);
      assert.equal(res.body.error, 'action_not_allowed');
      assert.match(String(res.body.message), /cancelled/);
    });

    test('every attachment is on the ledger, and the ledger verifies', async () => {
      const fresh = (await s.lodge()).id;
      const pdf = aPdf('on the ledger');
      const res = await attach(s.server, s.tokens.trader, fresh, pdf);
      await sealPending(s.ctx.db);
      const [entry] = await s.ctx.db.query<{ actor: string; data: string }>(
        `SELECT actor, data FROM ledger WHERE action = 'document.attached' AND subject_kind = 'document' AND subject_id = $1`,
        [String(res.body.id)],
      );
      assert.equal(entry?.actor, 'trader');
      assert.deepEqual(JSON.parse(entry?.data ?? '{}'), {
        declaration: fresh,
        kind: 'invoice',
        filename: 'invoice.pdf',
        mediaType: 'application/pdf',
        size: pdf.length,
        sha256: sha256(pdf),
      });
      const verified = await s.call(s.tokens.auditor, 'GET', '/api/ledger/verify');
      assert.equal(verified.status, 200);
      assert.equal(verified.body.ok, true, JSON.stringify(verified.body));
    });
  });
}
