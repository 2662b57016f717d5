import { useEffect, useState } from 'react';
import { api } from './api.ts';
import { Lane } from './Lane.tsx';
import { Link } from './Link.tsx';
import type { PageProps } from './pages.ts';
import { WaitingAtEachStage } from './Waiting.tsx';

interface Queue {
  office: string;
  lane: string;
  open: number;
  oldestLodgedAt: string;
  olderThanADay: number;
}

const age = (since: string) => {
  const hours = (Date.now() - new Date(since).getTime()) / 3_600_000;
  return hours < 48 ? `${Math.max(0, Math.round(hours))} h` : `${Math.round(hours / 24)} days`;
};

/**
 * Open red and yellow work per office and lane, and how old it is; an office opens its worklist. A
 * supervisor also sees what waits at each stage of clearance at their offices.
 */
export default function Queues({ go, user }: PageProps) {
  const [queues, setQueues] = useState<Queue[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    api<{ queues: Queue[] }>('GET', '/api/worklist/queues').then(
      (r) => setQueues(r.queues),
      (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)),
    );
  }, []);

  return (
    <section aria-labelledby="queues-title">
      <h1 id="queues-title">Queues</h1>
      {problem && <p role="alert">{problem}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">Office</th>
            <th scope="col">Lane</th>
            <th scope="col" className="number">
              Open
            </th>
            <th scope="col" className="number">
              Over a day old
            </th>
            <th scope="col">Oldest waiting</th>
          </tr>
        </thead>
        <tbody>
          {(queues ?? []).map((q) => (
            <tr key={`${q.office}-${q.lane}`}>
              <td>
                <Link className="link" href={`/worklist?office=${encodeURIComponent(q.office)}`} follow={go}>
                  {q.office}
                </Link>
              </td>
              <td>
                <Lane lane={q.lane} />
              </td>
              <td className="number">{q.open}</td>
              <td className="number">{q.olderThanADay}</td>
              <td>{age(q.oldestLodgedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {queues === null && !problem && <p>Loading…</p>}
      {queues?.length === 0 && <p>No open red or yellow work.</p>}
      {/* what waits for clearance is the supervisors' view of their offices */}
      {user.role === 'supervisor' && <WaitingAtEachStage />}
    </section>
  );
}
