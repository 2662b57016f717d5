import { useEffect, useState } from 'react';
import { api, problemOf } from '../api.ts';
import { Confirm } from '../Confirm.tsx';
import { day as dayOf } from '../format.ts';

interface Shares {
  hs2: number;
  hs4: number;
  hs6: number;
}

interface Version {
  id: number;
  createdAt: string;
  createdBy: string;
  source: string;
  texts: { reference: number; declarations: number };
  codes: number;
  metrics: { n: number; top1: Shares; top3: Shares; top5: Shares } | null;
  size: number;
  active: boolean;
  activatedBy: string | null;
  activatedAt: string | null;
  allowed: string[];
}

const pct = (x: number | undefined) => (x === undefined ? '–' : `${(x * 100).toFixed(1)} %`);

/**
 * The versions of the HS classification model, newest first: what each learned from, how often the
 * right heading was among its first answers on held-out descriptions, and which one answers now.
 */
export function ClassificationModels() {
  const [versions, setVersions] = useState<Version[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState<Version | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function load() {
    try {
      setVersions((await api<{ models: Version[] }>('GET', '/api/classification/models')).models);
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  useEffect(() => {
    void load();
  }, []);

  const acting = versions.some((v) => v.allowed.length > 0);

  async function activate(v: Version) {
    setAsking(null);
    setProblem(null);
    try {
      await api('POST', `/api/classification/models/${v.id}/activate`);
      await load();
      setDone(`Classification model ${v.id} now suggests codes and checks descriptions.`);
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  return (
    <section aria-labelledby="classification-models-title">
      <h2 id="classification-models-title">Classification models</h2>
      <p className="hint">
        They suggest HS codes from goods descriptions. Accuracy is measured on the latest tenth of the
        declared descriptions, held out when the version was trained: how often the declared heading (HS4) was
        the first answer, or among the first three.
      </p>
      {problem && <p role="alert">{problem}</p>}
      <p role="status">{done}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">State</th>
            <th scope="col">Trained</th>
            <th scope="col" className="number">
              Reference texts
            </th>
            <th scope="col" className="number">
              Declared descriptions
            </th>
            <th scope="col" className="number">
              Subheadings
            </th>
            <th scope="col" className="number">
              Heading first
            </th>
            <th scope="col" className="number">
              Heading in first 3
            </th>
            {acting && <th scope="col">Action</th>}
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id} className={v.active ? 'open' : undefined}>
              <th scope="row">{v.id}</th>
              <td>
                {v.active ? (
                  <span className="status active">active</span>
                ) : (
                  <span className="status retired">inactive</span>
                )}
                {v.activatedBy && (
                  <div className="hint">
                    activated by {v.activatedBy} {v.activatedAt ? dayOf(v.activatedAt) : ''}
                  </div>
                )}
              </td>
              <td>
                {dayOf(v.createdAt)} by {v.createdBy} ({v.source})
              </td>
              <td className="number">{v.texts.reference.toLocaleString()}</td>
              <td className="number">{v.texts.declarations.toLocaleString()}</td>
              <td className="number">{v.codes.toLocaleString()}</td>
              <td className="number">{v.metrics ? pct(v.metrics.top1.hs4) : 'not measured'}</td>
              <td className="number">{v.metrics ? pct(v.metrics.top3.hs4) : 'not measured'}</td>
              {acting && (
                <td>
                  {v.allowed.includes('activate') && (
                    <button onClick={() => setAsking(v)} aria-label={`Activate classification model ${v.id}`}>
                      Activate
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {versions.length === 0 && !problem && <p>No classification model has been trained yet.</p>}
      {asking && (
        <Confirm
          title={`Activate classification model ${asking.id}?`}
          confirm="Activate"
          onConfirm={() => void activate(asking)}
          onCancel={() => setAsking(null)}
        >
          <p>
            It replaces the active version at once: code suggestions and the checks of descriptions against
            declared codes come from version {asking.id} from now on.
          </p>
        </Confirm>
      )}
    </section>
  );
}
