/**
 * The classification aid a server or command holds: the active model, kept in memory and read again
 * when another version is activated (at once in this process, within `recheckSeconds` from another),
 * answering with the codes in force on the declaration's day and their texts. The answers for a
 * description are remembered, since the same goods are declared again and again.
 */
import type { Database } from '../db/database.ts';
import type { ReferenceData } from '../reference/reference-data.ts';
import { classify, type Suggestion } from './classifier.ts';
import { expansions } from './expansions.ts';
import { activeClassifier, type LoadedClassifier } from './registry.ts';

export interface CodeText {
  code: string;
  description: string;
}

/** A suggested subheading with the texts of its chapter, heading and subheading on the day asked for. */
export interface CodeSuggestion extends Suggestion {
  /** With an origin: the share of the goods items declared from it that fall in this heading. */
  originShare?: number;
  chapter: CodeText;
  heading: CodeText;
  subheading: CodeText;
}

export interface ClassificationAid {
  /** The version answering, or null when none is active. */
  modelId(): number | null;
  /**
   * The most likely subheadings in force on `date` (YYYY-MM-DD) with their texts; [] without a
   * model. With an origin, the headings declared most from it rank a little higher.
   */
  suggest(description: string, date: string, options?: { limit?: number; origin?: string }): CodeSuggestion[];
  /** The same, codes and confidences only: what validation and the risk indicators compare with. */
  codes(description: string, date: string): readonly Suggestion[];
  /** Reads the active version again now (after an activation here). */
  refresh(): Promise<void>;
}

/** How long a process trusts that the version it holds is still the active one. */
export const recheckSeconds = 30;
const rememberedAnswers = 20_000;
export const suggestionLimit = { default: 5, max: 10 } as const;

export async function openClassificationAid(
  db: Database,
  reference: ReferenceData,
): Promise<ClassificationAid> {
  let loaded: LoadedClassifier | null = await activeClassifier(db);
  expansions(); // read now, not in the first suggestion's request
  let checkedAt = Date.now();
  let checking: Promise<void> | null = null;
  let answers = new Map<string, Suggestion[]>();

  // each reading is numbered: one that started before a later one finishes after it is dropped, so
  // a background recheck never puts back the version an activation here replaced
  let started = 0;
  let applied = 0;
  const refresh = async () => {
    const mine = ++started;
    const next = await activeClassifier(db, loaded);
    if (mine < applied) return;
    applied = mine;
    checkedAt = Date.now();
    if (next?.id !== loaded?.id) answers = new Map();
    loaded = next;
  };
  const current = (): LoadedClassifier | null => {
    if (Date.now() - checkedAt > recheckSeconds * 1000 && !checking) {
      checking = refresh()
        .catch(() => undefined) // the version in hand keeps answering; the next call tries again
        .finally(() => (checking = null));
    }
    return loaded;
  };

  const codes = (
    description: string,
    date: string,
    limit: number = suggestionLimit.default,
  ): Suggestion[] => {
    const model = current();
    const edition = reference.hsEditionOn(date);
    if (!model || !edition) return [];
    const key = `${edition}\u0000${limit}\u0000${description}`;
    const known = answers.get(key);
    if (known) return known;
    const found = classify(model.model, description, {
      limit,
      among: (hs6) => reference.hsSubheadingInForce(hs6, date),
    });
    if (answers.size >= rememberedAnswers) answers = new Map();
    answers.set(key, found);
    return found;
  };

  return {
    modelId: () => current()?.id ?? null,
    codes: (description, date) => codes(description, date),
    suggest(description, date, { limit = suggestionLimit.default, origin } = {}) {
      const shares = origin ? current()?.origins[origin] : undefined;
      const found = shares
        ? byOrigin(codes(description, date, suggestionLimit.max), shares).slice(0, limit)
        : codes(description, date, limit);
      return found.map((s) => ({
        ...s,
        chapter: textOf(reference, s.hs6.slice(0, 2), date),
        heading: textOf(reference, s.hs6.slice(0, 4), date),
        subheading: textOf(reference, s.hs6, date),
      }));
    },
    refresh,
  };
}

/** How much an origin's share of a heading raises a suggestion in it: a share of 1 would count this many times more. */
export const originWeight = 2;

/**
 * Suggestions ranked again with what an origin declares: each confidence times 1 + originWeight x
 * its heading's share of the origin's goods, then scaled so that they add up to what they did.
 */
export function byOrigin(
  found: readonly Suggestion[],
  shares: Readonly<Record<string, number>>,
): (Suggestion & { originShare: number })[] {
  const total = found.reduce((sum, s) => sum + s.confidence, 0);
  const raised = found.map((s) => {
    const originShare = shares[s.hs6.slice(0, 4)] ?? 0;
    return { ...s, originShare, confidence: s.confidence * (1 + originWeight * originShare) };
  });
  const scale = total / (raised.reduce((sum, s) => sum + s.confidence, 0) || 1);
  return raised
    .map((s) => ({ ...s, confidence: s.confidence * scale }))
    .sort((a, b) => b.confidence - a.confidence || (a.hs6 < b.hs6 ? -1 : 1));
}

const textOf = (reference: ReferenceData, code: string, date: string): CodeText => ({
  code,
  description: reference.hsDescription(code, date) ?? '',
});
