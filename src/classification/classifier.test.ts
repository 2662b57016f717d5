import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  classify,
  describeClassifier,
  loadClassifier,
  serializeClassifier,
  trainClassifier,
} from './classifier.ts';
import type { LabelledText } from './corpus.ts';
import { referenceTextsFor } from './reference-texts.ts';
import { defaultReferenceDir } from '../reference/reference-dir.ts';

const text = (hs6: string, words: string, weight = 1): LabelledText => ({ text: words, hs6, weight });

const corpus: LabelledText[] = [
  text('030617', 'Crustaceans; frozen, shrimps and prawns, in shell or not'),
  text('030617', 'Frozen shrimps and prawns > Peeled'),
  text('030616', 'Crustaceans; frozen, cold-water shrimps and prawns'),
  text('030314', 'Fish; frozen, trout'),
  text('030211', 'Fish; fresh or chilled, trout'),
  text('852872', 'Reception apparatus for television, colour, incorporating a video display'),
  text('852852', 'Monitors capable of connecting to an automatic data processing machine'),
  text('620520', "Shirts; men's or boys', of cotton, not knitted"),
  text('610910', 'T-shirts, singlets and other vests; knitted, of cotton'),
  text('270900', 'Petroleum oils and oils obtained from bituminous minerals; crude'),
  text('271019', 'Petroleum oils, not crude; medium oils and preparations'),
  text('392321', 'Sacks and bags of polymers of ethylene; plastics'),
  text('401110', 'New pneumatic tyres, of rubber; of a kind used on motor cars'),
];

test('ranks the subheading whose words a trader description shares, and names those words', () => {
  const model = trainClassifier(corpus);
  const [first, second] = classify(model, 'frozen shrimp 500g bag');
  assert.equal(first?.hs6, '030617');
  assert.equal(second?.hs6, '030616');
  assert.deepEqual(first?.words.slice().sort(), ['frozen', 'shrimp']);
  assert.equal(classify(model, 'LED TV 55in')[0]?.hs6, '852872');
  assert.equal(classify(model, 'áo sơ mi nam')[0]?.hs6, '620520');
  assert.equal(classify(model, '原油')[0]?.hs6, '270900');
  assert.equal(classify(model, 'car tires')[0]?.hs6, '401110');
});

test('character n-grams carry a misspelt word to its subheading', () => {
  const model = trainClassifier(corpus);
  assert.equal(classify(model, 'televsion')[0]?.hs6, '852872');
  assert.equal(classify(model, 'televsion', { limit: 1 })[0]?.words[0], 'televsion');
});

test('a noun neither the lexicon nor the texts know reaches its class through its broader words', () => {
  const model = trainClassifier(corpus);
  // krill is a crustacean and a ukulele a stringed instrument, though no labelled text says so
  const [krill] = classify(model, 'krill, frozen blocks');
  assert.equal(krill?.hs6.slice(0, 4), '0306');
  assert.ok(krill?.words.includes('krill'), 'the suggestion names the word typed');
  const withGuitars = trainClassifier([
    ...corpus,
    text('920290', 'Guitars and other string musical instruments'),
  ]);
  assert.equal(classify(withGuitars, 'soprano ukulele')[0]?.hs6, '920290');
  // a word the model knows leans on its own term: "trout" stays with the trout, not with every fish
  assert.equal(classify(model, 'frozen trout')[0]?.hs6, '030314');
});

test('confidences are descending shares of one and the limit is kept', () => {
  const model = trainClassifier(corpus);
  const suggestions = classify(model, 'frozen trout', { limit: 3 });
  assert.equal(suggestions.length, 3);
  const sum = suggestions.reduce((a, s) => a + s.confidence, 0);
  assert.ok(sum <= 1 + 1e-9 && sum > 0);
  for (let i = 1; i < suggestions.length; i++) {
    assert.ok((suggestions[i - 1]?.confidence ?? 0) >= (suggestions[i]?.confidence ?? 0));
  }
  assert.equal(classify(model, 'frozen trout', { limit: 0 }).length, 0);
});

test('suggests only the codes `among` accepts', () => {
  const model = trainClassifier(corpus);
  const suggestions = classify(model, 'frozen shrimp', { among: (code) => code !== '030617' });
  assert.ok(suggestions.length > 0);
  assert.ok(suggestions.every((s) => s.hs6 !== '030617'));
  assert.equal(suggestions[0]?.hs6, '030616');
});

test('a text of higher weight counts more', () => {
  const even = trainClassifier([text('010101', 'widget gadget'), text('020202', 'widget gizmo')]);
  const weighted = trainClassifier([text('010101', 'widget gadget'), text('020202', 'widget gizmo', 5)]);
  const first = (model: typeof even) => classify(model, 'widget');
  assert.ok((first(even)[0]?.confidence ?? 0) < 0.6);
  assert.equal(first(weighted)[0]?.hs6, '020202');
});

test('suggests nothing for a description without a usable word or a word the model never saw', () => {
  const model = trainClassifier(corpus);
  assert.deepEqual(classify(model, ''), []);
  assert.deepEqual(classify(model, '500 g / 12 pcs per ctn'), []);
  assert.deepEqual(classify(model, 'zz'), []);
});

test('refuses a labelled text whose code is not six digits', () => {
  assert.throws(() => trainClassifier([text('0306', 'shrimps')]), /six digits/);
});

test('serialises deterministically and loads to the same suggestions', () => {
  const model = trainClassifier(corpus);
  const bytes = serializeClassifier(model);
  assert.deepEqual(serializeClassifier(trainClassifier(corpus)), bytes);
  const loaded = loadClassifier(bytes);
  assert.deepEqual(describeClassifier(loaded), describeClassifier(model));
  assert.deepEqual(describeClassifier(model), {
    codes: 12,
    texts: 13,
    terms: describeClassifier(model).terms,
  });
  for (const query of ['frozen shrimp', 'men cotton shirt', 'televsion']) {
    assert.deepEqual(classify(loaded, query), classify(model, query));
  }
});

test('refuses bytes that are not a classifier of this version, saying why', () => {
  assert.throws(() => loadClassifier(new Uint8Array([1, 2, 3])), /not a Clearway HS classifier.*gzip/);
  const other = new Uint8Array(
    // a gzip of {"format":"clearway-hs-classifier","version":99}
    Buffer.from(
      'H4sIAAAAAAAAA6tWSssvyk0sUbJSSs5JTSwqT6zUzSjWTc5JLC7OTMtMLVLSUSpLLSrOzM9TsrK0rAUAsGFZ+zAAAAA=',
      'base64',
    ),
  );
  assert.throws(() => loadClassifier(other), /not a Clearway HS classifier of version 1: version is 99/);
});

test('on the full reference texts, the issue examples find their heading in the first three', async () => {
  const model = trainClassifier(await referenceTextsFor({ referenceDir: defaultReferenceDir() }));
  assert.ok(describeClassifier(model).codes > 5000);
  const examples: [string, string[]][] = [
    ['frozen shrimp 500g bag', ['0306']],
    ['LED TV 55in', ['8528']],
    ['石油', ['2709', '2710']],
    ['áo sơ mi nam', ['6205', '6105']],
  ];
  for (const [query, headings] of examples) {
    const top = classify(model, query, { limit: 3 }).map((s) => s.hs6.slice(0, 4));
    assert.ok(
      top.some((h) => headings.includes(h)),
      `${query}: ${top.join(', ')}`,
    );
  }
});
