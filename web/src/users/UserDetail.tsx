import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { useUnsaved } from '../useUnsaved.ts';
import { Confirm } from '../Confirm.tsx';
import { AccessFields, type Access } from './AccessFields.tsx';
import { noProblems, problemsOf, type Problems } from './problems.ts';
import { Tokens } from './Tokens.tsx';
import { codes, count, hasParty, represents, worksAtOffices, type ManagedUser } from './types.ts';

/** What ended with a change: "1 session ended and 2 API tokens revoked". */
const ended = (sessions: number, tokens: number) =>
  `${count(sessions, 'session', 'sessions')} ended and ${count(tokens, 'API token', 'API tokens')} revoked`;

const fields = ['role', 'partyId', 'offices', 'represents'];

const accessOf = (u: ManagedUser): Access => ({
  role: u.role,
  partyId: u.partyId ?? '',
  offices: u.offices.join(', '),
  represents: u.represents.join(', '),
});

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/** What a form changes of a user: only what differs from what it is. */
function changeOf(u: ManagedUser, a: Access): Record<string, unknown> {
  const change: Record<string, unknown> = {};
  if (a.role !== u.role) change.role = a.role;
  if (hasParty(a.role) && a.partyId.trim() !== (u.partyId ?? '')) change.partyId = a.partyId.trim();
  if (worksAtOffices(a.role) && !same(codes(a.offices), u.offices)) change.offices = codes(a.offices);
  if (represents(a.role) && (a.role !== u.role || !same(codes(a.represents), u.represents)))
    change.represents = codes(a.represents);
  return change;
}

/**
 * One user, for an administrator: its role, party, offices and represented traders changed in one
 * form; disabling or enabling it, and revoking its API tokens, each after a confirmation naming it.
 */
export function UserDetail({
  user,
  self,
  onChanged,
}: {
  user: ManagedUser;
  /** The signed-in administrator: nobody changes their own role or disables themselves. */
  self: string;
  onChanged: (u: ManagedUser) => void;
}) {
  const [access, setAccess] = useState<Access>(() => accessOf(user));
  const [problems, setProblems] = useState<Problems>(noProblems);
  const form = useRef<HTMLFormElement>(null);
  // the first field the server refused gets the focus, its problem read out with it
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problems]);
  const [done, setDone] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  // the tokens are listed again once disabling or a new role revoked them
  const [tokensSeen, setTokensSeen] = useState(0);
  const change = changeOf(user, access);
  const unchanged = Object.keys(change).length === 0;
  useUnsaved(!unchanged);
  const name = user.username;

  async function save(e: FormEvent) {
    e.preventDefault();
    setProblems(noProblems);
    setDone(null);
    setBusy(true);
    try {
      const r = await api<{ user: ManagedUser; sessionsEnded: number; tokensRevoked: number }>(
        'PATCH',
        `/api/users/${encodeURIComponent(name)}`,
        change,
      );
      setAccess(accessOf(r.user));
      onChanged(r.user);
      const also =
        r.sessionsEnded + r.tokensRevoked > 0 ? ` ${ended(r.sessionsEnded, r.tokensRevoked)}.` : '';
      setDone(`Saved ${name}.${also}`);
      setTokensSeen((n) => n + 1);
    } catch (err) {
      setProblems(problemsOf(err, fields));
    } finally {
      setBusy(false);
    }
  }

  async function setDisabled() {
    setAsking(false);
    setProblems(noProblems);
    setDone(null);
    const verb = user.disabled ? 'enable' : 'disable';
    try {
      const r = await api<{ user: { disabled: boolean; sessionsEnded: number; tokensRevoked: number } }>(
        'POST',
        `/api/users/${encodeURIComponent(name)}/${verb}`,
      );
      onChanged({ ...user, disabled: r.user.disabled });
      setDone(
        r.user.disabled
          ? `Disabled ${name}: ${ended(r.user.sessionsEnded, r.user.tokensRevoked)}.`
          : `Enabled ${name}: they may sign in again.`,
      );
      setTokensSeen((n) => n + 1);
    } catch (err) {
      setProblems(problemsOf(err, []));
    }
  }

  return (
    <section className="detail" aria-labelledby="user-title">
      <h2 id="user-title">
        {name}
        {user.displayName !== name ? ` (${user.displayName})` : ''}
      </h2>
      <p role="status">{done}</p>
      {problems.general && <p role="alert">{problems.general}</p>}
      <form className="user-access" aria-label={`Access of ${name}`} onSubmit={save} noValidate ref={form}>
        <AccessFields
          access={access}
          onChange={(a) => {
            setAccess(a);
            setDone(null);
          }}
          problems={problems.fields}
          roleHint={
            name === self
              ? 'You cannot change your own role'
              : `A new role ends the sessions of ${name} and revokes its API tokens`
          }
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={unchanged || busy}>
            Save changes
          </button>
          <button type="button" disabled={unchanged || busy} onClick={() => setAccess(accessOf(user))}>
            Undo changes
          </button>
        </div>
      </form>
      <h3>Account</h3>
      <p>
        {user.disabled ? `${name} is disabled: they cannot sign in.` : `${name} may sign in.`}{' '}
        {name !== self && (
          <button onClick={() => setAsking(true)}>
            {user.disabled ? `Enable ${name}` : `Disable ${name}`}
          </button>
        )}
      </p>
      <Tokens key={tokensSeen} username={name} />
      {asking && (
        <Confirm
          title={user.disabled ? `Enable ${name}?` : `Disable ${name}?`}
          confirm={user.disabled ? `Enable ${name}` : `Disable ${name}`}
          onConfirm={() => void setDisabled()}
          onCancel={() => setAsking(false)}
        >
          <p>
            {user.disabled
              ? `${name} may sign in again. The API tokens revoked when they were disabled stay revoked.`
              : `${name} is signed out everywhere at once, every API token of theirs is revoked, and they cannot sign in until enabled again.`}
          </p>
        </Confirm>
      )}
    </section>
  );
}
