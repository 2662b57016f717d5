import { useState } from 'react';
import { api } from '../api.ts';
import { Link } from '../Link.tsx';
import { problemOf, stateNames, typeName, when } from './format.ts';
import { outboxStates, type OutboxMessage, type OutboxState } from './types.ts';
import { usePaged } from './usePaged.ts';

/**
 * Messages to partners, newest first: each one's receiver, type, declaration, state, attempts, next
 * attempt and last error; narrowed to one state (the failed ones, say), and more shown on demand, a
 * page at a time (the API's cursor). A failed message can be sent again (Retry): it is pending
 * then, its attempts counted afresh.
 */
export function Outbox({ open }: { open: ((id: number) => void) | null }) {
  const [state, setState] = useState<OutboxState | ''>('');
  const {
    messages: listed,
    problem,
    more,
    busy,
  } = usePaged<OutboxMessage>('/api/exchange/outbox', { state });
  // messages sent again since the list was read, as the API returned them
  const [retried, setRetried] = useState<Record<string, OutboxMessage>>({});
  const [retryProblem, setRetryProblem] = useState<string | null>(null);
  const messages = listed?.map((m) => retried[m.id] ?? m) ?? null;
  const retry = async (id: string) => {
    try {
      const m = await api<OutboxMessage>('POST', `/api/exchange/outbox/${encodeURIComponent(id)}/retry`);
      setRetried((r) => ({ ...r, [id]: m }));
      setRetryProblem(null);
    } catch (e) {
      setRetryProblem(problemOf(e));
    }
  };

  return (
    <section aria-labelledby="outbox-title">
      <h2 id="outbox-title">Outbox</h2>
      <div className="filters">
        <label>
          State
          <select
            value={state}
            onChange={(e) => {
              setState(e.target.value as OutboxState | '');
            }}
          >
            <option value="">Any state</option>
            {outboxStates.map((s) => (
              <option key={s} value={s}>
                {stateNames[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {(problem ?? retryProblem) && <p role="alert">{problem ?? retryProblem}</p>}
      <p role="status" className="result-count">
        {messages && summary(messages.length, more !== null, state)}
      </p>
      {messages && messages.length > 0 && (
        <div className="scroll">
          <table aria-labelledby="outbox-title" className="messages">
            <thead>
              <tr>
                <th scope="col">Receiver</th>
                <th scope="col">Type</th>
                <th scope="col">Declaration</th>
                <th scope="col">State</th>
                <th scope="col" className="number">
                  Attempts
                </th>
                <th scope="col">Last sent</th>
                <th scope="col">Next attempt</th>
                <th scope="col">Last error</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <th scope="row" title={`Message ${m.id}`}>
                    {m.receiver}
                  </th>
                  <td>{typeName(m.type)}</td>
                  <td>
                    <DeclarationCell id={m.declarationId} open={open} />
                  </td>
                  <td>
                    <span className={`status ${m.state}`}>{stateNames[m.state]}</span>
                  </td>
                  <td className="number">{m.attempts}</td>
                  <td>{m.lastSentAt ? <time dateTime={m.lastSentAt}>{when(m.lastSentAt)}</time> : '—'}</td>
                  <td>
                    {m.state === 'pending' || m.state === 'sending' ? (
                      <time dateTime={m.nextAttemptAt}>{when(m.nextAttemptAt)}</time>
                    ) : m.acknowledgedAt ? (
                      <>
                        acknowledged <time dateTime={m.acknowledgedAt}>{when(m.acknowledgedAt)}</time>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="breaks">{m.lastError ?? '—'}</td>
                  <td>
                    {m.state === 'failed' && (
                      <button
                        type="button"
                        aria-label={`Retry the message to ${m.receiver} (${m.id})`}
                        onClick={() => void retry(m.id)}
                      >
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {more && (
        <button onClick={() => void more()} disabled={busy}>
          More
        </button>
      )}
    </section>
  );
}

/** The declaration a message carries: a link for those who may read it (administrators may not). */
function DeclarationCell({ id, open }: { id: number | null; open: ((id: number) => void) | null }) {
  if (id === null) return <>—</>;
  if (!open) return <>Declaration {id}</>;
  return (
    <Link className="link" href={`/declarations/${id}`} follow={() => open(id)}>
      Declaration {id}
    </Link>
  );
}

function summary(count: number, moreWaiting: boolean, state: string): string {
  const what = state ? ` ${state}` : '';
  if (count === 0) return state ? `No ${state} message.` : 'No message has been sent to a partner yet.';
  const n = `${count}${what} message${count === 1 ? '' : 's'}`;
  return moreWaiting ? `The newest ${n} shown.` : `${n}.`;
}
