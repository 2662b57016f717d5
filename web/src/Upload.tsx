import { Fragment, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, RequestFailed } from './api.ts';
import { fieldLabel, say } from './fields.ts';
import { moment } from './format.ts';
import { Lane } from './Lane.tsx';
import type { PageProps } from './pages.ts';
import { usePaged } from './usePaged.ts';

interface ImportJob {
  id: number;
  fileName: string | null;
  format: string;
  bytes: number;
  status: 'receiving' | 'importing' | 'assessing' | 'done' | 'failed';
  rowsRead: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  assessed: number;
  lanes: Record<string, number> | null;
  findings: number;
  findingsKept: number;
  startedAt: string;
  error: string | null;
}

interface Reject {
  line: number;
  reference?: string;
  path: string;
  code: string;
  message: string;
}

const formats: [string, string][] = [
  ['clearway', 'Clearway CSV'],
  ['kcs', 'KCS CSV'],
];
const running = (job: ImportJob) => job.status !== 'done' && job.status !== 'failed';
/** An import that ended with every declaration of its file rejected: nothing was stored. */
const allRejected = (job: ImportJob) =>
  job.status === 'done' && job.rejected > 0 && job.accepted === 0 && job.duplicates === 0;
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;
const count = (n: number) => n.toLocaleString('en');
const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;

/**
 * Sends a file as the body of POST /api/imports with XMLHttpRequest, whose upload events tell how
 * many bytes have gone (fetch does not); resolves with the import the server started.
 */
function send(file: File, format: string, onSent: (sent: number, total: number) => void): Promise<ImportJob> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/imports?format=${format}&name=${encodeURIComponent(file.name.slice(0, 255))}`);
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.upload.onprogress = (e) => onSent(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        // an answer that is not JSON (a proxy's error page) is reported by its status below
      }
      if (xhr.status === 202) return resolve(body as unknown as ImportJob);
      reject(
        new RequestFailed({
          status: xhr.status,
          error: String(body.error ?? 'request_failed'),
          message: String(body.message ?? `the upload was refused (${xhr.status} ${xhr.statusText})`),
        }),
      );
    };
    xhr.onerror = () =>
      reject(new Error('the upload broke off: check the connection, and that the file is not too large'));
    xhr.send(file);
  });
}

/**
 * Uploading a file of declarations: the bytes sent, then the import followed until it is done,
 * the rows it rejected with their lines, and the earlier uploads below.
 */
export default function Upload({ go }: PageProps) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [format, setFormat] = useState('clearway');
  const [sent, setSent] = useState<{ sent: number; total: number } | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const history = usePaged<ImportJob, number>(
    (before) => `/api/imports?limit=20${before ? `&before=${before}` : ''}`,
  );

  useEffect(() => {
    void history.load();
  }, []);

  // follows the import about twice a second until it is done or failed
  useEffect(() => {
    if (!job || !running(job)) return;
    const timer = window.setTimeout(() => {
      api<ImportJob>('GET', `/api/imports/${job.id}`).then(
        (next) => {
          setJob(next);
          if (!running(next)) void history.load();
        },
        (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)),
      );
    }, 500);
    return () => window.clearTimeout(timer);
  }, [job]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) return setProblem('choose a file to upload');
    setProblem(null);
    setJob(null);
    setSent({ sent: 0, total: file.size });
    try {
      const started = await send(file, format, (s, total) => setSent({ sent: s, total }));
      setJob(started);
      void history.load();
    } catch (error) {
      setSent(null);
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }

  const uploading = sent !== null && job === null;
  return (
    <section aria-labelledby="upload-title">
      <h1 id="upload-title">Upload</h1>
      <p>
        Upload a CSV file of your declarations. Each row is checked as if it were lodged on its own; rows with
        problems are listed with their line, and the rest is stored and assessed.
      </p>
      <form className="filters" onSubmit={(e) => void submit(e)}>
        <label>
          File
          <input ref={fileInput} type="file" accept=".csv,text/csv" required />
        </label>
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value)}>
            {formats.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={uploading || (job !== null && running(job))}>
          Upload
        </button>
      </form>
      {problem && <p role="alert">{problem}</p>}
      {sent && (
        <p className="upload-sent">
          <label htmlFor="upload-sent">File sent</label>
          <progress id="upload-sent" max={sent.total || 1} value={sent.sent} />
          <span>
            {size(sent.sent)} of {size(sent.total)}
          </span>
        </p>
      )}
      <div aria-live="polite">{job && <Progress job={job} />}</div>
      {job && job.status === 'done' && !allRejected(job) && (
        <p>
          <button className="link" onClick={() => go('/declarations')}>
            See your declarations
          </button>
        </p>
      )}
      {job && !running(job) && job.rejected > 0 && <Rejects key={job.id} job={job} />}
      <History
        history={history}
        onOpen={(opened) => {
          setSent(null);
          setProblem(null);
          setJob(opened);
        }}
      />
    </section>
  );
}

function Progress({ job }: { job: ImportJob }) {
  const facts: [string, number][] = [
    ['Rows read', job.rowsRead],
    ['Declarations accepted', job.accepted],
    ['Declarations rejected', job.rejected],
    ['Already lodged', job.duplicates],
    ['Assessed', job.assessed],
  ];
  const declarations = job.accepted + job.rejected + job.duplicates;
  return (
    <section aria-labelledby="import-title" className="panel upload-import">
      <h2 id="import-title">
        Import {job.id}
        {job.fileName ? ` · ${job.fileName}` : ''}
      </h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>{allRejected(job) ? 'done: nothing stored' : job.status}</dd>
        {facts.map(([label, n]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{count(n)}</dd>
          </Fragment>
        ))}
        {job.lanes && Object.values(job.lanes).some((n) => n > 0) && (
          <>
            <dt>Lanes</dt>
            <dd>
              {Object.entries(job.lanes)
                .filter(([, n]) => n > 0)
                .map(([lane, n]) => (
                  <span key={lane} className="upload-lane">
                    <Lane lane={lane} /> {count(n)}
                  </span>
                ))}
            </dd>
          </>
        )}
      </dl>
      {allRejected(job) && (
        <p className="upload-all-rejected" role="alert">
          {`Every declaration in this file was rejected (${plural(job.rejected, 'declaration', 'declarations')}): nothing was stored. Correct the rows listed below and upload the file again.`}
        </p>
      )}
      {job.rowsRead > 0 && (
        <p className="upload-rows">
          {job.status === 'done'
            ? `${plural(job.rowsRead, 'row', 'rows')} read, holding ${plural(declarations, 'declaration', 'declarations')}. `
            : `${plural(job.rowsRead, 'row', 'rows')} read so far. `}
          A declaration takes one row per goods item, so one of several items has several rows; what was
          accepted, rejected or already lodged is counted in declarations.
        </p>
      )}
      {job.status === 'assessing' && (
        <p className="upload-sent">
          <label htmlFor="import-assessed">Risk assessment</label>
          <progress id="import-assessed" max={job.accepted || 1} value={job.assessed} />
        </p>
      )}
      {job.error && <p role="alert">{job.error}</p>}
    </section>
  );
}

function Rejects({ job }: { job: ImportJob }) {
  const { items, next, problem, load } = usePaged<Reject, string>(
    (after) => `/api/imports/${job.id}/rejects?limit=100${after ? `&after=${after}` : ''}`,
  );
  useEffect(() => {
    void load();
  }, []);
  return (
    <section aria-labelledby="rejects-title">
      <h2 id="rejects-title">Rejected rows</h2>
      <p>
        {job.findingsKept < job.findings
          ? `The first ${count(job.findingsKept)} of ${count(job.findings)} problems. `
          : ''}
        <a href={`/api/imports/${job.id}/rejects?as=csv`} download={`import-${job.id}-rejects.csv`}>
          Download the rejected rows as CSV
        </a>
      </p>
      {problem && <p role="alert">{problem}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col" className="number">
              Line
            </th>
            <th scope="col">Reference</th>
            <th scope="col">Field</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r, i) => (
            <tr key={`${r.line}-${i}`}>
              <td className="number">{r.line}</td>
              <td>{r.reference ?? ''}</td>
              <td>{fieldLabel(r.path)}</td>
              <td>{say(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {next && <button onClick={() => void load(next)}>More</button>}
    </section>
  );
}

function History({
  history,
  onOpen,
}: {
  history: ReturnType<typeof usePaged<ImportJob, number>>;
  onOpen: (job: ImportJob) => void;
}) {
  const { items, next, problem, load } = history;
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">Your uploads</h2>
      {problem && <p role="alert">{problem}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">Import</th>
            <th scope="col">Started</th>
            <th scope="col">Format</th>
            <th scope="col">Status</th>
            <th scope="col" className="number">
              Accepted
            </th>
            <th scope="col" className="number">
              Rejected
            </th>
            <th scope="col" className="number">
              Duplicates
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((j) => (
            <tr key={j.id}>
              <td>
                <button className="link" onClick={() => onOpen(j)}>
                  {j.id} · {j.fileName ?? 'unnamed file'}
                </button>
              </td>
              <td>{moment(j.startedAt)}</td>
              <td>{j.format}</td>
              <td>{allRejected(j) ? 'done: nothing stored' : j.status}</td>
              <td className="number">{count(j.accepted)}</td>
              <td className="number">{count(j.rejected)}</td>
              <td className="number">{count(j.duplicates)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && !problem && <p>No uploads yet.</p>}
      {next && <button onClick={() => void load(next)}>More</button>}
    </section>
  );
}
