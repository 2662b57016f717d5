import { moment } from '../format.ts';
import { findingWords, type AgencyFinding } from '../sharing/findingWords.ts';

/**
 * What partner agencies found on the declaration, oldest first. Customs officials read each
 * agency's words; the trader and its declarant are told which agency found what and how severe.
 */
export function AgencyFindings({ findings }: { findings: readonly AgencyFinding[] }) {
  return (
    <section aria-labelledby="agency-findings-title">
      <h2 id="agency-findings-title">Agency findings</h2>
      {findings.length === 0 ? (
        <p>No partner agency has reported on this declaration.</p>
      ) : (
        <ul className="agency-findings">
          {findings.map((f) => (
            <li key={f.id}>
              <strong>{findingWords(f)}</strong> · {f.agencyName} ({f.agency}) ·{' '}
              <time dateTime={f.createdAt}>{moment(f.createdAt)}</time>
              {f.createdBy && <> · by {f.createdBy}</>}
              {f.text && <p className="notes">{f.text}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
