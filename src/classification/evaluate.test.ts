import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainClassifier } from './classifier.ts';
import { evaluateClassifier, readEvaluationCsv } from './evaluate.ts';

test('reads text and expected_hs_code in any order, other columns ignored, dots dropped', () => {
  const read = readEvaluationCsv(
    'language,expected_hs_code,text\nen,0306.17,frozen shrimp\nvi,620520,"áo sơ mi, nam"\n',
  );
  assert.deepEqual(read, {
    ok: true,
    value: [
      { text: 'frozen shrimp', expected: '030617' },
      { text: 'áo sơ mi, nam', expected: '620520' },
    ],
  });
});

test('refuses a file without the columns, or a row whose code is not six digits, naming its line', () => {
  const refusal = (csv: string) => {
    const read = readEvaluationCsv(csv);
    return read.ok ? '' : read.error.message;
  };
  assert.match(refusal('description,hs\nshrimp,030617\n'), /columns text and expected_hs_code/);
  assert.match(refusal('text,expected_hs_code\nshrimp,030617\nprawns,0306.1\n'), /line 3: .*"0306.1"/);
  assert.match(refusal('text,expected_hs_code\nshrimp,3061700000\n'), /line 2/);
  assert.match(refusal('text,expected_hs_code\n,030617\n'), /line 2: the text is empty/);
  assert.match(refusal(''), /empty/);
});

test('counts a case as found at each level where one of the first k suggestions shares its digits', () => {
  const model = trainClassifier([
    { text: 'alpha apples', hs6: '080810', weight: 1 },
    { text: 'alpha pears', hs6: '080830', weight: 1 },
    { text: 'beta bananas', hs6: '080390', weight: 1 },
    { text: 'gamma cars', hs6: '870323', weight: 1 },
  ]);
  const evaluation = evaluateClassifier(model, [
    { text: 'apples', expected: '080810' },
    { text: 'pears', expected: '080810' },
    { text: 'bananas', expected: '080810' },
    { text: 'cars', expected: '080810' },
  ]);
  assert.equal(evaluation.n, 4);
  assert.deepEqual(evaluation.top1, { hs2: 0.75, hs4: 0.5, hs6: 0.25 });
  assert.deepEqual(evaluation.top5, { hs2: 0.75, hs4: 0.5, hs6: 0.5 });
});
