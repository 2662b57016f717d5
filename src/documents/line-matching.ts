/**
 * Which declared goods item each invoice line belongs to. A declaration may merge invoice lines
 * of one tariff code into one item, so an item may take several lines; a line that resembles no
 * item, or an item no line resembles, is left unmatched. Lines and items are paired by the words
 * of their descriptions, and by their order where the words do not decide (twelve lines of
 * "frozen shrimp" pair in turn).
 */
import type { GoodsItem } from '../declarations/model.ts';
import type { InvoiceLine } from './extraction.ts';
import { wordDice } from './names.ts';

const stopWords = new Set('a an and or of for with in on the to x pcs'.split(' '));

/** The words of a goods description. */
export const descriptionWords = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((w) => w.length > 1 && !stopWords.has(w));

/** Words in common count most; standing at the same place in both lists adds up to this much. */
const orderWeight = 0.3;
/** A line beyond one per item joins an item only when their descriptions share this much. */
const mergeSimilarity = 0.5;

export interface LineMatching {
  /** For each invoice line, the index of its item, or -1. */
  itemOf: number[];
  unmatchedLines: number[];
  unmatchedItems: number[];
}

export function matchLines(lines: readonly InvoiceLine[], items: readonly GoodsItem[]): LineMatching {
  const words = lines.map((l) => descriptionWords(l.description.value));
  const itemWords = items.map((i) => descriptionWords(i.description ?? ''));
  const similarity = (i: number, j: number) => wordDice(words[i] ?? [], itemWords[j] ?? []);
  const place = (i: number, n: number) => (i + 0.5) / n;
  const score = (i: number, j: number) =>
    similarity(i, j) + orderWeight * (1 - Math.abs(place(i, lines.length) - place(j, items.length)));
  const pairs: { i: number; j: number; score: number }[] = [];
  lines.forEach((_, i) => items.forEach((__, j) => pairs.push({ i, j, score: score(i, j) })));
  pairs.sort((a, b) => b.score - a.score || a.i - b.i);
  const itemOf = lines.map(() => -1);
  const taken = new Set<number>();
  for (const { i, j } of pairs) {
    if (itemOf[i] !== -1 || taken.has(j)) continue;
    itemOf[i] = j;
    taken.add(j);
  }
  itemOf.forEach((j, i) => {
    if (j !== -1) return;
    let best = -1;
    let bestSimilarity = mergeSimilarity;
    items.forEach((_, k) => {
      const s = similarity(i, k);
      if (s >= bestSimilarity) {
        best = k;
        bestSimilarity = s;
      }
    });
    itemOf[i] = best;
  });
  return {
    itemOf,
    unmatchedLines: itemOf.flatMap((j, i) => (j === -1 ? [i] : [])),
    unmatchedItems: items.flatMap((_, j) => (itemOf.includes(j) ? [] : [j])),
  };
}
