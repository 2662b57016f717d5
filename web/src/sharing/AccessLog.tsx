import { useState } from 'react';
import { fieldLabel } from '../fields.ts';
import { moment } from '../format.ts';
import type { PageProps } from '../pages.ts';
import type { AccessLog as AccessLogAnswer, Delivery } from './types.ts';
import { useKeyset } from './useKeyset.ts';

/**
 * The access log of data sharing, newest first: for an agency's users what their agency received
 * (every feed page read and webhook message), for administrators, supervisors and auditors every
 * agency's, with an agency to narrow it to.
 */
export default function AccessLog({ user }: PageProps) {
  const official = user.role !== 'partner_agency';
  const [agency, setAgency] = useState('');
  const [shown, setShown] = useState('');
  const path = `/api/sharing/access-log?limit=50${shown ? `&agency=${encodeURIComponent(shown)}` : ''}`;
  const { items, problem, more } = useKeyset<Delivery, AccessLogAnswer>(path, 'before', (a) => a.nextBefore);
  return (
    <section aria-labelledby="access-log-title">
      <h1 id="access-log-title">Access log</h1>
      {official && (
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setShown(agency.trim().toUpperCase());
          }}
        >
          <label>
            Agency
            <input value={agency} maxLength={20} onChange={(e) => setAgency(e.target.value)} />
          </label>
          <button type="submit">Show</button>
        </form>
      )}
      {problem && <p role="alert">{problem}</p>}
      {items.length === 0 && !problem && <p>No deliveries yet.</p>}
      {items.length > 0 && (
        <table aria-labelledby="access-log-title">
          <thead>
            <tr>
              <th scope="col">When</th>
              {official && <th scope="col">Agency</th>}
              <th scope="col">Agreement</th>
              <th scope="col">Channel</th>
              <th scope="col">Declarations</th>
              <th scope="col">Fields</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id}>
                <th scope="row">
                  <time dateTime={d.deliveredAt}>{moment(d.deliveredAt)}</time>
                </th>
                {official && <td>{d.agency}</td>}
                <td>{d.agreementId}</td>
                <td>{d.channel}</td>
                <td>{d.declarations}</td>
                <td>{d.fields.map((f) => fieldLabel(f.replace('items[]', 'items[0]'))).join(', ')}</td>
                <td>{d.actor}</td>
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
