import { useState } from 'react';
import { moment } from '../format.ts';
import { Link } from '../Link.tsx';
import type { PageProps } from '../pages.ts';
import { useFetched } from '../useFetched.ts';
import { PrepareForm } from './PrepareForm.tsx';
import { ReleaseCheck, statusText } from './ReleaseCheck.tsx';
import { period, type Release } from './types.ts';

/** The address of the page: the release open and the table whose pattern is shown. */
export function releasesAddress(open: number | null, table?: string | null): string {
  const q = new URLSearchParams();
  if (open !== null) q.set('open', String(open));
  if (table) q.set('table', table);
  const s = q.toString();
  return `/releases${s ? `?${s}` : ''}`;
}

/**
 * Releases of public trade statistics for risk analysts and supervisors: an analyst prepares one, a
 * supervisor other than the preparer checks its suppression pattern, approves or rejects it, then
 * publishes it. The release open and its table are the address.
 */
export default function Releases({ user, go }: PageProps) {
  const q = new URLSearchParams(window.location.search);
  const openId = /^\d{1,15}$/.test(q.get('open') ?? '') ? Number(q.get('open')) : null;
  const table = q.get('table');
  const [version, setVersion] = useState(0);
  const list = useFetched<{ releases: Release[] }>('/api/open-data/releases', version);
  const refresh = () => setVersion((v) => v + 1);

  return (
    <section aria-labelledby="releases-title">
      <h1 id="releases-title">Releases of trade statistics</h1>
      <p className="hint">
        Public tables of imports and exports with confidential cells suppressed. Published releases appear on
        the public <a href="/open-data">Open data</a> page.
      </p>
      {user.role === 'risk_analyst' && (
        <PrepareForm
          onPrepared={(r) => {
            refresh();
            go(releasesAddress(r.id));
          }}
        />
      )}
      <h2 id="list-title">Releases</h2>
      {list.problem && <p role="alert">{list.problem}</p>}
      {list.data &&
        (list.data.releases.length === 0 ? (
          <p>No release yet.</p>
        ) : (
          <table aria-labelledby="list-title" className="releases">
            <thead>
              <tr>
                <th scope="col">Release</th>
                <th scope="col">Version</th>
                <th scope="col">Period</th>
                <th scope="col">Status</th>
                <th scope="col">Prepared</th>
                <th scope="col">Suppressed</th>
              </tr>
            </thead>
            <tbody>
              {list.data.releases.map((r) => (
                <tr key={r.id} aria-current={r.id === openId ? 'true' : undefined}>
                  <td>
                    <Link href={releasesAddress(r.id)} follow={go}>
                      {r.name} v{r.version}
                    </Link>
                  </td>
                  <td>
                    {r.version}
                    {r.corrects !== null ? ` (corrects ${r.corrects})` : ''}
                  </td>
                  <td>
                    {period(r.periodFrom, r.periodTo)} {r.currency}
                  </td>
                  <td>
                    {statusText[r.status]}
                    {r.allowed.length > 0 ? ` · you may ${r.allowed.join(' or ')}` : ''}
                  </td>
                  <td>
                    {r.preparedBy}, {moment(r.preparedAt)}
                  </td>
                  <td>
                    {r.summary.primary} primary, {r.summary.secondary} secondary of {r.summary.cells}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {openId !== null && (
        <ReleaseCheck
          key={openId}
          id={openId}
          table={table}
          user={user}
          onTable={(name) => go(releasesAddress(openId, name), { replace: true })}
          onChanged={refresh}
          onOpen={(id) => go(releasesAddress(id))}
        />
      )}
    </section>
  );
}
