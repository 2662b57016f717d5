import { useState } from 'react';
import type { Static } from 'typebox';
import type { MessageSummary, SecretBody } from '../../../src/sharing/webhooks/schema.ts';
import { api } from '../api.ts';
import { problemOf } from '../exchange/format.ts';
import { usePaged } from '../exchange/usePaged.ts';
import { moment } from '../format.ts';
import { useFetched } from '../useFetched.ts';
import type { Agreement } from './types.ts';

type Message = Static<typeof MessageSummary>;
type Secret = Static<typeof SecretBody>;
type State = Message['state'];

const states: { value: State; name: string }[] = [
  { value: 'pending', name: 'Waiting to be sent' },
  { value: 'sending', name: 'Being sent' },
  { value: 'delivered', name: 'Delivered' },
  { value: 'failed', name: 'Failed' },
];
const stateName = (s: State) => states.find((x) => x.value === s)?.name ?? s;

/**
 * A partner agency's pushed deliveries: the messages sent to its receiver under its agreements
 * (Standard Webhooks), each one's declarations, state, attempts and last answer; a delivered or
 * failed message sent again with the same id, or all of an agreement's since a moment; and the
 * agreement's signing secret, shown on demand and rotated.
 */
export default function Webhooks() {
  const [state, setState] = useState<State | ''>('');
  const [version, setVersion] = useState(0);
  const { messages, problem, more, busy } = usePaged<Message>('/api/sharing/webhooks/messages', {
    state,
    v: String(version),
  });
  const [notice, setNotice] = useState<string | null>(null);
  const [actionProblem, setActionProblem] = useState<string | null>(null);
  const listed = useFetched<{ agreements: Agreement[] }>('/api/sharing/agreements');
  const pushed = listed.data?.agreements.filter((a) => a.delivery !== 'feed') ?? null;

  const replay = async (id: string) => {
    try {
      await api('POST', `/api/sharing/webhooks/messages/${encodeURIComponent(id)}/replay`);
      setNotice(`Message ${id} will be sent again, with the same id.`);
      setActionProblem(null);
      setVersion((v) => v + 1);
    } catch (e) {
      setActionProblem(problemOf(e));
    }
  };

  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">Pushed deliveries</h1>
      <p>
        Declarations your agreements grant are pushed to your receiver as signed messages (the Standard
        Webhooks convention: verify the <code>webhook-signature</code> header with your agreement&rsquo;s
        secret).
      </p>
      {listed.problem && <p role="alert">{listed.problem}</p>}
      {pushed && pushed.length === 0 && <p>None of your agreements is delivered by webhook.</p>}
      {pushed && pushed.length > 0 && (
        <ul>
          {pushed.map((a) => (
            <li key={a.id}>
              Agreement {a.id}, {a.purpose}: to <code>{a.webhookUrl}</code>
              {a.inForce ? ', in force' : `, ${a.status}, not in force`}
            </li>
          ))}
        </ul>
      )}
      <SecretPanel agreements={pushed ?? []} />
      <ReplaySince
        agreements={pushed ?? []}
        done={(n) => {
          setNotice(
            n === 0 ? 'No delivered or failed message since then.' : `${n} messages will be sent again.`,
          );
          setActionProblem(null);
          setVersion((v) => v + 1);
        }}
        failed={setActionProblem}
      />
      <section aria-labelledby="messages-title">
        <h2 id="messages-title">Messages</h2>
        <div className="filters">
          <label>
            State
            <select value={state} onChange={(e) => setState(e.target.value as State | '')}>
              <option value="">Any state</option>
              {states.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        {notice && <p role="status">{notice}</p>}
        {(problem ?? actionProblem) && <p role="alert">{problem ?? actionProblem}</p>}
        {messages && messages.length === 0 && (
          <p>No message{state ? ` ${stateName(state).toLowerCase()}` : ''}.</p>
        )}
        {messages && messages.length > 0 && (
          <div className="scroll">
            <table aria-labelledby="messages-title">
              <thead>
                <tr>
                  <th scope="col">Message</th>
                  <th scope="col">Agreement</th>
                  <th scope="col" className="number">
                    Declarations
                  </th>
                  <th scope="col">State</th>
                  <th scope="col" className="number">
                    Attempts
                  </th>
                  <th scope="col">Created</th>
                  <th scope="col">Delivered</th>
                  <th scope="col">Last answer</th>
                  <th scope="col">
                    <span className="visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {messages.map((m) => (
                  <tr key={m.id}>
                    <th scope="row">
                      <code>{m.id}</code>
                    </th>
                    <td>{m.agreementId}</td>
                    <td className="number">{m.declarationIds.length}</td>
                    <td>
                      <span className={`status ${m.state}`}>{stateName(m.state)}</span>
                      {m.replays > 0 && ` (sent again ${m.replays}×)`}
                    </td>
                    <td className="number">{m.attempts}</td>
                    <td>
                      <time dateTime={m.createdAt}>{moment(m.createdAt)}</time>
                    </td>
                    <td>
                      {m.deliveredAt ? <time dateTime={m.deliveredAt}>{moment(m.deliveredAt)}</time> : '—'}
                    </td>
                    <td className="breaks">
                      {m.lastError ?? (m.lastStatus !== null ? `HTTP ${m.lastStatus}` : '—')}
                    </td>
                    <td>
                      {(m.state === 'delivered' || m.state === 'failed') && (
                        <button
                          type="button"
                          aria-label={`Send message ${m.id} again`}
                          onClick={() => void replay(m.id)}
                        >
                          Send again
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
          <button type="button" onClick={() => void more()} disabled={busy}>
            More
          </button>
        )}
      </section>
    </section>
  );
}

/** An agreement's signing secret, read when asked for (the reading is recorded), and rotated. */
function SecretPanel({ agreements }: { agreements: Agreement[] }) {
  const [agreement, setAgreement] = useState('');
  const [secret, setSecret] = useState<Secret | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const ask = async (rotate: boolean) => {
    if (!/^[1-9][0-9]{0,15}$/.test(agreement)) {
      setProblem('Agreement: choose one of your agreements delivered by webhook.');
      return;
    }
    try {
      const path = `/api/sharing/agreements/${agreement}/webhook-secret`;
      setSecret(rotate ? await api<Secret>('POST', `${path}/rotate`) : await api<Secret>('GET', path));
      setProblem(null);
    } catch (e) {
      setSecret(null);
      setProblem(problemOf(e));
    }
  };
  return (
    <section aria-labelledby="secret-title">
      <h2 id="secret-title">Signing secret</h2>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void ask(false);
        }}
      >
        <label>
          Agreement
          <AgreementSelect
            agreements={agreements}
            value={agreement}
            onChange={setAgreement}
            describedBy={problem ? 'secret-problem' : undefined}
          />
        </label>
        <button type="submit">Show secret</button>
        <button
          type="button"
          onClick={() => {
            if (window.confirm('Messages from now on will be signed with a new secret. Rotate it?'))
              void ask(true);
          }}
        >
          Rotate secret
        </button>
      </form>
      {problem && (
        <p role="alert" id="secret-problem">
          {problem}
        </p>
      )}
      {secret && (
        <p>
          Secret of agreement {secret.agreementId} (since{' '}
          <time dateTime={secret.rotatedAt}>{moment(secret.rotatedAt)}</time>
          ): <code className="breaks">{secret.secret}</code>
        </p>
      )}
    </section>
  );
}

/** Every delivered or failed message of an agreement since a moment, sent again. */
function ReplaySince({
  agreements,
  done,
  failed,
}: {
  agreements: Agreement[];
  done: (n: number) => void;
  failed: (p: string) => void;
}) {
  const [agreement, setAgreement] = useState('');
  const [since, setSince] = useState('');
  return (
    <section aria-labelledby="replay-title">
      <h2 id="replay-title">Send again</h2>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (!/^[1-9][0-9]{0,15}$/.test(agreement))
            return failed('Agreement: choose one of your agreements delivered by webhook.');
          const at = new Date(since);
          if (!since || Number.isNaN(at.getTime())) return failed('Since: give a date and time.');
          api<{ replayed: string[] }>('POST', '/api/sharing/webhooks/replay', {
            agreement: Number(agreement),
            since: at.toISOString(),
          }).then(
            (r) => done(r.replayed.length),
            (error: unknown) => failed(problemOf(error)),
          );
        }}
      >
        <label>
          Agreement
          <AgreementSelect agreements={agreements} value={agreement} onChange={setAgreement} />
        </label>
        <label>
          Since
          <input type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
        </label>
        <button type="submit">Send again since then</button>
      </form>
    </section>
  );
}

function AgreementSelect({
  agreements,
  value,
  onChange,
  describedBy,
}: {
  agreements: Agreement[];
  value: string;
  onChange: (id: string) => void;
  describedBy?: string | undefined;
}) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={describedBy}>
      <option value="">Choose an agreement</option>
      {agreements.map((a) => (
        <option key={a.id} value={String(a.id)}>
          {a.id}: {a.purpose}
        </option>
      ))}
    </select>
  );
}
