import { lazy, Suspense, useMemo, useState } from 'react';
import { day, moment } from '../format.ts';
import type { Go } from '../pages.ts';
import { useFetched } from '../useFetched.ts';
import { chapterRows } from './chapters.ts';
import {
  period,
  tableTitle,
  type PublicRelease,
  type PublicReleaseDetail,
  type PublicTable,
} from './types.ts';

// the chart library loads only when a table is drawn
const TopChart = lazy(() => import('./TopChart.tsx').then((m) => ({ default: m.TopChart })));

const bytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`;

/**
 * The public Open data page, read without signing in: every published release of trade statistics
 * with its files, their checksums and the signature's key, and a chosen table drawn as a chart of
 * its largest HS chapters, confidential cells said so, never drawn as zero.
 */
export default function OpenData(_: { go: Go }) {
  const list = useFetched<{ releases: PublicRelease[] }>('/open/releases');
  return (
    <section aria-labelledby="open-title" className="open-data">
      <h1 id="open-title">Open data: trade statistics</h1>
      <p className="hint">
        Imports and exports by HS code and partner country, published by the customs administration from
        accepted declarations. Confidential cells (too few traders, or dominated by one or two) carry no value
        and are flagged C. Every file is listed with its SHA-256 in a manifest signed by the administration's
        key; a correction is published as a new version.
      </p>
      {list.problem && <p role="alert">{list.problem}</p>}
      {list.data &&
        (list.data.releases.length === 0 ? (
          <p>No release is published yet.</p>
        ) : (
          list.data.releases.map((r) => <ReleaseCard key={`${r.name}/${r.version}`} release={r} />)
        ))}
    </section>
  );
}

function ReleaseCard({ release }: { release: PublicRelease }) {
  const detail = useFetched<PublicReleaseDetail>(release.url);
  const [chosen, setChosen] = useState<string | null>(null);
  const d = detail.data;
  const tables = d ? d.files.filter((f) => f.name.endsWith('.json') && f.name !== 'datapackage.json') : [];
  const id = `release-${release.name}-${release.version}`;
  const methodology = d?.files.find((f) => f.name === 'methodology.md');
  const datapackage = d?.files.find((f) => f.name === 'datapackage.json');
  return (
    <article aria-labelledby={id} className="panel release-card">
      <h2 id={id}>
        {release.name}, version {release.version}
      </h2>
      <dl className="facts">
        <dt>Period</dt>
        <dd>
          {period(release.periodFrom, release.periodTo)}, values in {release.currency}
        </dd>
        <dt>Published</dt>
        <dd>
          <time dateTime={release.publishedAt} title={moment(release.publishedAt)}>
            {day(release.publishedAt)}
          </time>
        </dd>
        {release.corrects !== null && (
          <>
            <dt>Corrects</dt>
            <dd>
              version {release.corrects}: {release.correctionNote}
            </dd>
          </>
        )}
        <dt>Confidentiality</dt>
        <dd>
          at least {release.parameters.minTraders} traders per cell; dominance{' '}
          {release.parameters.dominance.map((r) => `(${r.n}, ${r.k}%)`).join(', ') || 'none'}; protection{' '}
          {release.parameters.protectionPercent}%
        </dd>
        {d && (
          <>
            <dt>Signature</dt>
            <dd>
              {d.signature.algorithm}, key <code>{d.signature.keyId}</code>
            </dd>
          </>
        )}
      </dl>
      {detail.problem && <p role="alert">{detail.problem}</p>}
      {d && (
        <>
          <p>
            {datapackage && <a href={datapackage.url}>Data package (datapackage.json)</a>}
            {methodology && (
              <>
                {' · '}
                <a href={methodology.url}>Methodology note</a>
              </>
            )}
          </p>
          <details>
            <summary>Every file with its SHA-256 ({d.files.length})</summary>
            <div className="scroll">
              <table className="files">
                <caption className="visually-hidden">
                  Files of {release.name} version {release.version}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">Type</th>
                    <th scope="col" className="number">
                      Size
                    </th>
                    <th scope="col">SHA-256</th>
                  </tr>
                </thead>
                <tbody>
                  {d.files.map((f) => (
                    <tr key={f.name}>
                      <td>
                        <a href={f.url}>{f.name}</a>
                      </td>
                      <td>{f.mediaType}</td>
                      <td className="number">{bytes(f.bytes)}</td>
                      <td>
                        <code className="digest">{f.sha256}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
          <h3 id={`${id}-tables`}>Tables</h3>
          <table aria-labelledby={`${id}-tables`}>
            <thead>
              <tr>
                <th scope="col">Table</th>
                <th scope="col">Download</th>
                <th scope="col">Chart</th>
              </tr>
            </thead>
            <tbody>
              {tables.map((f) => {
                const name = f.name.replace(/\.json$/, '');
                const title = tableTitle(name);
                const link = (ext: string, label: string) => (
                  <a href={f.url.replace(/\.json$/, ext)} aria-label={`${title} as ${label}`}>
                    {label}
                  </a>
                );
                return (
                  <tr key={name}>
                    <td>{title}</td>
                    <td>
                      {link('.csv', 'CSV')} · {link('.json', 'JSON')} · {link('.sdmx.csv', 'SDMX-CSV')}
                    </td>
                    <td>
                      <button
                        aria-pressed={chosen === f.url}
                        aria-label={`Chart of ${title}`}
                        onClick={() => setChosen(chosen === f.url ? null : f.url)}
                      >
                        {chosen === f.url ? 'Hide chart' : 'Chart'}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {chosen && <TableView url={chosen} />}
        </>
      )}
    </article>
  );
}

/** A published table's largest chapters by value across all partners: the chart and its figures beside it. */
function TableView({ url }: { url: string }) {
  const table = useFetched<PublicTable>(url);
  const rows = useMemo(() => (table.data ? chapterRows(table.data.cells) : []), [table.data]);
  if (table.problem) return <p role="alert">{table.problem}</p>;
  if (!table.data) return <p>Loading the table…</p>;
  const t = table.data;
  const title = `${tableTitle(t.table)}: the largest HS chapters by value, ${t.currency}`;
  const hidden = rows.filter((r) => r.value === null).length;
  return (
    <figure className="open-chart" aria-labelledby="open-chart-title">
      <figcaption id="open-chart-title">
        <strong>{title}</strong>
        {hidden > 0 && (
          <span className="hint">
            {' '}
            {hidden} chapter{hidden === 1 ? ' is' : 's are'} confidential: no bar is drawn for{' '}
            {hidden === 1 ? 'it' : 'them'}, and {hidden === 1 ? 'its' : 'their'} value is not zero.
          </span>
        )}
      </figcaption>
      <div className="chart-and-table">
        <Suspense fallback={<p>Loading the chart…</p>}>
          <TopChart
            rows={rows}
            currency={t.currency}
            label={`Bar chart: ${title}. The figures are in the table beside it.`}
          />
        </Suspense>
        <table className="chart-data">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">HS chapter</th>
              <th scope="col" className="number">
                Value ({t.currency})
              </th>
              <th scope="col" className="number">
                Declarations
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.chapter}>
                <th scope="row">{r.chapter}</th>
                <td className="number">{r.value === null ? <em>confidential</em> : r.valueText}</td>
                <td className="number">{r.declarations === null ? <em>confidential</em> : r.declarations}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
