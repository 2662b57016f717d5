import { useEffect, useState } from 'react';
import { api, type User } from '../api.ts';
import { problemOf, typeName, validity, when } from './format.ts';
import { ProposeForm } from './ProposeForm.tsx';
import { Proposals } from './Proposals.tsx';
import type { Partner, Partners as PartnerList } from './types.ts';

/**
 * Partner administrations: those in force, the registrations and changes waiting for a second
 * administrator (each confirmed with the digest its proposer was shown), and a form to propose one.
 */
export function Partners({ user }: { user: User }) {
  const [list, setList] = useState<PartnerList | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function load() {
    try {
      setList(await api<PartnerList>('GET', '/api/exchange/partners'));
      setProblem(null);
    } catch (e) {
      setProblem(problemOf(e));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  return (
    <section aria-labelledby="partners-title">
      <h2 id="partners-title">Partner administrations</h2>
      {problem && <p role="alert">{problem}</p>}
      {list && <InForce partners={list.partners} />}
      {list && (
        <Proposals
          proposals={list.proposals}
          user={user}
          canConfirm={list.allowed.includes('confirm')}
          onConfirmed={load}
        />
      )}
      {list?.allowed.includes('propose') && <ProposeForm onProposed={load} />}
    </section>
  );
}

function InForce({ partners }: { partners: Partner[] }) {
  return (
    <>
      <h3 id="in-force-title">In force</h3>
      {partners.length === 0 ? (
        <p>No partner administration is confirmed yet.</p>
      ) : (
        <div className="scroll">
          <table aria-labelledby="in-force-title">
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Name</th>
                <th scope="col">Exchanged</th>
                <th scope="col">Agreement</th>
                <th scope="col">In force</th>
                <th scope="col">Endpoint</th>
                <th scope="col">Proposed by</th>
                <th scope="col">Confirmed</th>
              </tr>
            </thead>
            <tbody>
              {partners.map((p) => (
                <tr key={p.code}>
                  <th scope="row">{p.code}</th>
                  <td>{p.name}</td>
                  <td>{p.messageTypes.map(typeName).join(', ')}</td>
                  <td>{p.agreementRef}</td>
                  <td>{validity(p)}</td>
                  <td className="breaks">{p.endpoint}</td>
                  <td>{p.proposedBy}</td>
                  <td>
                    by {p.confirmedBy}, <time dateTime={p.confirmedAt}>{when(p.confirmedAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
