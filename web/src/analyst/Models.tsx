import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { Confirm } from '../Confirm.tsx';
import { day as dayOf } from '../format.ts';
import { ClassificationModels } from './ClassificationModels.tsx';

interface Evaluation {
  n: number;
  positives: number;
  auc: number;
  precisionAt: Record<string, number>;
  recallAt: Record<string, number>;
  /** Absent in versions registered before it was measured. */
  brier?: number;
}

interface Model {
  id: number;
  createdAt: string;
  createdBy: string;
  source: string;
  windowFrom: string | null;
  windowTo: string | null;
  rows: number;
  positives: number;
  metrics: Evaluation | null;
  active: boolean;
  activatedBy: string | null;
  activatedAt: string | null;
  allowed: string[];
}

/** The shares of the highest-scored declarations the registry measures precision and recall at. */
const shares = ['1', '2', '5', '10'];
const ratio = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(3));
const day = (at: string | null) => (at ? dayOf(at) : '–');

/**
 * The versions of the learned risk model, newest first: what each was trained on, how well it
 * ranked the held-out declarations, and which one scores declarations now.
 */
export default function Models() {
  const [models, setModels] = useState<Model[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState<Model | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function load() {
    try {
      setModels((await api<{ models: Model[] }>('GET', '/api/risk/models')).models);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  }

  useEffect(() => {
    void load();
  }, []);

  // readers who may activate nothing get no empty column for it
  const acting = models.some((m) => m.allowed.length > 0);

  async function activate(m: Model) {
    setAsking(null);
    setProblem(null);
    try {
      await api('POST', `/api/risk/models/${m.id}/activate`);
      // the message comes with the list that shows it, never before
      await load();
      setDone(`Model ${m.id} now scores every declaration assessed from here on.`);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <section aria-labelledby="models-title">
      <h1 id="models-title">Risk models</h1>
      <p className="hint">
        Metrics are measured on held-out declarations: the latest tenth of those controlled when the model was
        trained. Precision at k % is the share of non-compliant declarations among the k % scored highest;
        recall at k % the share of all non-compliant ones found there. The Brier score is the mean squared
        difference between the predicted probability and what the control found (lower is better).
      </p>
      {problem && <p role="alert">{problem}</p>}
      <p role="status">{done}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">State</th>
            <th scope="col">Trained</th>
            <th scope="col">Training window</th>
            <th scope="col" className="number">
              Rows
            </th>
            <th scope="col" className="number">
              Non-compliant
            </th>
            <th scope="col" className="number">
              AUC
            </th>
            {shares.map((s) => (
              <th key={s} scope="col" className="number">
                Precision at {s} %
              </th>
            ))}
            <th scope="col" className="number">
              Recall at 10 %
            </th>
            <th scope="col" className="number">
              Brier score
            </th>
            {acting && <th scope="col">Action</th>}
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.id} className={m.active ? 'open' : undefined}>
              <th scope="row">{m.id}</th>
              <td>
                {m.active ? (
                  <span className="status active">active</span>
                ) : (
                  <span className="status retired">inactive</span>
                )}
                {m.activatedBy && (
                  <div className="hint">
                    activated by {m.activatedBy} {day(m.activatedAt)}
                  </div>
                )}
              </td>
              <td>
                {day(m.createdAt)} by {m.createdBy} ({m.source})
              </td>
              <td>
                {m.windowFrom ?? '–'} to {m.windowTo ?? '–'}
              </td>
              <td className="number">{m.rows.toLocaleString()}</td>
              <td className="number">
                {m.positives.toLocaleString()} ({m.rows ? ((m.positives / m.rows) * 100).toFixed(1) : '0'} %)
              </td>
              <td className="number">{ratio(m.metrics?.auc)}</td>
              {shares.map((s) => (
                <td key={s} className="number">
                  {ratio(m.metrics?.precisionAt[s])}
                </td>
              ))}
              <td className="number">{ratio(m.metrics?.recallAt['10'])}</td>
              <td className="number">{ratio(m.metrics?.brier)}</td>
              {acting && (
                <td>
                  {m.allowed.includes('activate') && (
                    <button onClick={() => setAsking(m)} aria-label={`Activate model ${m.id}`}>
                      Activate
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {models.length === 0 && !problem && <p>No model has been trained yet.</p>}
      {asking && (
        <Confirm
          title={`Activate model ${asking.id}?`}
          confirm="Activate"
          onConfirm={() => void activate(asking)}
          onCancel={() => setAsking(null)}
        >
          <p>
            It replaces the active model at once: every declaration assessed from now on is scored by model{' '}
            {asking.id}
            {asking.metrics ? ` (AUC ${asking.metrics.auc.toFixed(3)})` : ''}.
          </p>
        </Confirm>
      )}
      <ClassificationModels />
    </section>
  );
}
