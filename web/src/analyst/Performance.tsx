import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { percent } from './format.ts';
import { acrossGroups, liftText, type CurrencyAmount, type GroupStats, type Report } from './performance.ts';
import { HitRateChart, ProfileChart } from './PerformanceCharts.tsx';
import { money } from '../format.ts';

const hits = (g: GroupStats) => `${g.positives} of ${g.controlled}`;
const amounts = (list: CurrencyAmount[]) =>
  list.length ? list.map((r) => money(r.amount, r.currency)).join('; ') : 'none';

/**
 * How well targeting works: the hit rate of controls the risk engine asked for against controls
 * chosen at random, per period, and the hit rate of each rule profile. Without dates the server
 * reports the last 12 calendar months.
 */
export default function Performance() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [period, setPeriod] = useState('month');
  const [office, setOffice] = useState('');
  const [report, setReport] = useState<Report | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function load() {
    const query = new URLSearchParams({ period });
    if (from) query.set('from', from);
    if (to) query.set('to', to);
    if (office.trim()) query.set('office', office.trim());
    try {
      const r = await api<Report>('GET', `/api/risk/performance?${query}`);
      setReport(r);
      setFrom(r.from);
      setTo(r.to);
      setProblem(null);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  }

  useEffect(() => {
    void load();
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    void load();
  }

  const o = report?.overall;
  return (
    <section aria-labelledby="performance-title">
      <h1 id="performance-title">Risk performance</h1>
      <form className="filters" onSubmit={submit}>
        <label>
          From
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label>
          Period
          <select value={period} onChange={(e) => setPeriod(e.target.value)}>
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
        </label>
        <label>
          Office
          <input
            value={office}
            size={8}
            placeholder="all"
            onChange={(e) => setOffice(e.target.value.toUpperCase())}
          />
        </label>
        <button type="submit">Show</button>
      </form>
      {problem && <p role="alert">{problem}</p>}
      {report && o && (
        <>
          <dl className="facts summary">
            <dt>Targeted hit rate</dt>
            <dd>
              {percent(o.targeted.hitRate)} ({hits(o.targeted)} controlled)
            </dd>
            <dt>Random hit rate</dt>
            <dd>
              {percent(o.random.hitRate)} ({hits(o.random)} controlled)
            </dd>
            <dt>Lift</dt>
            <dd>{liftText(o.lift)}</dd>
            <dt>Non-compliance of all declarations</dt>
            <dd>
              {o.nonCompliance
                ? `${percent(o.nonCompliance.rate)} (95 % interval ${percent(o.nonCompliance.low)} to ${percent(o.nonCompliance.high)}, from ${o.nonCompliance.n} random controls)`
                : 'no random controls yet'}
            </dd>
            <dt>Revenue recovered by targeted controls</dt>
            <dd>{amounts(o.targeted.revenueRecovered)}</dd>
            <dt>Duty of the controlled declarations</dt>
            <dd>{amounts(acrossGroups(o, (g) => g.controlledDuty))}</dd>
          </dl>

          <h2>Targeted against random, per {report.period}</h2>
          {report.periods.length > 0 ? (
            <HitRateChart periods={report.periods} />
          ) : (
            <p>Nothing was assessed in this window.</p>
          )}
          <PeriodTable report={report} />

          <h2>Duty and revenue of the controls, per {report.period}</h2>
          <RevenueTable report={report} />

          <h2>Hit rate of each profile</h2>
          <ProfileChart profiles={report.profiles} />
          <ProfileTable report={report} />
        </>
      )}
    </section>
  );
}

function PeriodTable({ report }: { report: Report }) {
  return (
    <table>
      <caption className="visually-hidden">Hit rates per {report.period}</caption>
      <thead>
        <tr>
          <th scope="col">Period from</th>
          <th scope="col" className="number">
            Assessed
          </th>
          <th scope="col" className="number">
            Targeted hits
          </th>
          <th scope="col" className="number">
            Targeted rate
          </th>
          <th scope="col" className="number">
            Random hits
          </th>
          <th scope="col" className="number">
            Random rate
          </th>
          <th scope="col" className="number">
            Lift
          </th>
          <th scope="col" className="number">
            Mean score
          </th>
          <th scope="col" className="number">
            Score drift (PSI)
          </th>
        </tr>
      </thead>
      <tbody>
        {report.periods.map((p) => (
          <tr key={p.period}>
            <th scope="row">{p.period}</th>
            <td className="number">{p.drift.n}</td>
            <td className="number">{hits(p.targeted)}</td>
            <td className="number">{percent(p.targeted.hitRate)}</td>
            <td className="number">{hits(p.random)}</td>
            <td className="number">{percent(p.random.hitRate)}</td>
            <td className="number">{liftText(p.lift)}</td>
            <td className="number">{p.drift.mean.toFixed(3)}</td>
            <td className="number">{p.drift.psiVsBaseline?.toFixed(3) ?? '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Per period, the duty the controlled declarations owe and what their controls recovered, per currency. */
function RevenueTable({ report }: { report: Report }) {
  if (report.periods.length === 0) return null;
  return (
    <table>
      <caption className="visually-hidden">Duty and revenue of the controls per {report.period}</caption>
      <thead>
        <tr>
          <th scope="col">Period from</th>
          <th scope="col" className="number">
            Controlled
          </th>
          <th scope="col" className="number">
            Duty of the controlled declarations
          </th>
          <th scope="col" className="number">
            Revenue recovered by controls
          </th>
        </tr>
      </thead>
      <tbody>
        {report.periods.map((p) => (
          <tr key={p.period}>
            <th scope="row">{p.period}</th>
            <td className="number">{p.targeted.controlled + p.random.controlled + p.other.controlled}</td>
            <td className="number">{amounts(acrossGroups(p, (g) => g.controlledDuty))}</td>
            <td className="number">{amounts(acrossGroups(p, (g) => g.revenueRecovered))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ProfileTable({ report }: { report: Report }) {
  if (report.profiles.length === 0) return <p>No profile selected a declaration in this window.</p>;
  return (
    <table>
      <caption className="visually-hidden">Hit rate of each profile</caption>
      <thead>
        <tr>
          <th scope="col">Profile</th>
          <th scope="col" className="number">
            Version
          </th>
          <th scope="col">Status</th>
          <th scope="col" className="number">
            Selected
          </th>
          <th scope="col" className="number">
            Controlled
          </th>
          <th scope="col" className="number">
            Non-compliant
          </th>
          <th scope="col" className="number">
            Hit rate
          </th>
        </tr>
      </thead>
      <tbody>
        {report.profiles.map((p) => (
          <tr key={p.id}>
            <th scope="row">{p.code}</th>
            <td className="number">{p.version}</td>
            <td>
              <span className={`status ${p.status}`}>{p.status}</span>
            </td>
            <td className="number">{p.selections}</td>
            <td className="number">{p.controls}</td>
            <td className="number">{p.positives}</td>
            <td className="number">{percent(p.precision)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
