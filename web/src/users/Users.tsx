import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import type { PageProps } from '../pages.ts';
import { NewUser } from './NewUser.tsx';
import { UserDetail } from './UserDetail.tsx';
import { roleName, type ManagedUser } from './types.ts';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const listed = (items: string[]) => (items.length ? items.join(', ') : '—');

/**
 * Users, for administrators: every user with its role, party, offices, represented traders and
 * whether it is disabled; a new user; and one user opened beside the list to change its access,
 * disable or enable it, and revoke its API tokens.
 */
export default function Users({ user: me }: PageProps) {
  const [users, setUsers] = useState<ManagedUser[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [openName, setOpenName] = useState<string | null>(null);
  const opened = users.find((u) => u.username === openName);

  async function load() {
    try {
      setUsers((await api<{ users: ManagedUser[] }>('GET', '/api/users')).users);
    } catch (e) {
      setProblem(message(e));
    }
  }

  useEffect(() => {
    void load();
  }, []);

  const replace = (u: ManagedUser) => setUsers((old) => old.map((o) => (o.username === u.username ? u : o)));

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <NewUser
        onCreated={async (u) => {
          await load();
          setDone(`Created ${u.username} (${roleName(u.role)}).`);
          setOpenName(u.username);
        }}
      />
      <p role="status">{done}</p>
      {problem && <p role="alert">{problem}</p>}
      <div className={opened ? 'split' : undefined}>
        <div className="scroll">
          <table aria-labelledby="users-title">
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Role</th>
                <th scope="col">Party</th>
                <th scope="col">Offices</th>
                <th scope="col">Represents</th>
                <th scope="col">Account</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.userId} className={u.username === openName ? 'open' : undefined}>
                  <th scope="row">
                    <button
                      className="link nowrap"
                      aria-expanded={u.username === openName}
                      onClick={() => setOpenName(u.username === openName ? null : u.username)}
                    >
                      {u.username}
                    </button>
                  </th>
                  <td>{roleName(u.role)}</td>
                  <td className="nowrap">{u.partyId ?? '—'}</td>
                  <td>{listed(u.offices)}</td>
                  <td>{listed(u.represents)}</td>
                  <td>{u.disabled ? <span className="status rejected">disabled</span> : 'enabled'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {opened && <UserDetail key={opened.username} user={opened} self={me.username} onChanged={replace} />}
      </div>
    </section>
  );
}
