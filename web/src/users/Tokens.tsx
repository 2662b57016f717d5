import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { Confirm } from '../Confirm.tsx';
import { when } from '../retention/format.ts';
import type { Token } from './types.ts';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A user's API tokens, newest first, without their secrets; an active one is revoked after a confirmation. */
export function Tokens({ username }: { username: string }) {
  const [tokens, setTokens] = useState<Token[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const base = `/api/users/${encodeURIComponent(username)}/tokens`;

  async function load() {
    try {
      setTokens((await api<{ tokens: Token[] }>('GET', base)).tokens);
    } catch (e) {
      setProblem(message(e));
    }
  }

  useEffect(() => {
    void load();
  }, [username]);

  async function revoke(t: Token) {
    setRevoking(null);
    setProblem(null);
    try {
      await api('POST', `${base}/${t.id}/revoke`);
      setDone(`Revoked the token ${t.name} of ${username}.`);
      await load();
    } catch (e) {
      setProblem(message(e));
    }
  }

  return (
    <section aria-labelledby="tokens-title">
      <h3 id="tokens-title">API tokens</h3>
      {problem && <p role="alert">{problem}</p>}
      <p role="status">{done}</p>
      {tokens.length === 0 && !problem ? (
        <p>{username} has no API token.</p>
      ) : (
        <div className="scroll">
          <table aria-labelledby="tokens-title">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Made</th>
                <th scope="col">Ends</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.name}</th>
                  <td>
                    <span className={`status ${t.status === 'active' ? 'active' : 'retired'}`}>
                      {t.status}
                    </span>
                  </td>
                  <td>
                    by {t.createdBy ?? 'unknown'}, <time dateTime={t.createdAt}>{when(t.createdAt)}</time>
                  </td>
                  <td>
                    <time dateTime={t.revokedAt ?? t.expiresAt}>
                      {t.revokedAt ? `revoked ${when(t.revokedAt)}` : when(t.expiresAt)}
                    </time>
                  </td>
                  <td>
                    {t.status === 'active' && (
                      <button onClick={() => setRevoking(t)} aria-label={`Revoke the token ${t.name}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoking && (
        <Confirm
          title={`Revoke the token ${revoking.name} of ${username}?`}
          confirm="Revoke the token"
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(null)}
        >
          <p>Whatever uses this token is refused from now on. A revoked token cannot be brought back.</p>
        </Confirm>
      )}
    </section>
  );
}
