import { useEffect, useState } from 'react';
import { api } from './api.ts';
import { moment } from './format.ts';

interface Waiting {
  office: string;
  stage: string;
  count: number;
  oldestSince: string;
}

/** The stages in the order goods go through them, in words. */
const stageNames: [string, string][] = [
  ['awaiting_arrival', 'Awaiting arrival of the goods'],
  ['documents_requested', 'Documents requested, not provided'],
  ['documents_provided', 'Documents provided, not checked'],
  ['inspection_scheduled', 'Inspection scheduled'],
  ['inspection_started', 'Inspection under way'],
  ['awaiting_control', 'Awaiting a control result'],
  ['awaiting_payment', 'Awaiting payment or guarantee'],
  ['awaiting_release', 'Awaiting the release decision'],
  ['detained', 'Detained'],
];

/** What waits at each stage of clearance at the supervisor's offices, and since when the oldest. */
export function WaitingAtEachStage() {
  const [rows, setRows] = useState<Waiting[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    api<{ waiting: Waiting[] }>('GET', '/api/clearance/waiting').then(
      (r) => setRows(r.waiting),
      (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)),
    );
  }, []);

  const offices = [...new Set((rows ?? []).map((r) => r.office))];
  return (
    <section aria-labelledby="waiting-title">
      <h2 id="waiting-title">Waiting at each stage</h2>
      {problem && <p role="alert">{problem}</p>}
      {rows && rows.length === 0 && <p>Nothing waits for clearance at your offices.</p>}
      {offices.map((office) => (
        <table key={office} aria-label={`Waiting at office ${office}`}>
          <caption>Office {office}</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col" className="number">
                Declarations
              </th>
              <th scope="col">Oldest waiting since</th>
            </tr>
          </thead>
          <tbody>
            {stageNames.flatMap(([stage, name]) => {
              const row = rows?.find((r) => r.office === office && r.stage === stage);
              return row
                ? [
                    <tr key={stage}>
                      <th scope="row">{name}</th>
                      <td className="number">{row.count}</td>
                      <td>
                        <time dateTime={row.oldestSince}>{moment(row.oldestSince)}</time>
                      </td>
                    </tr>,
                  ]
                : [];
            })}
          </tbody>
        </table>
      ))}
    </section>
  );
}
