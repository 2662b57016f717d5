/**
 * Searching one code list by code and by words. The list is normalised once (accents removed,
 * lower case, punctuation as spaces), so a search is a pass of string probes over prepared text:
 * a few milliseconds for the 5,600 subheadings of an HS edition.
 */

/** One code of a list as a picker shows it. */
export interface CodeItem {
  readonly code: string;
  readonly description: string;
}

export interface CodeSearch {
  /**
   * The items matching `query`, best first: codes starting with the query (punctuation and case
   * ignored), then descriptions in which every word of the query starts a word (the description
   * that is the query, then those whose first words are the query, then the others), then descriptions that merely
   * contain every word; each group in code order. A query of digits is a code only. An empty query
   * lists the first codes.
   */
  search(query: string, limit: number): CodeItem[];
}

export interface CodeSearchOptions {
  /** A query longer than a code that starts with it matches it too (an HS subheading and its national digits). */
  extendedCodes?: boolean;
}

interface Prepared {
  item: CodeItem;
  /** The code in upper case without punctuation, as compared with a query. */
  code: string;
  /** The description normalised, with a space in front so that ` word` finds a word's start. */
  words: string;
}

/** A word of the query, and the same with the space that marks a word's start. */
interface Term {
  text: string;
  spaced: string;
}

const Rank = { Code: 0, Exact: 1, Leading: 2, WordStart: 3, Inside: 4, None: 5 } as const;
type Rank = (typeof Rank)[keyof typeof Rank];

/** Lower case, accents removed, anything but letters and digits a single space. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A code as typed, compared with the list's codes: upper case, without spaces, dots or dashes. */
export function compactCode(text: string): string {
  return text.replace(/[\s.\-/]+/g, '').toUpperCase();
}

export function codeSearch(items: readonly CodeItem[], options: CodeSearchOptions = {}): CodeSearch {
  const prepared: Prepared[] = [...items]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((item) => ({ item, code: compactCode(item.code), words: ` ${normaliseText(item.description)}` }));
  const extended = options.extendedCodes === true;

  const rankOf = (p: Prepared, code: string, terms: readonly Term[], phrase: string): Rank => {
    if (code !== '' && (p.code.startsWith(code) || (extended && code.startsWith(p.code)))) return Rank.Code;
    if (terms.length === 0) return Rank.None;
    let rank: Rank = Rank.WordStart;
    for (const term of terms) {
      if (p.words.includes(term.spaced)) continue;
      if (!p.words.includes(term.text)) return Rank.None;
      rank = Rank.Inside;
    }
    if (rank === Rank.Inside) return rank;
    // the description that is the query itself, then those that begin with it
    if (p.words.length === phrase.length + 1 && p.words.endsWith(phrase)) return Rank.Exact;
    const leading = p.words.startsWith(` ${phrase}`) && p.words.charAt(phrase.length + 1) === ' ';
    return leading ? Rank.Leading : rank;
  };

  return {
    search(query, limit) {
      const phrase = normaliseText(query);
      const code = compactCode(query);
      if (code === '') return prepared.slice(0, limit).map((p) => p.item);
      // digits (with dots or spaces) are a code, not words: 7013.3 is not "7013" and "3" in a text
      const words = /^[\d\s.]+$/.test(query) ? [] : phrase.split(' ').filter(Boolean);
      const terms = words.map((text) => ({ text, spaced: ` ${text}` }));
      // one pass; each group keeps the code order of the prepared list
      const groups: CodeItem[][] = [[], [], [], [], []];
      for (const p of prepared) {
        const rank = rankOf(p, code, terms, phrase);
        if (rank === Rank.None) continue;
        groups[rank]?.push(p.item);
        if (rank === Rank.Code && (groups[Rank.Code]?.length ?? 0) >= limit) break;
      }
      return groups.flat().slice(0, limit);
    },
  };
}
