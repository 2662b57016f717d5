import { moment } from '../format.ts';
import { Link } from '../Link.tsx';
import type { PageProps } from '../pages.ts';
import type { Recipient, Recipients } from './types.ts';
import { useKeyset } from './useKeyset.ts';

/**
 * Shared with agencies: which partner agencies received the trader's declarations (or, for a
 * declarant, those of the traders it represents), under which agreement and for what purpose.
 */
export default function SharedWith({ go }: PageProps) {
  const { items, problem, more } = useKeyset<Recipient, Recipients>(
    '/api/sharing/recipients?limit=50',
    'before',
    (a) => a.next,
  );
  return (
    <section aria-labelledby="shared-title">
      <h1 id="shared-title">Shared with agencies</h1>
      <p>
        Partner agencies receive declarations under data-sharing agreements; each delivery is listed here.
      </p>
      {problem && <p role="alert">{problem}</p>}
      {items.length === 0 && !problem && <p>No agency has received your declarations.</p>}
      {items.length > 0 && (
        <table aria-labelledby="shared-title">
          <thead>
            <tr>
              <th scope="col">Declaration</th>
              <th scope="col">Agency</th>
              <th scope="col">Agreement</th>
              <th scope="col">Channel</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={`${r.deliveredAt}-${r.agreementId}-${r.declarationId}-${r.channel}`}>
                <th scope="row">
                  <Link
                    className="link"
                    href={`/declarations/${r.declarationId}`}
                    follow={(href) => go(href)}
                  >
                    {r.functionalReference}
                  </Link>
                </th>
                <td>
                  {r.agencyName} ({r.agency})
                </td>
                <td>
                  {r.agreementId}: {r.purpose}
                </td>
                <td>{r.channel}</td>
                <td>
                  <time dateTime={r.deliveredAt}>{moment(r.deliveredAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more && (
        <button type="button" onClick={more}>
          More
        </button>
      )}
    </section>
  );
}
