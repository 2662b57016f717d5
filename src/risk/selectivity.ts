/**
 * Selectivity: the scorers' outputs (rule profiles, the learned model, anomaly detectors) combine
 * into a score and a lane, with every reason kept. Capacity per office and day caps red and
 * yellow, highest risk first; a minimum random share is selected whatever its score, so that
 * compliance can be measured without bias. Pure functions: storage and scheduling live elsewhere.
 */
import { Lane } from './profiles/profile.ts';

export type Reason =
  | { kind: 'rule'; code: string; lane: Lane; weight: number; text: string }
  | { kind: 'factor'; feature: string; contribution: number }
  | ModelExplanation
  | { kind: 'anomaly'; detector: string; text: string; score: number; price?: PricePoint }
  | { kind: 'random'; text: string }
  | { kind: 'capacity'; text: string }
  | MirrorReason;

/** A gap between an import and a partner's export record beyond its threshold (risk/mirror.ts, ADR 0024). */
export type MirrorReason = {
  kind: 'mirror';
  /** The administration that sent the export record, and its message. */
  partner: string;
  messageId: string;
  gap: 'value' | 'quantity' | 'mass' | 'hs' | 'origin';
  /** The import's goods item number; null for the whole declaration. */
  item: number | null;
  importFigure: number | string | null;
  exportFigure: number | string | null;
  ratio: number | null;
  threshold: number | null;
  /** Both sides' figures in words. */
  text: string;
};

/**
 * How the learned model's score adds up, in log-odds: its base value, the contributions listed as
 * `factor` reasons beside this one, and the sum of all the others, make `total`, whose logistic is
 * P(fraud).
 */
export type ModelExplanation = {
  kind: 'explanation';
  unit: 'log-odds';
  /** The model's score before any feature is looked at. */
  base: number;
  /** The sum of the contributions not listed as factors, and how many features gave them. */
  others: number;
  otherCount: number;
  /** base + the listed contributions + others. */
  total: number;
  /** P(fraud): the logistic of `total`. */
  probability: number;
};

/** A declared unit value and where to find the reference it was compared with. */
export interface PricePoint {
  item: number;
  hs6: string;
  /** The origin looked up first (the reference falls back to every origin). */
  origin?: string;
  currency: string;
  /** Value per kilogram of net mass. */
  unitValue: number;
  /** The unit value over the reference median. */
  ratio: number;
  /** The band it fell outside (the analyst's bounds where set). */
  low: number;
  high: number;
}

/** What one scorer says about one declaration: a risk in [0, 1], why, and which version said it. */
export interface ScorerOutput {
  scorer: 'profiles' | 'model' | 'anomaly' | 'mirror';
  version: string;
  score: number;
  /** A lane the scorer demands (rule profiles name one); the assessment is at least this strict. */
  lane?: Lane;
  reasons: Reason[];
}

export interface SelectivityPolicy {
  /** Lowest combined score for each lane; below `blue` is green. */
  thresholds: { red: number; yellow: number; blue: number };
  /** Share of declarations selected at random (0.01 = 1%). */
  randomShare: number;
  /** The lane a random selection goes to at least. */
  randomLane: Lane;
}

export const defaultPolicy: SelectivityPolicy = {
  thresholds: { red: 0.8, yellow: 0.5, blue: 0.25 },
  randomShare: 0.01,
  randomLane: Lane.Yellow,
};

/** Control places per office and day for the red and yellow lanes, with per-office exceptions. */
export interface CapacitySettings {
  red: number;
  yellow: number;
  offices: Record<string, { red?: number; yellow?: number }>;
  /** How many rows the places of an office, day and lane are counted in (risk/capacity.ts; 16 when left out). */
  slots?: number;
}

export const defaultCapacity: CapacitySettings = { red: 40, yellow: 120, offices: {} };

/** How many rows an office, day and lane's places are counted in unless configured. */
export const defaultSlots = 16;

/** Places left for controls; `take` claims one, or says the lane is full. */
export interface Capacity {
  take(office: string, day: string, lane: 'red' | 'yellow'): boolean;
}

export const unlimited: Capacity = { take: () => true };

/** A capacity of fixed places per office, day and lane, counted in memory (for batches and tests). */
export function fixedCapacity(perDay: { red: number; yellow: number }): Capacity {
  const used = new Map<string, number>();
  return {
    take(office, day, lane) {
      const key = `${office}|${day}|${lane}`;
      const n = used.get(key) ?? 0;
      if (n >= perDay[lane]) return false;
      used.set(key, n + 1);
      return true;
    },
  };
}

export interface Assessment {
  score: number;
  lane: Lane;
  random: boolean;
  reasons: Reason[];
  /** The scorer versions that produced it, e.g. { profiles: 'P1@3,P7@1', model: '12' }. */
  versions: Record<string, string>;
}

export interface Candidate {
  office: string;
  day: string;
  outputs: ScorerOutput[];
  /** A uniform draw in [0, 1) from a seeded source: below the random share, the declaration is selected at random. */
  draw: number;
}

const strictness: Record<Lane, number> = { green: 0, blue: 1, yellow: 2, red: 3 };
/** The stricter of two lanes (red > yellow > blue > green). */
export const stricter = (a: Lane, b: Lane): Lane => (strictness[a] >= strictness[b] ? a : b);

/** The combined score (noisy-or: any scorer can raise it), the lane it and the rules call for, and the reasons. */
export function combine(
  outputs: readonly ScorerOutput[],
  policy: SelectivityPolicy = defaultPolicy,
): Omit<Assessment, 'random'> {
  let clear = 1;
  let lane: Lane = Lane.Green;
  const reasons: Reason[] = [];
  const versions: Record<string, string> = {};
  for (const o of outputs) {
    clear *= 1 - Math.min(1, Math.max(0, o.score));
    if (o.lane) lane = stricter(lane, o.lane);
    reasons.push(...o.reasons);
    const seen = versions[o.scorer];
    versions[o.scorer] = seen ? `${seen},${o.version}` : o.version;
  }
  const score = 1 - clear;
  const t = policy.thresholds;
  const byScore: Lane =
    score >= t.red ? Lane.Red : score >= t.yellow ? Lane.Yellow : score >= t.blue ? Lane.Blue : Lane.Green;
  return { score, lane: stricter(lane, byScore), reasons, versions };
}

/**
 * Assesses candidates together: random selections first (they bypass capacity, so the random
 * sample stays unbiased), then the others from the highest score down, each taking a control place
 * while there is one and stepping down a lane when its lane is full.
 */
export function assessBatch(
  candidates: readonly Candidate[],
  capacity: Capacity = unlimited,
  policy: SelectivityPolicy = defaultPolicy,
): Assessment[] {
  const combined = candidates.map((c) => combine(c.outputs, policy));
  const results: Assessment[] = new Array(candidates.length);
  const order = candidates
    .map((_, i) => i)
    .sort((a, b) => (combined[b]?.score ?? 0) - (combined[a]?.score ?? 0));
  for (const i of order) {
    const c = candidates[i];
    const base = combined[i];
    if (!c || !base) continue;
    if (c.draw < policy.randomShare) {
      const text = `selected at random (${(policy.randomShare * 100).toFixed(1)}% of declarations) to measure compliance`;
      results[i] = {
        ...base,
        lane: stricter(base.lane, policy.randomLane),
        random: true,
        reasons: [...base.reasons, { kind: 'random', text }],
      };
      continue;
    }
    results[i] = { ...base, ...placed(base.lane, c, capacity, base.reasons), random: false };
  }
  return results;
}

function placed(
  wanted: Lane,
  c: Candidate,
  capacity: Capacity,
  reasons: Reason[],
): { lane: Lane; reasons: Reason[] } {
  let lane = wanted;
  const notes: Reason[] = [];
  while (lane === Lane.Red || lane === Lane.Yellow) {
    if (capacity.take(c.office, c.day, lane)) break;
    const next = lane === Lane.Red ? Lane.Yellow : Lane.Blue;
    notes.push({
      kind: 'capacity',
      text: `the ${lane} lane of office ${c.office} is full for ${c.day}: routed ${next}`,
    });
    lane = next;
  }
  return { lane, reasons: notes.length ? [...reasons, ...notes] : reasons };
}

/**
 * The contributions that matter most, as `factor` reasons (the largest in size first), followed by
 * the explanation that adds them up with the base value and the rest.
 */
export function explainContributions(
  names: readonly string[],
  base: number,
  contributions: ArrayLike<number>,
  count = 5,
): Reason[] {
  // the `count` largest nonzero contributions in size, the earlier feature first among equal sizes
  const listed: number[] = [];
  const size = (i: number) => Math.abs(contributions[i] ?? 0);
  for (let i = 0; i < contributions.length; i++) {
    if ((contributions[i] ?? 0) === 0) continue;
    let at = listed.length;
    while (at > 0 && size(listed[at - 1] ?? 0) < size(i)) at--;
    if (at >= count) continue;
    listed.splice(at, 0, i);
    if (listed.length > count) listed.pop();
  }
  // sums in feature order, as the explanation's reader would add them
  let total = base;
  let others = 0;
  let otherCount = 0;
  for (let i = 0; i < contributions.length; i++) {
    const contribution = contributions[i] ?? 0;
    total += contribution;
    if (listed.includes(i)) continue;
    others += contribution;
    if (contribution !== 0) otherCount++;
  }
  const explanation: ModelExplanation = {
    kind: 'explanation',
    unit: 'log-odds',
    base,
    others,
    otherCount,
    total,
    probability: 1 / (1 + Math.exp(-total)),
  };
  return [
    ...listed.map((i) => ({
      kind: 'factor' as const,
      feature: names[i] ?? `#${i}`,
      contribution: contributions[i] ?? 0,
    })),
    explanation,
  ];
}
