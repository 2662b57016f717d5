/**
 * The broader words of English goods nouns (data/hs-text/wordnet-expansions.tsv.gz, built from
 * WordNet by expansions-build.ts): what lets a description in a trader's words ("sneakers",
 * "wok", "treadmill") reach the tariff's classes ("footwear", "kitchen utensils", "exercise
 * equipment"). A description's words the lexicon does not map are given their broader words as
 * extra terms of the same word, so that a suggestion still names the word typed. A word the
 * model has never seen leans on them fully; a known word only a little, as its own term already
 * says most.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dataFile } from '../reference/reference-dir.ts';
import type { DescriptionWord, WeightedTerm } from './text.ts';

export const expansionsFile = dataFile('hs-text/wordnet-expansions.tsv.gz');

/** How much the broader words of a word count beside its own terms, by whether the model knows the word. */
export const expansionWeights = { unknown: 1, known: 0.1 };

let table: ReadonlyMap<string, readonly WeightedTerm[]> | undefined;

function parse(text: string): Map<string, WeightedTerm[]> {
  const out = new Map<string, WeightedTerm[]>();
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const terms: WeightedTerm[] = [];
    for (const pair of line.slice(tab + 1).split(' ')) {
      const colon = pair.lastIndexOf(':');
      const weight = Number(pair.slice(colon + 1));
      if (colon > 0 && weight > 0) terms.push({ term: pair.slice(0, colon), weight });
    }
    out.set(line.slice(0, tab), terms);
  }
  return out;
}

/** The broader words of every noun, read once. */
export function expansions(): ReadonlyMap<string, readonly WeightedTerm[]> {
  if (table === undefined) {
    try {
      table = parse(gunzipSync(readFileSync(expansionsFile)).toString('utf8'));
    } catch (error) {
      // an installation without the table suggests from the words typed alone, and says so once
      process.emitWarning(`the classification aid has no broader words: ${String(error)}`);
      table = new Map();
    }
  }
  return table;
}

/**
 * The words with their broader words added: a compound of two nouns ("hair dryer") adds its own to
 * its second word, a noun alone its own. `known` says whether the model has seen a term.
 */
export function expandWords(
  words: readonly DescriptionWord[],
  known: (term: string) => boolean,
): DescriptionWord[] {
  const broader = expansions();
  return words.map((word, i) => {
    if (word.noun === undefined) return word;
    const before = words[i - 1]?.noun;
    const added =
      (before === undefined ? undefined : broader.get(`${before} ${word.noun}`)) ?? broader.get(word.noun);
    if (added === undefined) return word;
    const seen = word.terms.some((t) => known(t.term)) ? expansionWeights.known : expansionWeights.unknown;
    // a word that counts less (after "for") lends less to its broader words
    const share = seen * Math.max(...word.terms.map((t) => t.weight));
    const own = new Set(word.terms.map((t) => t.term));
    const extra = added
      .filter((t) => !own.has(t.term))
      .map((t) => ({ term: t.term, weight: t.weight * share, broader: true as const }));
    return { ...word, terms: [...word.terms, ...extra] };
  });
}
