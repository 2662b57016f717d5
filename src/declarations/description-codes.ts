/**
 * The seam for what a goods description points to: the HS subheadings the classification aid
 * (classification/aid.ts) finds for a description, most likely first, among those in force on a
 * day. Validation and the risk indicators compare them with the declared code; this file holds
 * only the seam, so neither depends on how the codes are found.
 */
export interface DescribedCode {
  hs6: string;
  /** 0 to 1; the answers for one description add up to at most 1. */
  confidence: number;
}

export interface DescriptionCodes {
  codes(description: string, date: string): readonly DescribedCode[];
}

/** How sure the aid must be of a heading before a description is said to point elsewhere than the declared code. */
export const pointsElsewhereConfidence = 0.6;

/**
 * The subheading a description points to when it is not in the declared heading: the aid's first
 * answer, when the answers in its heading add up to `pointsElsewhereConfidence` or more and none is in
 * the declared heading; its confidence is the heading's. Undefined when the description agrees, is
 * too vague to tell, or there is no aid.
 */
export function pointsElsewhere(
  answers: readonly DescribedCode[],
  declared: string,
): DescribedCode | undefined {
  const first = answers[0];
  const heading = declared.slice(0, 4);
  if (!first || answers.some((a) => a.hs6.startsWith(heading))) return undefined;
  const pointed = first.hs6.slice(0, 4);
  let sure = 0;
  for (const a of answers) if (a.hs6.startsWith(pointed)) sure += a.confidence;
  return sure >= pointsElsewhereConfidence ? { hs6: first.hs6, confidence: sure } : undefined;
}

/** The confidence the aid gives the declared heading for a description: 0 to 1, NaN without an answer. */
export function headingAgreement(answers: readonly DescribedCode[], declared: string): number {
  if (answers.length === 0) return NaN;
  const heading = declared.slice(0, 4);
  let sum = 0;
  for (const a of answers) if (a.hs6.startsWith(heading)) sum += a.confidence;
  return sum;
}

/** 030617 as 0306.17, the way codes are written for people. */
export const dotted = (hs6: string) => `${hs6.slice(0, 4)}.${hs6.slice(4, 6)}`;
