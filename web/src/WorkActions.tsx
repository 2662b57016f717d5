import { useEffect, useState, type FormEvent } from 'react';
import { api } from './api.ts';
import { useUnsaved } from './useUnsaved.ts';

interface Officer {
  username: string;
  displayName: string;
  open: number;
}

const lanes = ['red', 'yellow', 'blue', 'green'];

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Who works on a declaration and in which lane: take it (officers, supervisors), give it to an
 * officer of its office or move it to another lane with a reason (supervisors). Each control is
 * there only when the server's `allowed` list says so.
 */
export function WorkActions({
  id,
  office,
  lane,
  allowed,
  onChanged,
}: {
  id: number;
  office: string;
  lane?: string;
  allowed: string[];
  onChanged: () => Promise<void>;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  /** Whether the server did it. */
  const run = async (method: string, path: string, body?: unknown): Promise<boolean> => {
    setProblem(null);
    try {
      await api(method, path, body);
    } catch (e) {
      setProblem(message(e));
      return false;
    }
    await onChanged();
    return true;
  };
  if (!['take', 'assign', 'reroute'].some((a) => allowed.includes(a))) return null;
  return (
    <section className="work" aria-labelledby="work-title">
      <h2 id="work-title">Work</h2>
      {allowed.includes('take') && (
        <button onClick={() => void run('POST', `/api/declarations/${id}/take`)}>
          Take it <kbd>t</kbd>
        </button>
      )}
      {allowed.includes('assign') && (
        <AssignForm
          office={office}
          onAssign={async (officer) => {
            await run('POST', `/api/declarations/${id}/assign`, { officer });
          }}
        />
      )}
      {allowed.includes('reroute') && (
        <RerouteForm
          lane={lane}
          onReroute={(to, reason) => run('POST', `/api/declarations/${id}/reroute`, { lane: to, reason })}
        />
      )}
      {problem && <p role="alert">{problem}</p>}
    </section>
  );
}

/** The officers of an office with their open work, for a supervisor to choose from. */
export function useOfficers(office: string) {
  const [officers, setOfficers] = useState<Officer[]>([]);
  useEffect(() => {
    api<{ officers: Officer[] }>('GET', `/api/worklist/officers?office=${encodeURIComponent(office)}`).then(
      (r) => setOfficers(r.officers),
      () => setOfficers([]),
    );
  }, [office]);
  return officers;
}

export function AssignForm({
  office,
  onAssign,
  label = 'Assign to',
}: {
  office: string;
  onAssign: (officer: string | null) => Promise<void>;
  label?: string;
}) {
  const officers = useOfficers(office);
  const [officer, setOfficer] = useState('');
  return (
    <form
      className="inline"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void onAssign(officer === '' ? null : officer);
      }}
    >
      <label>
        {label}
        <select value={officer} onChange={(e) => setOfficer(e.target.value)}>
          <option value="">nobody (release)</option>
          {officers.map((o) => (
            <option key={o.username} value={o.username}>
              {o.displayName} · {o.open} open
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Assign</button>
    </form>
  );
}

function RerouteForm({
  lane,
  onReroute,
}: {
  lane?: string;
  /** Whether the declaration was rerouted. */
  onReroute: (lane: string, reason: string) => Promise<boolean>;
}) {
  const [to, setTo] = useState(lanes.find((l) => l !== lane) ?? 'red');
  const [reason, setReason] = useState('');
  useUnsaved(reason.trim() !== '');
  return (
    <form
      className="inline"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        // the reason was for this reroute: the field is empty for the next
        void onReroute(to, reason).then((done) => done && setReason(''));
      }}
    >
      <label>
        Move to lane
        <select value={to} onChange={(e) => setTo(e.target.value)}>
          {lanes
            .filter((l) => l !== lane)
            .map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
        </select>
      </label>
      <label>
        Reason
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          minLength={3}
          maxLength={500}
        />
      </label>
      <button type="submit">Reroute</button>
    </form>
  );
}
