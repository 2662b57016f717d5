import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { readCsv, type CsvRow } from './csv-reader.ts';

async function rows(text: string | string[]): Promise<CsvRow[]> {
  const out: CsvRow[] = [];
  for await (const batch of readCsv(Readable.from(Array.isArray(text) ? text : [text]))) out.push(...batch);
  return out;
}

test('reads plain rows, CRLF line ends and a missing final newline', async () => {
  assert.deepEqual(await rows('a,b\r\n1,2\n3,'), [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, fields: ['1', '2'] },
    { line: 3, fields: ['3', ''] },
  ]);
});

test('reads quoted fields with commas, doubled quotes and line breaks, counting lines', async () => {
  assert.deepEqual(await rows('x,"a, ""b""\nc",y\nnext,1,2\n'), [
    { line: 1, fields: ['x', 'a, "b"\nc', 'y'] },
    { line: 3, fields: ['next', '1', '2'] },
  ]);
});

test('drops a byte-order mark before the header', async () => {
  assert.deepEqual(await rows('\uFEFFa,b\n'), [{ line: 1, fields: ['a', 'b'] }]);
});

test('reads rows split across chunks anywhere, even inside quotes', async () => {
  const text = 'h1,h2\n"q,1",2\nplain,3\n"multi\nline",4\n';
  const expected = await rows(text);
  for (let cut = 1; cut < text.length; cut++) {
    assert.deepEqual(await rows([text.slice(0, cut), text.slice(cut)]), expected, `cut at ${cut}`);
  }
});

test('reports a quote inside an unquoted field and goes on with the next row', async () => {
  const out = await rows('a,b"c,d\nok,1,2\n');
  assert.deepEqual(out[0], { line: 1, error: 'row 1, field 2: a quote inside an unquoted field' });
  assert.deepEqual(out[1], { line: 2, fields: ['ok', '1', '2'] });
});

test('reports text after a closing quote', async () => {
  assert.deepEqual(await rows('"a"b,c\n'), [
    { line: 1, error: 'row 1, field 1: text after a closing quote' },
  ]);
});

test('reports a quoted field that is never closed', async () => {
  const out = await rows('good,1\n"never closed,2\nmore\n');
  assert.deepEqual(out[0], { line: 1, fields: ['good', '1'] });
  assert.deepEqual(out[1], { line: 2, error: 'row 2: a quoted field is never closed' });
});
