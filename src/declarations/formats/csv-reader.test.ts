import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { maxRowLength, readCsv, type CsvRow } from './csv-reader.ts';

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

test('an unclosed quote does not swallow the rows after it: each later line is read again', async () => {
  assert.deepEqual(await rows('h,x\n"broken,1\nok,2\nok,3\n'), [
    { line: 1, fields: ['h', 'x'] },
    { line: 2, error: 'row 2: a quoted field is never closed' },
    { line: 3, fields: ['ok', '2'] },
    { line: 4, fields: ['ok', '3'] },
  ]);
});

test('a quoted field running over lines that leaves the row another width than the header is an error', async () => {
  const out = await rows('a,b,c\n1,"open,2\n4,5,6\n",8,9\n');
  assert.deepEqual(out.slice(0, 3), [
    { line: 1, fields: ['a', 'b', 'c'] },
    {
      line: 2,
      error:
        'row 2: a quoted field runs over 3 lines and leaves 4 fields where the header has 3: is a quote left open?',
    },
    { line: 3, fields: ['4', '5', '6'] },
  ]);
  assert.deepEqual(out[3], { line: 4, error: 'row 4: a quoted field is never closed' });
});

test('a row longer than the limit is reported and reading goes on at the next line', async () => {
  const long = `1,${'x'.repeat(maxRowLength + 10)}`;
  const text = `a,b\n${long}\n2,3\n`;
  const expected = [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, error: `row 2 is longer than ${maxRowLength} characters: is a quote left open?` },
    { line: 3, fields: ['2', '3'] },
  ];
  assert.deepEqual(await rows(text), expected);
  const chunks = Array.from({ length: Math.ceil(text.length / 65536) }, (_, i) =>
    text.slice(i * 65536, (i + 1) * 65536),
  );
  assert.deepEqual(await rows(chunks), expected, 'in chunks of 64 KB');
  const quoted = `a,b\n1,"${'y'.repeat(maxRowLength + 10)}\n2,3\n`;
  assert.deepEqual((await rows(quoted)).slice(1), expected.slice(1), 'a quote left open');
});
