/**
 * How alike two company names are, as an officer would judge them: case, punctuation and legal
 * forms (Co., Ltd., GmbH, LLC, Inc.) do not count, nor do words every trading house uses
 * (import, export, trading, international); the distinctive words are compared one by one, a word
 * read with an OCR slip still counting as the same.
 */

const legalForms = new Set(
  (
    'co company corp corporation inc incorporated ltd limited llc llp gmbh ag kg mbh sa sas sarl srl spa bv nv ' +
    'plc pte pty pvt private public oy ab as aps kk jsc ojsc ooo sdn bhd tbk pt cv se lp'
  ).split(' '),
);
const commonWords = new Set(
  (
    'import export imports exports trading trade traders international intl industrial industries industry ' +
    'group holdings holding enterprise enterprises manufacturing global and the of'
  ).split(' '),
);

/**
 * Whether a word is in a list, allowing an OCR slip: one letter replaced in a word of three or
 * four letters ("Lid." for "Ltd."), about one in five in longer ones ("lmport").
 */
function listed(word: string, list: ReadonlySet<string>): boolean {
  if (list.has(word)) return true;
  for (const entry of list) {
    if (entry.length < 3 || Math.abs(entry.length - word.length) > 1) continue;
    const limit = word.length >= 5 ? sameWord : word.length === entry.length ? 0.66 : 1;
    if (wordSimilarity(word, entry) >= limit) return true;
  }
  return false;
}

/** The words of a name that tell it apart: lower case, without punctuation or legal forms. */
export function nameWords(name: string): string[] {
  const words = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/(?<=[a-z])0(?=[a-z])/g, 'o')
    .replace(/(?<=[a-z])1(?=[a-z])/g, 'l')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((w) => w !== '' && !listed(w, legalForms));
  const distinctive = words.filter((w) => !listed(w, commonWords));
  return distinctive.length > 0 ? distinctive : words;
}

/** Similarity of two words from their edit distance, 0 to 1. */
function wordSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - editDistance(a, b) / longest;
}

/** Two words are the same word when at most about one letter in five differs. */
const sameWord = 0.75;

/**
 * The Dice similarity of two names' distinctive words, 0 to 1: twice the words they share
 * (matched one to one, each word at most once) over the words of both.
 */
export function nameSimilarity(a: string, b: string): number {
  return wordDice(nameWords(a), nameWords(b));
}

/** Dice similarity of two lists of words, a word matching at most one other, with OCR slips allowed. */
export function wordDice(left: readonly string[], right: readonly string[]): number {
  if (left.length === 0 || right.length === 0) return left.length === right.length ? 1 : 0;
  const used = new Set<number>();
  let shared = 0;
  for (const word of left) {
    let best = -1;
    let bestScore = sameWord;
    right.forEach((other, j) => {
      const score = used.has(j) ? 0 : wordSimilarity(word, other);
      if (score >= bestScore) {
        best = j;
        bestScore = score;
      }
    });
    if (best >= 0) {
      used.add(best);
      shared++;
    }
  }
  return (2 * shared) / (left.length + right.length);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
