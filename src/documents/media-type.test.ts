/** A document's type from its first bytes, and its agreement with the type it was sent as. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkMediaType, isPlainText, sniffMediaType } from './media-type.ts';

const bytes = (...b: number[]) => Buffer.from(b);

test('reads each accepted type from its signature', () => {
  const cases: [string, Buffer, string | null][] = [
    ['a PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n', 'latin1'), 'application/pdf'],
    ['a PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d), 'image/png'],
    ['a JPEG (JFIF)', bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46), 'image/jpeg'],
    ['a JPEG (Exif)', bytes(0xff, 0xd8, 0xff, 0xe1), 'image/jpeg'],
    ['text in several scripts', Buffer.from('Invoice 12\r\nÁo sơ mi nam\t石油\n', 'utf8'), 'text/plain'],
    ['a PNG cut before its signature ends', bytes(0x89, 0x50, 0x4e, 0x47), null],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00', 'latin1'), null],
    ['a ZIP (an Office file)', bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00), null],
    ['text with a NUL', Buffer.from('total\u0000 1200', 'utf8'), null],
    ['text with an escape character', Buffer.from('\u001b[31mred', 'utf8'), null],
    ['Latin-1 text (not UTF-8)', Buffer.from('caf\xe9', 'latin1'), null],
    ['text with a C1 control', Buffer.from('a\u0085b', 'utf8'), null],
    ['nothing', Buffer.alloc(0), null],
  ];
  for (const [what, content, expected] of cases) assert.equal(sniffMediaType(content), expected, what);
});

test('a PDF with a text prefix is not a PDF: the signature is at the start', () => {
  assert.equal(sniffMediaType(Buffer.from(' %PDF-1.4')), 'text/plain');
  assert.equal(isPlainText(Buffer.from(' %PDF-1.4')), true);
});

test('the declared type must be the content’s, without its parameters, or octet-stream', () => {
  const pdf = Buffer.from('%PDF-1.4\n');
  assert.deepEqual(checkMediaType(pdf, 'application/pdf'), { ok: true, value: 'application/pdf' });
  assert.deepEqual(checkMediaType(pdf, 'Application/PDF; name=x'), { ok: true, value: 'application/pdf' });
  assert.deepEqual(checkMediaType(pdf, 'application/octet-stream'), { ok: true, value: 'application/pdf' });
  assert.deepEqual(checkMediaType(pdf, undefined), { ok: true, value: 'application/pdf' });
  const text = checkMediaType(Buffer.from('hello'), 'text/plain; charset=utf-8');
  assert.deepEqual(text, { ok: true, value: 'text/plain' });
  const wrong = checkMediaType(pdf, 'image/jpeg');
  assert.equal(wrong.ok, false);
  if (!wrong.ok)
    assert.equal(
      wrong.error.message,
      'the document was sent as image/jpeg, but its content is application/pdf: send it as application/pdf or application/octet-stream',
    );
  const unknown = checkMediaType(bytes(0, 1, 2), 'application/pdf');
  assert.equal(unknown.ok, false);
  if (!unknown.ok) assert.match(unknown.error.message, /not a PDF, PNG, JPEG or plain UTF-8 text/);
});
