import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyLine, parseCopyText } from './copy-text.ts';

test('COPY text decodes back to the values encoded, escapes and nulls included', () => {
  const rows = [
    ['plain', 'tab\there', 'line\nbreak', 'carriage\rreturn', 'back\\slash', '\\N', '', null],
    ['1', 'last'],
  ];
  assert.deepEqual(parseCopyText(rows.map(copyLine).join('')), rows);
});

test('COPY text decodes the escapes PostgreSQL writes, and nothing into no rows', () => {
  assert.deepEqual(parseCopyText('a\\bb\\fc\\vd\\\\e\\x\tlast'), [['a\bb\fc\vd\\ex', 'last']]);
  assert.deepEqual(parseCopyText(''), []);
});
