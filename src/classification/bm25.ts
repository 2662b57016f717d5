/**
 * Okapi BM25 over documents given as term frequencies: an inverted index whose scores add into a
 * dense array, one cell per document, and the score of one term in one document (to say which words
 * of a query led to a suggestion).
 */

export interface Bm25Params {
  /** Saturation of a term's frequency. */
  readonly k1: number;
  /** How much a long document's frequencies are discounted. */
  readonly b: number;
}

interface Postings {
  readonly docs: Int32Array;
  /** Per posting: tf (k1 + 1) / (tf + k1 (1 - b + b len / avg)), before the idf. */
  readonly saturated: Float64Array;
  readonly idf: number;
}

export interface Bm25Index {
  readonly documents: number;
  readonly postings: ReadonlyMap<string, Postings>;
}

/** The index of `docs` (term to frequency, one map per document). */
export function buildBm25(docs: readonly ReadonlyMap<string, number>[], params: Bm25Params): Bm25Index {
  const lengths = docs.map((doc) => {
    let sum = 0;
    for (const tf of doc.values()) sum += tf;
    return sum;
  });
  const average = lengths.reduce((a, b) => a + b, 0) / Math.max(1, docs.length) || 1;
  const lists = new Map<string, { docs: number[]; saturated: number[] }>();
  docs.forEach((doc, d) => {
    const norm = params.k1 * (1 - params.b + (params.b * (lengths[d] ?? 0)) / average);
    for (const [term, tf] of doc) {
      let list = lists.get(term);
      if (list === undefined) lists.set(term, (list = { docs: [], saturated: [] }));
      list.docs.push(d);
      list.saturated.push((tf * (params.k1 + 1)) / (tf + norm));
    }
  });
  const postings = new Map<string, Postings>();
  for (const [term, list] of lists) {
    const df = list.docs.length;
    postings.set(term, {
      docs: Int32Array.from(list.docs),
      saturated: Float64Array.from(list.saturated),
      idf: Math.log(1 + (docs.length - df + 0.5) / (df + 0.5)),
    });
  }
  return { documents: docs.length, postings };
}

/** Adds `weight` times the term's BM25 score to each document's cell of `scores`. */
export function addScores(index: Bm25Index, term: string, weight: number, scores: Float64Array): void {
  const list = index.postings.get(term);
  if (list === undefined) return;
  const factor = weight * list.idf;
  for (let i = 0; i < list.docs.length; i++) {
    const d = list.docs[i] ?? 0;
    scores[d] = (scores[d] ?? 0) + factor * (list.saturated[i] ?? 0);
  }
}

/** The term's BM25 score in one document (0 when absent). */
export function termScore(index: Bm25Index, term: string, doc: number): number {
  const list = index.postings.get(term);
  if (list === undefined) return 0;
  let lo = 0;
  let hi = list.docs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = list.docs[mid] ?? 0;
    if (at === doc) return list.idf * (list.saturated[mid] ?? 0);
    if (at < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}
