import { useFetched } from '../useFetched.ts';
import { day, money, moment } from '../format.ts';
import { differs, gapAt } from '../mirror/gaps.ts';
import type { Gap, Mirror as MirrorView, MirrorMatch } from '../mirror/types.ts';
import { Marked } from './MirrorCell.tsx';
import { MirrorItems } from './MirrorItems.tsx';
import type { Declaration } from './types.ts';

const matchedBy = {
  ucr: 'UCR',
  transport_document: 'transport document',
  parties: 'exporter, importer and HS',
};

/**
 * A partner administration's export record matched to this import, beside it: the header and the
 * items side by side, each gap of mirror analysis marked at its figures, the gaps beyond their
 * threshold emphasised and said in words. Only for customs roles: the page of a trader or
 * declarant never asks for it.
 */
export function Mirror({ d }: { d: Declaration }) {
  const { data, problem } = useFetched<MirrorView>(`/api/declarations/${d.id}/mirror`);
  if (problem) return <p role="alert">The partner's export record could not be read: {problem}</p>;
  if (!data || data.matches.length === 0) return null;
  return (
    <>
      {data.matches.map((m) => (
        <Match key={`${m.partner} ${m.messageId}`} d={d} match={m} />
      ))}
    </>
  );
}

function Match({ d, match }: { d: Declaration; match: MirrorMatch }) {
  const e = match.export;
  const id = `mirror-${match.partner}-${match.messageId}`;
  const beyond = match.gaps.filter((g) => g.beyond);
  const within = match.gaps.filter((g) => !g.beyond && differs(g));
  const importValue = d.items.reduce((s, it) => s + it.value, 0);
  const exportValue = e.items.reduce((s, it) => s + it.value, 0);
  const row = (label: string, imp: string | undefined | null, exp: string | undefined | null, gap?: Gap) => (
    <tr>
      <th scope="row">{label}</th>
      <Marked gap={gap}>{imp || '—'}</Marked>
      <Marked gap={gap}>{exp || '—'}</Marked>
    </tr>
  );
  return (
    <section aria-labelledby={id} className="mirror">
      <h2 id={id}>Export record from {match.partner}</h2>
      <p>
        Matched by {matchedBy[match.matchedBy]} on{' '}
        <time dateTime={match.matchedAt}>{moment(match.matchedAt)}</time> · message{' '}
        <code className="hash">{match.messageId}</code>
      </p>
      {beyond.length > 0 ? (
        <ul className="findings" aria-label={`Gaps beyond their threshold (${match.partner})`}>
          {beyond.map((g, i) => (
            <li key={i} className="error">
              <strong>Beyond the threshold:</strong> {g.text}
            </li>
          ))}
        </ul>
      ) : (
        <p>No gap beyond its threshold.</p>
      )}
      {within.length > 0 && (
        <ul className="findings" aria-label={`Differences within their threshold (${match.partner})`}>
          {within.map((g, i) => (
            <li key={i}>Within the threshold: {g.text}</li>
          ))}
        </ul>
      )}
      <div className="scroll">
        <table aria-labelledby={`${id}-header`} className="mirror-side">
          <caption id={`${id}-header`}>Header, side by side</caption>
          <thead>
            <tr>
              <td />
              <th scope="col">This import</th>
              <th scope="col">Export ({match.partner})</th>
            </tr>
          </thead>
          <tbody>
            {row('Reference', d.functionalReference, e.reference)}
            {row('Date', day(d.date), e.acceptedOn && day(e.acceptedOn))}
            {row('UCR', d.ucr, e.ucr)}
            {row('Transport document', d.transportDocument, e.transportDocument)}
            {row('Exporter', d.exporter ?? d.seller, e.exporter)}
            {row('Importer', d.trader, e.importer)}
            {row('Currency', d.currency, e.currency)}
            {row(
              'Invoice total',
              d.invoiceTotal === undefined ? null : money(d.invoiceTotal, d.currency),
              e.invoiceTotal === null ? null : money(e.invoiceTotal, e.currency),
            )}
            {row(
              'Value of the items',
              money(importValue, d.currency),
              money(exportValue, e.currency),
              gapAt(match.gaps, null, 'value'),
            )}
          </tbody>
        </table>
      </div>
      <MirrorItems id={id} partner={match.partner} d={d} record={e} gaps={match.gaps} pairs={match.pairs} />
    </section>
  );
}
