import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { useUnsaved } from '../useUnsaved.ts';
import { AccessFields, type Access } from './AccessFields.tsx';
import { Field } from './Field.tsx';
import { noProblems, problemsOf, type Problems } from './problems.ts';
import { codes, hasParty, represents, worksAtOffices, type ManagedUser } from './types.ts';

const fields = ['username', 'displayName', 'password', 'role', 'partyId', 'offices', 'represents'];
const blank: Access = { role: 'trader', partyId: '', offices: '', represents: '' };

/**
 * A new user: a username, a password, a role and what the role needs. Every refusal of the server
 * is shown at its field, which gets the focus.
 */
export function NewUser({ onCreated }: { onCreated: (u: ManagedUser) => Promise<void> }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [access, setAccess] = useState<Access>(blank);
  const [problems, setProblems] = useState<Problems>(noProblems);
  useUnsaved(
    [username, displayName, password].some((v) => v !== '') ||
      JSON.stringify(access) !== JSON.stringify(blank),
  );
  const form = useRef<HTMLFormElement>(null);
  // the first field the server refused gets the focus, its problem read out with it
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problems]);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblems(noProblems);
    setBusy(true);
    try {
      const { user } = await api<{ user: ManagedUser }>('POST', '/api/users', {
        username: username.trim(),
        ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
        password,
        role: access.role,
        ...(hasParty(access.role) && access.partyId.trim() ? { partyId: access.partyId.trim() } : {}),
        ...(worksAtOffices(access.role) ? { offices: codes(access.offices) } : {}),
        ...(represents(access.role) ? { represents: codes(access.represents) } : {}),
      });
      setUsername('');
      setDisplayName('');
      setPassword('');
      setAccess(blank);
      await onCreated(user);
    } catch (err) {
      setProblems(problemsOf(err, fields));
    } finally {
      setBusy(false);
    }
  }

  const p = problems.fields;
  return (
    <form className="new-user panel" aria-labelledby="new-user-title" onSubmit={submit} noValidate ref={form}>
      <h2 id="new-user-title">New user</h2>
      {problems.general && <p role="alert">{problems.general}</p>}
      <div className="grid">
        <Field
          label="Username"
          hint="3 to 64 lowercase letters, digits, dots, dashes or underscores"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          problem={p.username}
          autoComplete="off"
          required
        />
        <Field
          label="Full name"
          hint="Optional"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          problem={p.displayName}
          autoComplete="off"
        />
        <Field
          label="Password"
          type="password"
          hint="At least 10 characters; give it to the user by a safe channel"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          problem={p.password}
          autoComplete="new-password"
          required
        />
        <AccessFields access={access} onChange={setAccess} problems={p} />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Create user
        </button>
      </div>
    </form>
  );
}
