import { useState } from 'react';
import { typeName, when } from './format.ts';
import type { ReceivedMessage } from './types.ts';
import { usePaged } from './usePaged.ts';

/** The match states a received message passes through. */
const matchStates = ['unmatched', 'matched'];

/**
 * Messages received from partners, newest first: sender, id, type, when sent and received, whether
 * matched to an import yet and to which, and how many schema findings its payload had; narrowed by
 * match state, and more shown on demand, a page at a time (the API's cursor).
 */
export function Inbox() {
  const [matchState, setMatchState] = useState('');
  const { messages, problem, more, busy } = usePaged<ReceivedMessage>('/api/exchange/inbox', { matchState });

  return (
    <section aria-labelledby="inbox-title">
      <h2 id="inbox-title">Inbox</h2>
      <div className="filters">
        <label>
          Match
          <select
            value={matchState}
            onChange={(e) => {
              setMatchState(e.target.value);
            }}
          >
            <option value="">Any</option>
            {matchStates.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {problem && <p role="alert">{problem}</p>}
      <p role="status" className="result-count">
        {messages && summary(messages.length, more !== null, matchState)}
      </p>
      {messages && messages.length > 0 && (
        <div className="scroll">
          <table aria-labelledby="inbox-title" className="messages">
            <thead>
              <tr>
                <th scope="col">Sender</th>
                <th scope="col">Message</th>
                <th scope="col">Type</th>
                <th scope="col">Sent</th>
                <th scope="col">Received</th>
                <th scope="col">Match</th>
                <th scope="col">Import</th>
                <th scope="col" className="number">
                  Schema findings
                </th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={`${m.sender} ${m.id}`}>
                  <th scope="row">{m.sender}</th>
                  <td>
                    <code className="hash">{m.id}</code>
                  </td>
                  <td>{typeName(m.type)}</td>
                  <td>
                    <time dateTime={m.sentAt}>{when(m.sentAt)}</time>
                  </td>
                  <td>
                    <time dateTime={m.receivedAt}>{when(m.receivedAt)}</time>
                  </td>
                  <td>
                    <span className={`status ${m.matchState}`}>{m.matchState}</span>
                  </td>
                  <td>
                    <ImportCell matched={m.importDeclaration} />
                  </td>
                  <td className="number">{m.findingCount}</td>
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

/**
 * The import declaration a message was matched to, as text: the inbox is for administrators, who
 * may not read declarations.
 */
function ImportCell({ matched }: { matched: ReceivedMessage['importDeclaration'] }) {
  if (matched === null) return <>—</>;
  return (
    <>
      Declaration {matched.id}
      {matched.reference !== null && <span className="hint"> · {matched.reference}</span>}
    </>
  );
}

function summary(count: number, moreWaiting: boolean, matchState: string): string {
  const what = matchState ? ` ${matchState}` : '';
  if (count === 0) return matchState ? `No ${matchState} message.` : 'No message has been received yet.';
  const n = `${count}${what} message${count === 1 ? '' : 's'}`;
  return moreWaiting ? `The newest ${n} shown.` : `${n}.`;
}
