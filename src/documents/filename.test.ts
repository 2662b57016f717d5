/** The file name kept for a document, and the header that offers it for download. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attachmentDisposition, sanitiseFilename } from './filename.ts';

test('keeps the last part of a name, without controls or characters file systems refuse', () => {
  const cases: [string, string][] = [
    ['invoice.pdf', 'invoice.pdf'],
    ['C:\\Users\\kim\\Scans\\INV 0113.pdf', 'INV 0113.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['a"b*c:d<e>f?g|h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['line\nbreak\r.pdf', 'line_break_.pdf'],
    ['bell\u0007\u009b.txt', 'bell__.txt'],
    ['  .hidden.pdf. ', 'hidden.pdf'],
    ['...', 'document'],
    ['dir/', 'document'],
    ['facture-été.pdf', 'facture-été.pdf'],
    ['発票.pdf', '発票.pdf'],
  ];
  for (const [given, kept] of cases) assert.equal(sanitiseFilename(given), kept, JSON.stringify(given));
});

test('a name is cut at 200 characters, counted as characters, not UTF-16 units', () => {
  const kept = sanitiseFilename('😀'.repeat(250));
  assert.equal([...kept].length, 200);
  assert.equal(kept, '😀'.repeat(200));
});

test('the download header names the file in ASCII and exactly, and nothing breaks out of it', () => {
  assert.equal(
    attachmentDisposition('facture été.pdf'),
    'attachment; filename="facture _t_.pdf"; filename*=UTF-8\'\'facture%20%C3%A9t%C3%A9.pdf',
  );
  assert.equal(
    attachmentDisposition('x"; filename=evil.html'),
    'attachment; filename="x_; filename=evil.html"; filename*=UTF-8\'\'x_%3B%20filename%3Devil.html',
  );
  assert.equal(
    attachmentDisposition("it's (1).txt"),
    "attachment; filename=\"it's (1).txt\"; filename*=UTF-8''it%27s%20%281%29.txt",
  );
});
