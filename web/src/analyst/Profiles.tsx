import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useShortcuts } from '../shortcuts.ts';
import { Lane } from '../Lane.tsx';
import { ProfileDetail } from './ProfileDetail.tsx';
import { percent } from './format.ts';
import { ProfileForm } from './ProfileForm.tsx';
import { statusLabels, type FieldSpec, type Profile } from './profiles.ts';

type Mode = { kind: 'list' } | { kind: 'open'; profile: Profile } | { kind: 'write'; revising?: Profile };

/**
 * Rule profiles: the newest version of each and the active ones. Analysts write drafts, submit
 * them, and approve or reject each other's; every button comes from the server's `allowed` lists.
 */
export default function Profiles() {
  const [profiles, setProfiles] = useState<Profile[]>([]);
  const [canWrite, setCanWrite] = useState(false);
  const [fields, setFields] = useState<FieldSpec[]>([]);
  const [filter, setFilter] = useState('');
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [problem, setProblem] = useState<string | null>(null);

  async function load() {
    try {
      const list = await api<{ profiles: Profile[]; allowed: string[] }>('GET', '/api/risk/profiles');
      setProfiles(list.profiles);
      setCanWrite(list.allowed.includes('create'));
      // a link to one profile (a draft made from a monitoring alert) opens it
      const wanted = Number(new URLSearchParams(window.location.search).get('open'));
      const linked = list.profiles.find((p) => p.id === wanted);
      if (linked) setMode((m) => (m.kind === 'list' ? { kind: 'open', profile: linked } : m));
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  }

  useEffect(() => {
    void load();
    api<{ fields: FieldSpec[] }>('GET', '/api/risk/profiles/fields').then(
      (r) => setFields(r.fields),
      (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)),
    );
  }, []);

  // Escape closes the open profile, unless it is typed in a field or answers a question in a dialog
  useShortcuts(mode.kind === 'open' ? { Escape: () => setMode({ kind: 'list' }) } : {});

  const opened = (p: Profile) => {
    setMode({ kind: 'open', profile: p });
    void load();
  };
  const wanted = filter.trim().toLowerCase();
  const shown = profiles.filter(
    (p) => !wanted || `${p.code} ${p.definition.name} ${p.status}`.toLowerCase().includes(wanted),
  );
  const openId = mode.kind === 'open' ? mode.profile.id : null;

  return (
    <section aria-labelledby="profiles-title">
      <h1 id="profiles-title">Rule profiles</h1>
      <div className="filters">
        <label>
          Filter
          <input
            type="search"
            value={filter}
            placeholder="code, name or status"
            onChange={(e) => setFilter(e.target.value)}
          />
        </label>
        {canWrite && (
          <button className="primary" onClick={() => setMode({ kind: 'write' })}>
            New profile
          </button>
        )}
      </div>
      {problem && <p role="alert">{problem}</p>}
      <div className={mode.kind === 'list' ? undefined : 'split'}>
        <div className="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Name</th>
                <th scope="col">Lane</th>
                <th scope="col" className="number secondary">
                  Weight
                </th>
                <th scope="col">Status</th>
                <th scope="col" className="number">
                  Version
                </th>
                <th scope="col" className="secondary">
                  Author
                </th>
                <th scope="col" className="number">
                  Hit rate
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr key={p.id} className={p.id === openId ? 'open' : undefined}>
                  <td>
                    <button
                      className="link"
                      aria-current={p.id === openId ? 'true' : undefined}
                      onClick={() => setMode({ kind: 'open', profile: p })}
                    >
                      {p.code}
                    </button>
                  </td>
                  <td>{p.definition.name}</td>
                  <td>
                    <Lane lane={p.definition.lane} />
                  </td>
                  <td className="number secondary">{p.definition.weight}</td>
                  <td>
                    <span className={`status ${p.status}`}>{statusLabels[p.status] ?? p.status}</span>
                  </td>
                  <td className="number">{p.version}</td>
                  <td className="secondary">{p.createdBy}</td>
                  <td className="number">{percent(p.stats.hitRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {mode.kind === 'open' && (
          <ProfileDetail
            key={mode.profile.id}
            profile={mode.profile}
            canWrite={canWrite}
            onChanged={opened}
            onRevise={() => setMode({ kind: 'write', revising: mode.profile })}
            onClose={() => setMode({ kind: 'list' })}
          />
        )}
        {mode.kind === 'write' && fields.length > 0 && (
          <ProfileForm
            key={mode.revising?.id ?? 'new'}
            fields={fields}
            revising={mode.revising?.definition}
            onSaved={opened}
            onCancel={() =>
              setMode(mode.revising ? { kind: 'open', profile: mode.revising } : { kind: 'list' })
            }
          />
        )}
      </div>
      {profiles.length === 0 && !problem && <p>No rule profiles yet.</p>}
    </section>
  );
}
