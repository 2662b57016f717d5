/**
 * The disclosure-control parameters of a release. Every release records the parameters it was
 * prepared with, so a published table can always be explained.
 */
export interface DominanceRule {
  /** How many of the largest traders are added. */
  n: number;
  /** The share (percent) of the cell's value above which those traders dominate it. */
  k: number;
}

export interface DisclosureParameters {
  /** A cell with fewer traders than this is confidential. */
  minTraders: number;
  /** A cell in which the `n` largest traders hold more than `k` percent of the value is confidential. */
  dominance: DominanceRule[];
  /**
   * How far (percent of its value) an attacker's bounds on a confidential cell must stay from it,
   * below and above, whatever combination of published cells is used.
   */
  protectionPercent: number;
}

export const defaultParameters: DisclosureParameters = {
  minTraders: 3,
  dominance: [
    { n: 1, k: 85 },
    { n: 2, k: 95 },
  ],
  protectionPercent: 20,
};

/** What is wrong with the parameters, in words naming the field; null when they hold. */
export function parameterProblem(p: DisclosureParameters): string | null {
  if (!Number.isInteger(p.minTraders) || p.minTraders < 1 || p.minTraders > 100)
    return 'minTraders must be a whole number from 1 to 100';
  if (p.dominance.length > 5) return 'dominance may hold at most 5 rules';
  for (const [i, r] of p.dominance.entries()) {
    if (!Number.isInteger(r.n) || r.n < 1 || r.n > 5)
      return `dominance[${i}].n must be a whole number from 1 to 5`;
    if (!(r.k > 0 && r.k < 100)) return `dominance[${i}].k must be a percentage above 0 and below 100`;
  }
  if (!(p.protectionPercent >= 0 && p.protectionPercent <= 100))
    return 'protectionPercent must be from 0 to 100';
  return null;
}
