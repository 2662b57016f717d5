/**
 * From a goods description to the terms the classifier weighs: normalised (NFKC, lower case, Latin
 * accents folded), cut into words, trade words and other languages put in the tariff's words by the
 * lexicon (longest phrase first), English plurals stemmed, and the words that say nothing about the
 * goods dropped (function words, units, numbers, a pack after its quantity). Chinese, Japanese, Thai and
 * Korean runs are matched against the lexicon by longest match; what is left of them becomes
 * character bigrams. Every term keeps the words it came from, so a suggestion can name them.
 */
import { lexiconTables } from './lexicon.ts';

/** One term of a description with its weight (packaging words alone count less). */
export interface WeightedTerm {
  readonly term: string;
  readonly weight: number;
  /** A broader word of the word typed (expansions.ts): matched as a whole word only. */
  readonly broader?: true;
}

/** A word or phrase of the description (normalised, as matched) and the terms it stands for. */
export interface DescriptionWord {
  readonly surface: string;
  readonly terms: readonly WeightedTerm[];
  /** For an English word the lexicon does not know: its stemmed form, to look up its broader words. */
  readonly noun?: string;
}

/** The weight of a packaging word not preceded by a quantity: it may be the goods themselves. */
const packagingWeight = 0.4;
/** The weight of the words after "for": what the goods are for ("brake pads for Toyota"), not what they are. */
const purposeWeight = 0.5;
/**
 * The weight of a description's words after its head phrase: the head names the goods ("watches"),
 * what follows qualifies them ("stainless steel case", "with rubber soles", "in tomato sauce").
 */
const qualifierWeight = 0.5;
/**
 * The weight of a description's words after its first word naming goods: traders put the goods
 * first and what they are made of or what they are like after ("sports bras nylon spandex",
 * "building blocks toy abs", "quartz watches stainless steel case"), measured (ADR 0038).
 */
const laterWeight = 0.85;
/** Words that open a qualifying phrase once the goods are named. */
const qualifierWords = new Set(['with', 'without', 'of', 'in']);
/** Words that make the word before them a likeness ("chicken flavour", "rose scented", "heart shaped"), not the goods. */
const likenessWords = new Set([
  'flavor',
  'flavour',
  'flavors',
  'flavours',
  'flavored',
  'flavoured',
  'scented',
  'shaped',
]);
/** What a pack is made of, before its packaging word ("mesh bags", "pp woven sacks", "paper sacks"). */
const packMaterials = new Set([
  'mesh',
  'net',
  'poly',
  'pp',
  'pe',
  'pet',
  'hdpe',
  'ldpe',
  'paper',
  'kraft',
  'woven',
  'jute',
  'zip',
  'ziplock',
  'vacuum',
  'vac',
  'cardboard',
  'carton',
]);
/** Descriptions are cut here: a goods description is a line, not a document. */
const maxLength = 2000;

const tables = lexiconTables();
const cjkRun =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}ー々]+/gu;
/** What a text excludes ("excluding fillets", "other than frozen") up to the next ; : > or bracket. */
const excluded =
  /\b(?:excluding|except|excl|other than|otherwise than|not including|not containing)\b[^;:>()[\]]*/g;
/** What a text denies ("not knitted", "not crude"; not "whether or not") up to the next comma. */
const denied = /(?<!\bor )\bnot\b[^,;:>()[\]]*/g;
const wordPattern = /[\p{L}\p{M}\p{N}]+/gu;
/** What ends a phrase between two words: a comma (not a decimal one: "0,75 l"), a semicolon, a colon, a bracket. */
const phraseEnd = /[;:()[\]|]|,(?!\d)/;

/** Latin letters without their accents (ờ -> o, ç -> c), ß -> ss, đ -> d; Russian ё -> е, as most type it; other scripts unchanged. */
export function foldAccents(word: string): string {
  if (/^[ -~]*$/.test(word)) return word;
  return word
    .replace(/ё/g, 'е')
    .normalize('NFD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .normalize('NFC')
    .replace(/ß/g, 'ss')
    .replace(/đ/g, 'd')
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .replace(/ø/g, 'o');
}

const irregular: Record<string, string> = {
  knives: 'knife',
  leaves: 'leaf',
  halves: 'half',
  shelves: 'shelf',
  loaves: 'loaf',
  tomatoes: 'tomato',
  potatoes: 'potato',
  mangoes: 'mango',
  feet: 'foot',
  teeth: 'tooth',
  mice: 'mouse',
  geese: 'goose',
};

/** English plural to singular, by a few suffix rules; other words unchanged. */
export function stem(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  const known = irregular[word];
  if (known !== undefined) return known;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (/(?:x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Character n-grams (3 to 5) of a Latin term with its boundaries marked: robust to typos and abbreviations. */
export function charGrams(term: string): string[] {
  if (term.length < 4 || !/^[a-z]+$/.test(term)) return [];
  const padded = `<${term}>`;
  const grams = new Set<string>();
  for (let n = 3; n <= 5; n++) {
    for (let i = 0; i + n <= padded.length; i++) grams.add(padded.slice(i, i + n));
  }
  return [...grams];
}

interface Token {
  readonly exact: string;
  readonly folded: string;
  readonly stemmed: string;
  readonly numeric: boolean;
}

function phraseMaps() {
  const folded = new Map<string, readonly string[]>();
  const stemmed = new Map<string, readonly string[]>();
  /** Per first word, the most words a phrase starting with it has. */
  const starts = new Map<string, number>();
  const start = (phrase: string) => {
    const words = phrase.split(' ');
    const first = words[0] ?? '';
    starts.set(first, Math.max(words.length, starts.get(first) ?? 0));
  };
  for (const [key, value] of tables.phrases) {
    start(key);
    if (tables.exactOnly.has(key)) continue;
    const f = foldAccents(key);
    if (!folded.has(f)) folded.set(f, value);
    const s = f.split(' ').map(stem).join(' ');
    if (!stemmed.has(s)) stemmed.set(s, value);
    start(f);
    start(s);
  }
  return { exact: tables.phrases, folded, stemmed, starts };
}
const phrases = phraseMaps();

/** The terms of tariff words from the lexicon or of a word of the text: stemmed, without stop words. */
function termsOf(words: readonly string[], weight: number): WeightedTerm[] {
  const out: WeightedTerm[] = [];
  for (const w of words) {
    const term = stem(foldAccents(w));
    if (term.length < 2 || tables.stopWords.has(term) || tables.unitWords.has(term)) continue;
    out.push({ term, weight });
  }
  return out;
}

function lookupPhrase(
  tokens: readonly Token[],
  start: number,
): { length: number; value: readonly string[] } | null {
  const first = tokens[start];
  if (first === undefined) return null;
  const most = Math.max(
    phrases.starts.get(first.exact) ?? 0,
    phrases.starts.get(first.folded) ?? 0,
    phrases.starts.get(first.stemmed) ?? 0,
  );
  if (most === 0) return null;
  const longest = Math.min(most, tokens.length - start);
  for (let length = longest; length >= 1; length--) {
    const span = tokens.slice(start, start + length);
    const value =
      phrases.exact.get(span.map((t) => t.exact).join(' ')) ??
      phrases.folded.get(span.map((t) => t.folded).join(' ')) ??
      phrases.stemmed.get(span.map((t) => t.stemmed).join(' '));
    if (value !== undefined) return { length, value };
  }
  return null;
}

/**
 * How a text is read. A trader's description by its phrases: a "for" phrase ends where its phrase
 * ends, and the words after the head phrase count less. A labelled (tariff) text as a whole: its
 * "for" runs to the end, so that the heading's and chapter's words after "Machines for ..." count
 * half there (measured: ending it at each phrase blurred the headings, ADR 0038).
 */
interface Reading {
  readonly byPhrase: boolean;
  /** Still in the head phrase: no phrase end or qualifying word after a goods word yet. */
  head: boolean;
  /** A word naming goods (not a pack, unit or function word) has been read. */
  named: boolean;
}

function latinWords(
  segment: readonly Token[],
  phraseStarts: ReadonlySet<number>,
  reading: Reading,
): DescriptionWord[] {
  const out: DescriptionWord[] = [];
  let afterQuantity = false;
  let afterFor = false;
  let lastEnd = -1;
  let namedWords = 0;
  for (let i = 0; i < segment.length;) {
    const token = segment[i];
    if (token === undefined) break;
    if (reading.byPhrase && (phraseStarts.has(i) || qualifierWords.has(token.folded))) {
      afterFor = false;
      if (reading.named) reading.head = false;
    }
    const place =
      (afterFor ? purposeWeight : 1) *
      (reading.head ? 1 : qualifierWeight) *
      (reading.byPhrase && namedWords > 0 ? laterWeight : 1);
    // a trade name may hold digits ("3d printer", "cat6", "lifepo4"): the lexicon is asked first
    const phrase = lookupPhrase(segment, i);
    if (phrase === null && token.numeric) {
      afterQuantity = true;
      i++;
      continue;
    }
    if (afterQuantity && (tables.packagingWords.has(token.folded) || tables.unitWords.has(token.folded))) {
      i++;
      continue;
    }
    const pack = afterQuantity ? packEnd(segment, i) : 0;
    if (pack > 0) {
      i = pack;
      continue;
    }
    afterQuantity = tables.unitWords.has(token.folded);
    if (phrase !== null) {
      const surface = segment
        .slice(i, i + phrase.length)
        .map((t) => t.exact)
        .join(' ');
      const terms = termsOf(phrase.value, place);
      if (terms.length > 0) out.push({ surface, terms });
      reading.named ||= terms.length > 0;
      if (terms.length > 0) namedWords++;
      i += phrase.length;
      lastEnd = i;
      continue;
    }
    if (token.folded === 'for') afterFor = true;
    const before = out.at(-1);
    if (
      reading.byPhrase &&
      likenessWords.has(token.folded) &&
      before !== undefined &&
      lastEnd === i &&
      !phraseStarts.has(i)
    ) {
      out[out.length - 1] = {
        ...before,
        terms: before.terms.map((t) => ({ ...t, weight: t.weight * qualifierWeight })),
      };
    }
    const packaging = tables.packagingWords.has(token.folded);
    const terms = termsOf([token.folded], (packaging ? packagingWeight : 1) * place);
    reading.named ||= terms.length > 0 && !packaging;
    if (terms.length > 0 && !packaging) namedWords++;
    const noun =
      !tables.packagingWords.has(token.folded) && /^[a-z]{3,}$/.test(token.stemmed)
        ? token.stemmed
        : undefined;
    if (terms.length > 0)
      out.push(noun === undefined ? { surface: token.exact, terms } : { surface: token.exact, terms, noun });
    i++;
    lastEnd = i;
  }
  return out;
}

/**
 * After a quantity, the end of a pack named with what it is made of ("25kg mesh bags", "1l pet
 * bottles", "50kg pp woven sacks"): the index after its packaging word, or 0 when none follows.
 */
function packEnd(segment: readonly Token[], start: number): number {
  let i = start;
  while (i < segment.length && packMaterials.has(segment[i]?.folded ?? '')) i++;
  const last = segment[i];
  return i > start && last !== undefined && tables.packagingWords.has(last.folded) ? i + 1 : 0;
}

function cjkWords(run: string): DescriptionWord[] {
  const chars = [...run];
  const out: DescriptionWord[] = [];
  let rest: string[] = [];
  const flush = () => {
    if (rest.length === 1) out.push({ surface: rest.join(''), terms: [{ term: rest.join(''), weight: 1 }] });
    for (let i = 0; i + 1 < rest.length; i++) {
      const bigram = `${rest[i] ?? ''}${rest[i + 1] ?? ''}`;
      out.push({ surface: bigram, terms: [{ term: bigram, weight: 1 }] });
    }
    rest = [];
  };
  for (let i = 0; i < chars.length;) {
    let matched = 0;
    for (let length = Math.min(tables.longestCjk, chars.length - i); length >= 1; length--) {
      const key = chars.slice(i, i + length).join('');
      const value = tables.cjk.get(key);
      if (value !== undefined) {
        flush();
        out.push({ surface: key, terms: termsOf(value, 1) });
        matched = length;
        break;
      }
    }
    if (matched > 0) i += matched;
    else rest.push(chars[i++] ?? '');
  }
  flush();
  return out;
}

/** The words of a description, in order, each with the terms it stands for; none for text without a usable word. */
export function describeWords(description: string): DescriptionWord[] {
  return readWords(description, { byPhrase: true, head: true, named: false });
}

function readWords(description: string, reading: Reading): DescriptionWord[] {
  const text = description
    .slice(0, maxLength)
    .normalize('NFKC')
    .toLowerCase()
    .replace(excluded, ' ')
    .replace(denied, ' ')
    // "non-electric" says the opposite of "electric": one word of its own
    .replace(/\bnon[- ]?electric(?:al)?\b/g, ' nonelectric ')
    .replace(/\bw\/o\b/g, ' without ')
    .replace(/\bw\//g, ' with ')
    .replace(/\bs\/s\b/g, ' stainless steel ')
    .replace(/&/g, ' and ');
  const out: DescriptionWord[] = [];
  let latin: Token[] = [];
  let phraseStarts = new Set<number>();
  const flushLatin = () => {
    out.push(...latinWords(latin, phraseStarts, reading));
    latin = [];
    phraseStarts = new Set();
  };
  let end = 0;
  for (const match of text.matchAll(wordPattern)) {
    const word = match[0];
    // the character after the gap too, so that a decimal comma is told from one between phrases
    if (phraseEnd.test(text.slice(end, match.index + 1))) phraseStarts.add(latin.length);
    end = match.index + word.length;
    let last = 0;
    for (const run of word.matchAll(cjkRun)) {
      const index = run.index;
      if (index > last) latin.push(token(word.slice(last, index)));
      flushLatin();
      out.push(...cjkWords(run[0]));
      last = index + run[0].length;
    }
    if (last < word.length) latin.push(token(word.slice(last)));
  }
  flushLatin();
  return out;
}

const tokens = new Map<string, Token>();

/** The forms of a word, remembered: tariff texts repeat a small vocabulary. */
function token(word: string): Token {
  let known = tokens.get(word);
  if (known === undefined) {
    known = readToken(word);
    // bounded, and without long words, so that what anyone types cannot grow it for good
    if (tokens.size < 200_000 && word.length <= 40) tokens.set(word, known);
  }
  return known;
}

function readToken(word: string): Token {
  const exact = word.normalize('NFC');
  const folded = foldAccents(exact);
  return { exact, folded, stemmed: stem(folded), numeric: /\p{N}/u.test(folded) };
}

/** A text's terms with the largest weight each had in it: what one labelled text contributes. */
export function textTerms(text: string): Map<string, number> {
  const terms = new Map<string, number>();
  for (const word of readWords(text, { byPhrase: false, head: true, named: false })) {
    for (const { term, weight } of word.terms) terms.set(term, Math.max(weight, terms.get(term) ?? 0));
  }
  return terms;
}
