/**
 * The scorers of `runScorers` for many declarations at once, with the same outputs: each declaration
 * is encoded once, and the rows serve P(fraud) with its contributions (the bitwise kernel, keeping
 * each row's path through each tree), P(critical) (the kernel) and the isolation forest (many rows
 * per tree); only the declarations it finds unusual are walked again, to explain them.
 */
import type { DeclarationInput } from '../declarations/model.ts';
import type { ActiveRisk } from './assessment.ts';
import type { Indicators } from './profiles/fields.ts';
import { anomalyColumnsOf } from './risk-model.ts';
import { rowExtrasOfIndicators } from './described.ts';
import { scoreMirror } from './mirror.ts';
import { anomalyOutput, modelOutput, scoreProfiles, scoreUnitValues } from './scorers.ts';
import type { ScorerOutput } from './selectivity.ts';

export interface Scored {
  outputs: ScorerOutput[];
  /** P(critical fraud) when a model is active. */
  critical: number | null;
}

/** What `runScorers` gives for each declaration of the list, in the list's order. */
export function runScorersMany(
  active: ActiveRisk,
  list: readonly { input: DeclarationInput; x: Indicators; day: string }[],
): Scored[] {
  const scored: Scored[] = list.map(({ input, x, day }) => ({
    outputs: [scoreProfiles(active.profiles, input, x, day)],
    critical: null,
  }));
  if (active.model && list.length > 0) {
    const { id, model } = active.model;
    const inputs = list.map((l) => l.input);
    const data = model.encoder.encodeMany(
      inputs,
      list.map((l) => rowExtrasOfIndicators(l.x)),
    );
    const width = data.columns.length;
    const { base, values } = model.fraud.contributionsMany(data);
    const critical = model.critical.predictMany(data);
    const anomalies = anomalyColumnsOf(model, inputs, data);
    const isolation = model.anomaly.scoreMany(anomalies);
    scored.forEach((s, i) => {
      s.outputs.push(
        modelOutput(id, base, values.subarray(i * width, (i + 1) * width)),
        anomalyOutput(model, id, isolation[i] ?? NaN, () => anomalies.map((column) => column[i] ?? NaN)),
      );
      s.critical = critical[i] ?? null;
    });
  }
  scored.forEach((s, i) => {
    const { input, x } = list[i] as (typeof list)[number];
    s.outputs.push(scoreUnitValues(input, x));
    const mirror = scoreMirror(x.mirror);
    if (mirror) s.outputs.push(mirror);
  });
  return scored;
}
