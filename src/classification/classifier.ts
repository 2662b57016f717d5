/**
 * The HS classification aid (ADR 0034): from a free-text goods description, the most likely HS6
 * subheadings with a confidence and the words that led to each. Every labelled text, whatever its
 * source, adds its terms (text.ts) to its subheading's document, weighted by the text's weight. A
 * query is scored with BM25 against the subheadings' documents and against their headings'
 * (every subheading of a heading pooled), on words and on character n-grams of the words (typos,
 * abbreviations, words seen only in another form); a subheading's score is its own plus a share of
 * its heading's. The confidence is a softmax over all codes at a temperature chosen on data.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { addScores, buildBm25, termScore, type Bm25Index } from './bm25.ts';
import type { LabelledText } from './corpus.ts';
import { expandWords } from './expansions.ts';
import { charGrams, describeWords, textTerms, type DescriptionWord } from './text.ts';

export interface ClassifierOptions {
  /** BM25 saturation. */
  readonly k1: number;
  /** BM25 length discount. */
  readonly b: number;
  /** The weight of a word's character n-grams (their mean score) beside the word itself. */
  readonly gramWeight: number;
  /** The share of the heading's score added to each of its subheadings'. */
  readonly headingWeight: number;
  /** Softmax temperature turning scores into confidences. */
  readonly temperature: number;
}

export const defaultClassifierOptions: ClassifierOptions = {
  k1: 1.2,
  b: 0.75,
  gramWeight: 0.3,
  headingWeight: 0.5,
  temperature: 2.5,
};

interface Indexes {
  readonly words6: Bm25Index;
  readonly grams6: Bm25Index;
  readonly words4: Bm25Index;
  readonly grams4: Bm25Index;
  /** Per subheading, its heading's document. */
  readonly headingOf: Int32Array;
}

/** A trained classifier: the subheadings' term frequencies (what is stored) and the indexes built from them. */
export interface Classifier {
  readonly options: ClassifierOptions;
  /** The HS6 codes, sorted. */
  readonly codes: readonly string[];
  /** Per code, term to weighted frequency. */
  readonly documents: readonly ReadonlyMap<string, number>[];
  /** How many labelled texts it learned from. */
  readonly texts: number;
  readonly indexes: Indexes;
}

export interface Suggestion {
  hs6: string;
  /** 0 to 1; the suggestions of one query sum to at most 1. */
  confidence: number;
  /** The description's words (normalised) that led to this code, most important first. */
  words: string[];
}

/**
 * The character n-grams of terms seen, remembered: tariff texts and descriptions repeat a small
 * vocabulary. Bounded, and without long words, so that what anyone types cannot grow it for good.
 */
const gramCache = new Map<string, string[]>();
const gramCacheLimit = 100_000;
const longestRemembered = 40;
function gramsOf(term: string): string[] {
  let grams = gramCache.get(term);
  if (grams === undefined) {
    grams = charGrams(term);
    if (term.length <= longestRemembered) {
      if (gramCache.size >= gramCacheLimit) gramCache.clear();
      gramCache.set(term, grams);
    }
  }
  return grams;
}

function gramDocument(doc: ReadonlyMap<string, number>): Map<string, number> {
  const grams = new Map<string, number>();
  for (const [term, tf] of doc) {
    for (const gram of gramsOf(term)) grams.set(gram, (grams.get(gram) ?? 0) + tf);
  }
  return grams;
}

function buildIndexes(
  codes: readonly string[],
  documents: readonly ReadonlyMap<string, number>[],
  options: ClassifierOptions,
): Indexes {
  const headings: string[] = [];
  const headingDocs: Map<string, number>[] = [];
  const headingOf = new Int32Array(codes.length);
  codes.forEach((code, d) => {
    const heading = code.slice(0, 4);
    if (headings.at(-1) !== heading) {
      headings.push(heading);
      headingDocs.push(new Map());
    }
    headingOf[d] = headings.length - 1;
    const pooled = headingDocs[headings.length - 1] ?? new Map<string, number>();
    for (const [term, tf] of documents[d] ?? []) pooled.set(term, (pooled.get(term) ?? 0) + tf);
  });
  return {
    words6: buildBm25(documents, options),
    grams6: buildBm25(documents.map(gramDocument), options),
    words4: buildBm25(headingDocs, options),
    grams4: buildBm25(headingDocs.map(gramDocument), options),
    headingOf,
  };
}

function assemble(
  codes: string[],
  documents: Map<string, number>[],
  texts: number,
  options: ClassifierOptions,
): Classifier {
  return { options, codes, documents, texts, indexes: buildIndexes(codes, documents, options) };
}

/** Learns from labelled texts of any source; a text's weight multiplies what its terms add. */
export function trainClassifier(
  texts: readonly LabelledText[],
  options: Partial<ClassifierOptions> = {},
): Classifier {
  const settings = { ...defaultClassifierOptions, ...options };
  const byCode = new Map<string, Map<string, number>>();
  for (const { text, hs6, weight } of texts) {
    if (!/^\d{6}$/.test(hs6)) throw new Error(`labelled text has HS code "${hs6}", not six digits`);
    if (!(weight > 0)) continue;
    let doc = byCode.get(hs6);
    if (doc === undefined) byCode.set(hs6, (doc = new Map()));
    for (const [term, w] of textTerms(text)) doc.set(term, (doc.get(term) ?? 0) + weight * w);
  }
  const codes = [...byCode.keys()].sort();
  return assemble(
    codes,
    codes.map((c) => byCode.get(c) ?? new Map<string, number>()),
    texts.length,
    settings,
  );
}

/** A term's weighted score in the scores array of subheadings and of headings; a broader word without its n-grams. */
function scoreTerm(
  model: Classifier,
  term: string,
  weight: number,
  six: Float64Array,
  four: Float64Array,
  withGrams: boolean,
): void {
  const { indexes, options } = model;
  addScores(indexes.words6, term, weight, six);
  addScores(indexes.words4, term, weight, four);
  if (!withGrams) return;
  const grams = gramsOf(term);
  for (const gram of grams) {
    const w = (weight * options.gramWeight) / grams.length;
    addScores(indexes.grams6, gram, w, six);
    addScores(indexes.grams4, gram, w, four);
  }
}

/** How much one word of the query added to one subheading's final score. */
function contribution(model: Classifier, word: DescriptionWord, doc: number): number {
  const { indexes, options } = model;
  const heading = indexes.headingOf[doc] ?? 0;
  let sum = 0;
  for (const { term, weight, broader } of word.terms) {
    const grams = broader ? [] : gramsOf(term);
    let six = termScore(indexes.words6, term, doc);
    let four = termScore(indexes.words4, term, heading);
    for (const gram of grams) {
      six += (options.gramWeight / grams.length) * termScore(indexes.grams6, gram, doc);
      four += (options.gramWeight / grams.length) * termScore(indexes.grams4, gram, heading);
    }
    sum += weight * (six + options.headingWeight * four);
  }
  return sum;
}

/** The words that led to a suggestion: those adding at least a tenth of the largest contribution. */
function leadingWords(model: Classifier, words: readonly DescriptionWord[], doc: number): string[] {
  const scored = words
    .map((word) => ({ surface: word.surface, score: contribution(model, word, doc) }))
    .filter((w) => w.score > 0)
    .sort((a, b) => b.score - a.score);
  const top = scored[0]?.score ?? 0;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const { surface, score } of scored) {
    if (score < top / 10 || seen.has(surface)) continue;
    seen.add(surface);
    out.push(surface);
  }
  return out;
}

/** The final score of every subheading for a description; null when it has no usable word. */
export function scoreDescription(model: Classifier, words: readonly DescriptionWord[]): Float64Array | null {
  const typed = new Map<string, number>();
  const broader = new Map<string, number>();
  for (const word of words) {
    for (const { term, weight, broader: isBroader } of word.terms) {
      const query = isBroader ? broader : typed;
      query.set(term, (query.get(term) ?? 0) + weight);
    }
  }
  if (typed.size === 0) return null;
  const six = new Float64Array(model.codes.length);
  const four = new Float64Array(model.indexes.words4.documents);
  for (const [term, weight] of typed) scoreTerm(model, term, weight, six, four, true);
  for (const [term, weight] of broader) scoreTerm(model, term, weight, six, four, false);
  const { headingOf } = model.indexes;
  for (let d = 0; d < six.length; d++) {
    six[d] = (six[d] ?? 0) + model.options.headingWeight * (four[headingOf[d] ?? 0] ?? 0);
  }
  return six;
}

/** The indexes of the k largest positive scores, largest first (ties: the lower index). */
function topIndexes(scores: Float64Array, k: number): number[] {
  const top: number[] = [];
  if (k === 0) return top;
  for (let d = 0; d < scores.length; d++) {
    const score = scores[d] ?? -Infinity;
    if (!(score > 0)) continue;
    if (top.length === k && score <= (scores[top[k - 1] ?? 0] ?? 0)) continue;
    let at = top.length === k ? k - 1 : top.length;
    while (at > 0 && (scores[top[at - 1] ?? 0] ?? 0) < score) {
      top[at] = top[at - 1] ?? 0;
      at--;
    }
    top[at] = d;
    if (top.length > k) top.length = k;
  }
  return top;
}

/**
 * The `limit` (default 5) most likely subheadings for a description, among the codes `among`
 * accepts (e.g. those in force in an edition); [] when it has no word the model knows.
 */
export function classify(
  model: Classifier,
  description: string,
  options: { limit?: number; among?: (hs6: string) => boolean } = {},
): Suggestion[] {
  const limit = options.limit ?? 5;
  const words = expandWords(describeWords(description), (term) => model.indexes.words6.postings.has(term));
  const scores = scoreDescription(model, words);
  if (scores === null) return [];
  const { temperature } = model.options;
  let best = -Infinity;
  for (let d = 0; d < scores.length; d++) {
    if (options.among !== undefined && !options.among(model.codes[d] ?? '')) scores[d] = -Infinity;
    else best = Math.max(best, scores[d] ?? 0);
  }
  if (!(best > 0)) return [];
  let total = 0;
  for (const score of scores) total += Math.exp((score - best) / temperature);
  const ranked = topIndexes(scores, Math.max(0, limit));
  return ranked.map((d) => ({
    hs6: model.codes[d] ?? '',
    confidence: Math.exp(((scores[d] ?? 0) - best) / temperature) / total,
    words: leadingWords(model, words, d),
  }));
}

/** How much the model holds: codes, labelled texts learned from, distinct word terms. */
export function describeClassifier(model: Classifier): { codes: number; texts: number; terms: number } {
  return { codes: model.codes.length, texts: model.texts, terms: model.indexes.words6.postings.size };
}

const format = 'clearway-hs-classifier';
const version = 1;

/** The model as gzip-compressed JSON: options, codes, and each code's terms and frequencies; deterministic. */
export function serializeClassifier(model: Classifier): Uint8Array {
  const vocabulary = [...model.indexes.words6.postings.keys()].sort();
  const ids = new Map(vocabulary.map((term, i) => [term, i]));
  const documents = model.documents.map((doc) => {
    const entries = [...doc].sort((a, b) => (ids.get(a[0]) ?? 0) - (ids.get(b[0]) ?? 0));
    return [entries.map(([term]) => ids.get(term) ?? 0), entries.map(([, tf]) => Math.round(tf * 1e4) / 1e4)];
  });
  const json = JSON.stringify({
    format,
    version,
    options: model.options,
    texts: model.texts,
    codes: model.codes,
    vocabulary,
    documents,
  });
  return new Uint8Array(gzipSync(json, { level: 9 }));
}

function refuse(reason: string): never {
  throw new Error(`not a Clearway HS classifier of version ${version}: ${reason}`);
}

const isNumberArray = (x: unknown): x is number[] =>
  Array.isArray(x) && x.every((n) => typeof n === 'number');

/** A model written by serializeClassifier; throws when the bytes are not one of this version. */
export function loadClassifier(bytes: Uint8Array): Classifier {
  let parsed: unknown;
  try {
    parsed = JSON.parse(gunzipSync(bytes).toString('utf8'));
  } catch {
    refuse('not gzip-compressed JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) refuse('not an object');
  const file = parsed as Record<string, unknown>;
  if (file.format !== format) refuse(`format is ${JSON.stringify(file.format)}`);
  if (file.version !== version) refuse(`version is ${JSON.stringify(file.version)}`);
  const { options, texts, codes, vocabulary, documents } = file;
  const settings = { ...defaultClassifierOptions };
  if (typeof options !== 'object' || options === null) refuse('no options');
  for (const key of Object.keys(settings) as (keyof ClassifierOptions)[]) {
    const value = (options as Record<string, unknown>)[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) refuse(`option ${key} is not a number`);
    settings[key] = value;
  }
  if (typeof texts !== 'number') refuse('no count of texts');
  if (!Array.isArray(codes) || !codes.every((c) => typeof c === 'string' && /^\d{6}$/.test(c)))
    refuse('codes are not HS6 codes');
  if (!Array.isArray(vocabulary) || !vocabulary.every((t) => typeof t === 'string')) refuse('no vocabulary');
  if (!Array.isArray(documents) || documents.length !== codes.length)
    refuse('documents do not match the codes');
  const docs = documents.map((entry: unknown) => {
    if (
      !Array.isArray(entry) ||
      !isNumberArray(entry[0]) ||
      !isNumberArray(entry[1]) ||
      entry[0].length !== entry[1].length
    ) {
      refuse('a document is not terms and frequencies');
    }
    const [ids, tfs] = entry as [number[], number[]];
    return new Map(
      ids.map((id, i) => [
        String(vocabulary[id] ?? refuse(`term ${id} outside the vocabulary`)),
        tfs[i] ?? 0,
      ]),
    );
  });
  return assemble(codes as string[], docs, texts, settings);
}
