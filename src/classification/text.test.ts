import assert from 'node:assert/strict';
import { test } from 'node:test';
import { charGrams, describeWords, stem, textTerms } from './text.ts';

const terms = (text: string) => [...textTerms(text).keys()];
/** The weight of a description's words after its first word naming goods (text.ts). */
const later = 0.85;
const near = (actual: number | undefined, expected: number, what = '') =>
  assert.ok(Math.abs((actual ?? NaN) - expected) < 1e-9, `${what}: ${actual} is not ${expected}`);

test('drops quantities, units and a pack after its quantity, but keeps a pack that is the goods', () => {
  assert.deepEqual(terms('frozen shrimp 500g bag'), ['frozen', 'shrimp', 'prawn']);
  assert.deepEqual(terms('12 x 750 ml bottles red wine'), ['red', 'wine']);
  assert.deepEqual(terms('plastic bags'), ['plastic', 'bag']);
  assert.equal(textTerms('plastic bags').get('bag'), 0.4);
});

test('puts trade abbreviations in the tariff words', () => {
  assert.deepEqual(terms('LED TV 55in'), ['television', 'reception', 'apparatus']);
  assert.deepEqual(terms('SS bolts'), ['stainless', 'steel', 'bolt', 'screw']);
  assert.deepEqual(terms("men's cotton t-shirts"), ['men', 'cotton', 'tshirt', 'singlet', 'knitted']);
});

test('reads Chinese by longest match and Vietnamese with or without its accents', () => {
  assert.deepEqual(terms('石油'), ['petroleum', 'oil']);
  assert.deepEqual(terms('原油'), ['crude', 'petroleum', 'oil']);
  assert.deepEqual(terms('áo sơ mi nam'), ['shirt', 'men']);
  assert.deepEqual(terms('ao so mi nam'), ['shirt', 'men']);
  assert.deepEqual(
    describeWords('áo sơ mi nam').map((w) => w.surface),
    ['áo sơ mi', 'nam'],
  );
});

test('a Chinese run the lexicon does not know becomes character bigrams', () => {
  assert.deepEqual(terms('冷冻虾仁'), ['frozen', 'shrimp', 'prawn', '仁']);
  assert.deepEqual(terms('漆盒'), ['漆盒']);
  assert.deepEqual(terms('漆盒子'), ['漆盒', '盒子']);
});

test('a word marked accent-only in the lexicon is not read into its plain English form', () => {
  assert.deepEqual(terms('máy'), ['machine']);
  assert.deepEqual(terms('may'), ['may']);
});

test('drops what a tariff text excludes, up to the next separator', () => {
  assert.deepEqual(terms('Fish; frozen, excluding fillets, livers and roes; salmon'), [
    'fish',
    'frozen',
    'salmon',
  ]);
  assert.deepEqual(terms("Shirts; men's, not knitted or crocheted, of cotton"), ['shirt', 'men', 'cotton']);
  assert.deepEqual(terms('whether or not frozen'), ['frozen']);
});

test('stems English plurals', () => {
  const cases: [string, string][] = [
    ['batteries', 'battery'],
    ['boxes', 'box'],
    ['glasses', 'glass'],
    ['knives', 'knife'],
    ['shoes', 'shoe'],
    ['tomatoes', 'tomato'],
    ['gloves', 'glove'],
    ['bus', 'bus'],
    ['chassis', 'chassis'],
  ];
  for (const [word, expected] of cases) assert.equal(stem(word), expected, word);
});

test('character n-grams of 3 to 5 within a marked word, none for short or non-Latin terms', () => {
  assert.deepEqual(
    charGrams('tyre').sort(),
    ['<ty', '<tyr', '<tyre', 're>', 'tyr', 'tyre', 'tyre>', 'yre', 'yre>'].sort(),
  );
  assert.deepEqual(charGrams('oil'), []);
  assert.deepEqual(charGrams('筷子'), []);
});

test('text without a usable word has no terms', () => {
  assert.deepEqual(describeWords('500 g, 12 pcs / ctn'), []);
  assert.deepEqual(describeWords(''), []);
});

test('a trade name holding digits is looked up before the digits are dropped as a quantity', () => {
  assert.deepEqual(
    describeWords('FDM 3D printer').map((w) => w.surface),
    ['fdm', '3d printer'],
  );
  assert.deepEqual(
    describeWords('500g bag rice').map((w) => w.surface),
    ['rice'],
  );
});

test('the words after "for" say what the goods are for and count half', () => {
  const [pads, car] = describeWords('brake pads for cars');
  assert.equal(pads?.terms[0]?.weight, 1);
  assert.equal(car?.surface, 'cars');
  near(car?.terms[0]?.weight, 0.5 * later);
});

test('a "for" phrase ends at its comma: what follows says what the goods are again', () => {
  const words = describeWords('cutting boards for kitchen use, bamboo');
  assert.deepEqual(
    words.map((w) => w.surface),
    ['cutting boards', 'kitchen', 'use', 'bamboo'],
  );
  const expected = [
    1,
    0.5 * later,
    0.5 * later,
    // after the head phrase but out of the "for" phrase: a qualifier (0.5), not a qualifier for a purpose (0.25)
    0.5 * later,
  ];
  words.forEach((w, i) => near(w.terms[0]?.weight, expected[i] ?? NaN, w.surface));
  const [, , stainless] = describeWords('knives for kitchen; stainless steel').map((w) => w.terms[0]?.weight);
  near(stainless, 0.5 * later);
});

test('the head phrase names the goods and the phrases after it qualify them', () => {
  const weightOf = (text: string) =>
    new Map(describeWords(text).map((w) => [w.surface, w.terms[0]?.weight ?? 0]));
  const watches = weightOf('quartz watches, stainless steel case');
  assert.equal(watches.get('quartz watches'), 1);
  near(watches.get('steel'), 0.5 * later);
  near(watches.get('case'), 0.4 * 0.5 * later);
  near(weightOf('shoes with rubber soles').get('rubber soles'), 0.5 * later);
  assert.equal(weightOf('sardines in olive oil').get('sardines'), 1);
  near(weightOf('sardines in olive oil').get('olive oil'), 0.5 * later);
});

test('a pack or a quantity before "of" does not make a head phrase: the goods after it do', () => {
  const weights = describeWords('bottles of red wine').map((w) => [w.surface, w.terms[0]?.weight]);
  // a pack alone names no goods: the first goods word after it counts in full
  assert.deepEqual(weights, [
    ['bottles', 0.4],
    ['red', 1],
    ['wine', later],
  ]);
  assert.equal(describeWords('set of 6 glasses').find((w) => w.surface === 'glasses')?.terms[0]?.weight, 1);
});

test('a decimal comma does not end a phrase', () => {
  const words = describeWords('red wine 0,75 l dry');
  assert.equal(words.find((w) => w.surface === 'dry')?.terms[0]?.weight, later);
});

test('a tariff text is read whole: its "for" runs to the end and no phrase counts less', () => {
  const terms = textTerms('Tools for working metal; of base metal; hand tools');
  assert.equal(terms.get('tool'), 1);
  assert.equal(terms.get('metal'), 0.5);
  assert.equal(terms.get('base'), 0.5);
  assert.equal(textTerms('Watches, with case of steel').get('steel'), 1);
});

test('a word the tariff uses in its own sense keeps it', () => {
  const cases: [string, string, string][] = [
    // [text, a term it must have, a term it must not]
    ['fuel pump', 'pump', 'footwear'],
    ['aluminium plate', 'plate', 'tableware'],
    ['glucose syrup', 'syrup', 'medicament'],
    ['rock wool', 'rock', 'skirt'],
    ['plastic drums', 'drum', 'musical'],
  ];
  for (const [text, has, hasNot] of cases) {
    const found = terms(text);
    assert.ok(found.includes(has), `${text}: ${found.join(' ')}`);
    assert.ok(!found.includes(hasNot), `${text}: ${found.join(' ')}`);
  }
});

test('a Vietnamese word marked accent-only is not read from a word that differs by its accents', () => {
  assert.deepEqual(terms('váy'), ['dress', 'skirt']);
  assert.ok(!terms('vây').includes('skirt'));
});

test('sneakers and trainers are sports footwear of the kind with textile uppers, unless the text says otherwise', () => {
  for (const text of ['sneakers', 'trainers', 'zapatillas', '运动鞋']) {
    assert.deepEqual(terms(text).slice(0, 4), ['footwear', 'sport', 'training', 'shoe'], text);
    assert.ok(terms(text).includes('textile'), text);
  }
});

test('Russian ё is read as е, as most type it', () => {
  assert.deepEqual(terms('мёд'), ['honey', 'natural']);
  assert.deepEqual(terms('мед'), ['honey', 'natural']);
});

test('a longer trade name wins over the goods word it starts with', () => {
  assert.ok(!terms('mobile phone case').includes('telephone'));
  assert.ok(terms('robot pâtissier').includes('mixer'));
  assert.ok(!terms('robot pâtissier').includes('robot'));
  assert.ok(terms('wooden coat hangers').includes('hanger'));
  assert.ok(!terms('wooden coat hangers').includes('plastic'));
});

test('a word before "flavour", "scented" or "shaped" is a likeness, not the goods', () => {
  const weightOf = (text: string) =>
    new Map(describeWords(text).map((w) => [w.surface, w.terms[0]?.weight ?? 0]));
  near(weightOf('instant noodles chicken flavor').get('chicken'), 0.5 * later);
  assert.equal(weightOf('instant noodles chicken flavor').get('instant noodles'), 1);
  assert.equal(weightOf('heart shaped chocolate box').get('heart'), 0.5);
  assert.equal(weightOf('heart shaped chocolate box').get('chocolate'), later);
  // not across a phrase end, and not in a tariff text
  assert.equal(weightOf('chicken, flavoured').get('chicken'), 1);
  assert.equal(textTerms('heart shaped boxes').get('heart'), 1);
});

test('the first word naming goods counts in full and the words after it less: traders name the goods first', () => {
  const weightOf = (text: string) =>
    new Map(describeWords(text).map((w) => [w.surface, w.terms[0]?.weight ?? 0]));
  const bras = weightOf('sports bras nylon spandex');
  assert.equal(bras.get('sports bras'), 1);
  assert.equal(bras.get('nylon'), later);
  assert.equal(bras.get('spandex'), later);
  // a quantity or a pack before the goods does not count as their first word
  assert.equal(weightOf('12 x 1l milk').get('milk'), 1);
  // a tariff text is read whole
  assert.equal(textTerms('Brassieres, of nylon').get('nylon'), 1);
});

test('after a quantity, a pack named with what it is made of is dropped with its packaging word', () => {
  assert.deepEqual(terms('onions 25kg mesh bags'), ['onion']);
  assert.deepEqual(terms('rice 50kg pp woven sacks'), ['rice']);
  // without a quantity the words may be the goods, and stay
  assert.ok(terms('pp woven sacks').includes('sack'));
  assert.ok(terms('mesh bags').includes('bag'));
});

test('what a tariff text says the goods are "otherwise than" is left out, as "other than" is', () => {
  const found = terms('Tomatoes prepared or preserved otherwise than by vinegar or acetic acid; whole');
  assert.ok(found.includes('tomato'), found.join(' '));
  assert.ok(!found.includes('vinegar') && !found.includes('acetic'), found.join(' '));
  assert.ok(found.includes('whole'), found.join(' '));
});

test('the trade words of whole families are put in the tariff words', () => {
  const cases: [string, string][] = [
    ['goose feathers', 'feather'],
    ['toilet tissue', 'toilet'],
    ['insect killer', 'insecticide'],
    ['ginger root', 'ginger'],
    ['parmigiano', 'cheese'],
    ['ciprofloxacin tabs', 'medicament'],
    ['pp rope', 'polypropylene'],
    ['kiln dried oak', 'dried'],
    ['manual wheelchair', 'disabled'],
    ['green coffee beans', 'coffee'],
  ];
  for (const [text, has] of cases) assert.ok(terms(text).includes(has), `${text}: ${terms(text).join(' ')}`);
  // a word that also names goods elsewhere keeps only the sense of its own phrase
  assert.ok(!terms('kiln dried oak').includes('furnace'));
  assert.ok(!terms('manual wheelchair').includes('book'));
  assert.ok(!terms('green coffee beans').includes('vigna'));
});
