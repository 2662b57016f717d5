import { lazy, Suspense } from 'react';
import { direction, factorName, factorSentence, type Factor } from '../factors.ts';
import { moment, percent } from '../format.ts';
import { Lane } from '../Lane.tsx';
import type { Assessment, DeclarationEvent } from './types.ts';

// the charts, with ECharts, load only when there is an assessment to draw (never for traders)
const FactorsChart = lazy(() => import('../FactorsChart.tsx').then((m) => ({ default: m.FactorsChart })));
const PriceAnomaly = lazy(() => import('../PriceAnomaly.tsx').then((m) => ({ default: m.PriceAnomaly })));

/** The supervisors' reroutes since the assessment, latest first: they decide the lane now. */
function reroutesAfter(events: DeclarationEvent[], assessedAt: string): DeclarationEvent[] {
  const since = new Date(assessedAt).getTime();
  return events.filter((e) => e.kind === 'rerouted' && new Date(e.at).getTime() >= since).reverse();
}

/** What the score means: one probability, the lanes it leads to. */
function Meaning({ a }: { a: Assessment }) {
  const t = a.thresholds;
  return (
    <>
      <p className="probability">
        <strong>Estimated probability of an irregularity: {percent(a.score)}</strong>
      </p>
      <p className="meaning">
        The chance that a control of this declaration finds an irregularity, as the rule profiles, the learned
        model and the anomaly detectors estimate it together: any one of them can raise it.
        {t &&
          ` The lane follows from it: red from ${percent(t.red)}, yellow from ${percent(t.yellow)}, blue from ${percent(t.blue)}, green below; a rule can ask for a stricter lane.`}
        {a.explanation && ` The learned model alone estimates ${percent(a.explanation.probability)}.`}
        {a.critical !== null && ` Probability of a critical irregularity: ${percent(a.critical)}.`}
        {a.random && ' This declaration was also selected at random, to measure compliance.'}
      </p>
      <p>
        The assessment chose the <Lane lane={a.lane} /> lane.
      </p>
    </>
  );
}

/** The risk assessment in an officer's words: probability, why this lane, anomalies, the model's factors. */
export function Risk({ assessment: a, events }: { assessment: Assessment; events: DeclarationEvent[] }) {
  const rules = a.reasons.flatMap((r) => (r.kind === 'rule' ? [r] : []));
  const mirror = a.reasons.flatMap((r) => (r.kind === 'mirror' ? [r] : []));
  const reroutes = reroutesAfter(events, a.assessedAt);
  const notes = a.reasons.flatMap((r) =>
    r.kind === 'anomaly' || r.kind === 'random' || r.kind === 'capacity' ? [r] : [],
  );
  const explanation = a.explanation;
  const listed: Factor[] = explanation?.factors ?? [];
  // the rest of the features as one bar, so that the bars and the base add up to the model's score
  const bars =
    explanation && explanation.otherCount > 0
      ? [
          ...listed.map((f) => ({ name: factorName(f.feature), contribution: f.contribution })),
          { name: `${explanation.otherCount} other factors`, contribution: explanation.others },
        ]
      : listed.map((f) => ({ name: factorName(f.feature), contribution: f.contribution }));
  return (
    <section aria-labelledby="risk-title">
      <h2 id="risk-title">Risk assessment</h2>
      <Meaning a={a} />
      <h3>Why this lane</h3>
      <ul className="lane-reasons">
        {reroutes.map((e) => (
          <li key={e.seq} className="reroute">
            Rerouted by {e.actor} on <time dateTime={e.at}>{moment(e.at)}</time>
            {typeof e.data?.from === 'string' && ` from the ${e.data.from} lane`} to the {String(e.data?.to)}{' '}
            lane: <q>{String(e.data?.reason ?? '')}</q>
          </li>
        ))}
        {rules.map((r) => (
          <li key={r.code}>
            Rule <strong>{r.code}</strong> ({r.lane}, weight {r.weight}): {r.text}
          </li>
        ))}
        {mirror.map((r, i) => (
          <li key={`mirror-${i}`}>
            <strong>Mirror</strong>: {r.text}
          </li>
        ))}
        {rules.length === 0 && reroutes.length === 0 && mirror.length === 0 && (
          <li>No rule hit: the lane follows from the probability.</li>
        )}
      </ul>
      <h3>Anomalies and notes</h3>
      <ul>
        {notes.map((r, i) => (
          <li key={i}>
            {r.text}
            {r.kind === 'anomaly' && r.price && (
              <Suspense fallback={<p>Loading the chart…</p>}>
                <PriceAnomaly point={r.price} />
              </Suspense>
            )}
          </li>
        ))}
        {notes.length === 0 && <li>none</li>}
      </ul>
      {listed.length > 0 && explanation && (
        <>
          <h3>What the model looked at</h3>
          <ul className="factors">
            {listed.map((f) => (
              <li key={f.feature}>
                {factorSentence(f)} <span className="direction">— {direction(f)}</span>
              </li>
            ))}
          </ul>
          <Suspense fallback={<p>Loading the chart…</p>}>
            <FactorsChart factors={bars} />
          </Suspense>
          <p className="versions">
            In log-odds: the model's base {explanation.base.toFixed(2)} plus the factors makes{' '}
            {explanation.total.toFixed(2)}, a probability of {percent(explanation.probability)}.
          </p>
        </>
      )}
      <p className="versions">
        Assessed <time dateTime={a.assessedAt}>{moment(a.assessedAt)}</time> · Versions:{' '}
        {Object.entries(a.versions)
          .map(([k, v]) => `${k} ${v || 'none'}`)
          .join(' · ')}
      </p>
    </section>
  );
}
