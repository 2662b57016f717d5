import { useEffect, useState } from 'react';
import { api, get, RequestFailed, type User } from './api.ts';
import {
  agencyFindingsReaders,
  assessmentReaders,
  declarationReads,
  isOfficial,
  mirrorReaders,
} from './declaration/access.ts';
import { AgencyFindings } from './declaration/AgencyFindings.tsx';
import { Attachments } from './declaration/Attachments.tsx';
import { CancelForm } from './CancelForm.tsx';
import { ControlForm, type ControlResult } from './ControlForm.tsx';
import { Clearance } from './declaration/Clearance.tsx';
import { ControlResults } from './declaration/ControlResults.tsx';
import { DownloadXml } from './declaration/DownloadXml.tsx';
import { Facts } from './declaration/Facts.tsx';
import { History } from './declaration/History.tsx';
import { Items } from './declaration/Items.tsx';
import { MirrorLoader, usePreloadedMirror } from './declaration/MirrorLoader.tsx';
import { Risk } from './declaration/Risk.tsx';
import type { Assessment, Declaration, DeclarationEvent } from './declaration/types.ts';
import { say } from './fields.ts';
import { Lane } from './Lane.tsx';
import { holdReaders, LegalHold } from './LegalHold.tsx';
import type { AgencyFinding } from './sharing/findingWords.ts';
import { useShortcuts } from './shortcuts.ts';
import { WorkActions } from './WorkActions.tsx';

/** The name of the office of a declaration, from the list of customs offices (null until known). */
function useOfficeName(code: string | undefined): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    if (!code) return;
    let live = true;
    get<{ offices: { code: string; name: string }[] }>('/api/offices').then(
      (r) => live && setName(r.offices.find((o) => o.code === code)?.name ?? null),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [code]);
  return name;
}

/**
 * One declaration: what it holds, its risk assessment in an officer's words, its control results
 * and history; record or correct a control; for officials, its legal hold.
 */
export default function DeclarationView({
  id,
  user,
  onBack,
  onAmend,
}: {
  id: number;
  user: User;
  onBack: () => void;
  onAmend: (id: number) => void;
}) {
  const [d, setD] = useState<Declaration | null>(null);
  // undefined while it is asked for; null: none (no assessment yet, or not for this reader)
  const [assessment, setAssessment] = useState<Assessment | null | undefined>(undefined);
  // the history, the control results and the agencies' findings: null while they are asked for
  const [record, setRecord] = useState<{
    events: DeclarationEvent[];
    results: ControlResult[];
    // null: not for this reader (an officer of another office)
    agencyFindings: AgencyFinding[] | null;
  } | null>(null);
  const [correcting, setCorrecting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // a read of a panel below the heading that failed: said there, the declaration stays shown
  const [panelProblem, setPanelProblem] = useState<string | null>(null);
  const official = isOfficial(user.role);
  const officeName = useOfficeName(d?.office);
  usePreloadedMirror(user.role);

  /**
   * Asks for everything at once and shows each part as it comes: the heading and the declaration's
   * own data first, the risk assessment and the history when theirs are here. Resolves when all are.
   */
  async function load() {
    const reads = declarationReads(id);
    const failed = (e: unknown) => (e instanceof Error ? e.message : String(e));
    const declaration = get<Declaration>(reads.declaration).then(setD, (e: unknown) => setProblem(failed(e)));
    // asked together, shown together: the history never shows before the notes it carries
    const history = Promise.all([
      get<{ events: DeclarationEvent[] }>(reads.events),
      official ? get<{ results: ControlResult[] }>(reads.controlResults) : { results: [] },
      !agencyFindingsReaders.includes(user.role)
        ? null
        : get<{ findings: AgencyFinding[] }>(reads.agencyFindings).catch((e: unknown) => {
            if (e instanceof RequestFailed && e.problem.status === 403) return null;
            throw e;
          }),
    ]).then(
      ([h, controls, found]) =>
        setRecord({ events: h.events, results: controls.results, agencyFindings: found?.findings ?? null }),
      (e: unknown) => setPanelProblem(failed(e)),
    );
    // traders and declarants never read the assessment: they are not asked for it
    const risk = !assessmentReaders.includes(user.role)
      ? Promise.resolve(setAssessment(null))
      : get<{ latest: Assessment }>(reads.assessment).then(
          (a) => setAssessment(a.latest),
          (e: unknown) => {
            if (e instanceof RequestFailed && e.problem.status === 404) setAssessment(null);
            else setPanelProblem(failed(e));
          },
        );
    await Promise.all([declaration, history, risk]);
  }

  useEffect(() => {
    void load();
  }, [id]);

  useShortcuts({
    Escape: onBack,
    t: () => {
      if (d?.allowed.includes('take')) void api('POST', `/api/declarations/${id}/take`).then(load);
    },
    c: () => document.getElementById('control-outcome')?.focus(),
  });

  if (problem) return <p role="alert">{problem}</p>;
  if (!d) return <p>Loading…</p>;
  const events = record?.events ?? [];
  const results = record?.results ?? [];
  const agencyFindings = record?.agencyFindings ?? null;
  // the control form is the holder's: an officer takes open work nobody holds in the same step
  const holder = d.assignedTo === user.username;
  const recordable = d.allowed.includes('record_control') && (holder || d.assignedTo === undefined);
  const inForce = results.find((r) => r.supersededAt === null && r.source === 'officer');
  // the notice comes with the page that shows what was recorded
  const done = async (message: string) => {
    await load();
    setCorrecting(false);
    setNotice(message);
  };
  return (
    <article aria-labelledby="declaration-title" className="declaration">
      <p className="keys">
        <button onClick={onBack}>← Back</button> Keys: <kbd>Esc</kbd> back
        {d.allowed.includes('take') && (
          <>
            {' '}
            · <kbd>t</kbd> take
          </>
        )}
        {recordable && (
          <>
            {' '}
            · <kbd>c</kbd> record the control
          </>
        )}
      </p>
      <h1 id="declaration-title">
        Declaration {d.id} · {d.functionalReference} <Lane lane={d.lane} />
      </h1>
      <div className="actions">
        <DownloadXml id={d.id} reference={d.functionalReference} />
      </div>
      <Facts d={d} officeName={officeName} />
      <Items items={d.items} currency={d.currency} date={d.date} />
      {/* a partner's export record beside an import: customs roles only, never asked for by traders */}
      {d.type === 'IM' && mirrorReaders.includes(user.role) && <MirrorLoader d={d} />}

      {d.findings.length > 0 && (
        <section aria-labelledby="findings-title">
          <h2 id="findings-title">Validation findings</h2>
          <ul>
            {d.findings.map((f, i) => (
              <li key={i}>{say(f)}</li>
            ))}
          </ul>
        </section>
      )}

      {panelProblem && <p role="alert">{panelProblem}</p>}
      {/* the risk shows with the history it reads (a supervisor's reroute and its reason) */}
      {assessment === undefined || (assessment && !record)
        ? !panelProblem && <p className="loading">Loading the risk assessment…</p>
        : assessment && <Risk assessment={assessment} events={events} />}
      {agencyFindings && (official || agencyFindings.length > 0) && (
        <AgencyFindings findings={agencyFindings} />
      )}

      <Attachments id={d.id} />

      <WorkActions id={d.id} office={d.office} lane={d.lane} allowed={d.allowed} onChanged={load} />
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {official && results.length > 0 && (
        <ControlResults
          results={results}
          onCorrect={
            d.allowed.includes('correct_control') && inForce && !correcting ? () => setCorrecting(true) : null
          }
        />
      )}
      {correcting && inForce && (
        <ControlForm
          key={`correct-${inForce.id}`}
          id={d.id}
          currency={d.currency}
          correcting={inForce}
          onDone={done}
          onClose={() => setCorrecting(false)}
        />
      )}
      {recordable && (
        <ControlForm
          id={d.id}
          currency={d.currency}
          take={!holder && d.allowed.includes('take')}
          onDone={done}
        />
      )}
      {record && <Clearance id={d.id} version={events.length} onChanged={load} />}
      {d.allowed.includes('amend') && <button onClick={() => onAmend(d.id)}>Amend…</button>}
      {d.allowed.includes('cancel') && <CancelForm id={d.id} onCancelled={load} />}
      {/* traders and declarants never learn of a hold: for them it is not even asked for */}
      {holdReaders.includes(user.role) && <LegalHold id={d.id} />}

      {record ? (
        <History events={events} results={official ? results : []} findings={agencyFindings ?? []} />
      ) : (
        !panelProblem && <p className="loading">Loading the history…</p>
      )}
    </article>
  );
}
