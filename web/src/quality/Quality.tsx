import { useEffect, useMemo, useState } from 'react';
import type { PageProps } from '../pages.ts';
import { Detail } from './Detail.tsx';
import { FieldDetail } from './FieldDetail.tsx';
import { search } from './format.ts';
import { Scorecard } from './Scorecard.tsx';
import { ScoreTable } from './ScoreTable.tsx';
import type { Opened, QualityScores, ScoreWindow } from './types.ts';
import { useFetched } from '../useFetched.ts';
import { WindowForm } from './WindowForm.tsx';

interface Query extends ScoreWindow {
  by: 'field' | 'trader';
  limit: string;
}

/** Who sees every trader, and so may list scores by trader. */
const officials = ['officer', 'supervisor', 'risk_analyst', 'auditor'];
const limits = ['10', '20', '50', '100'];

/**
 * Data quality: how sound the data of the declarations is, per field or per trader, lowest first,
 * with the trend of each. A field opens its scores per period (and, for officials, the traders
 * lowest on it); a trader opens its scorecard. A trader sees its own scorecard at once; declarants
 * see the fields of the traders they represent. The server scopes every answer.
 */
export default function Quality({ user }: PageProps) {
  const official = officials.includes(user.role);
  const trader = user.role === 'trader' ? user.partyId : null;
  const [form, setForm] = useState<Query>({ from: '', to: '', period: 'month', by: 'field', limit: '20' });
  const [query, setQuery] = useState(form);
  const [opened, setOpened] = useState<Opened | null>(null);
  const catalog = useFetched<{ fields: { path: string; name: string }[] }>('/api/catalog');
  const names = useMemo(
    () => new Map(catalog.data?.fields.map((f) => [f.path, f.name]) ?? []),
    [catalog.data],
  );
  const by = official ? query.by : 'field';
  const list = useFetched<QualityScores>(
    user.role === 'trader' ? null : `/api/quality/scores?${search(query, { by })}`,
  );

  const change = (patch: Partial<Query>, now: boolean) => {
    setForm((f) => ({ ...f, ...patch }));
    if (now) setQuery((q) => ({ ...q, ...patch }));
  };
  // show the window the server chose when the dates were left empty
  const chosen = (from: string, to: string) =>
    setForm((f) => ({ ...f, from: f.from || from, to: f.to || to }));
  useEffect(() => {
    if (list.data) chosen(list.data.from, list.data.to);
  }, [list.data]);
  const within: ScoreWindow = { from: query.from, to: query.to, period: query.period };
  const close = () => setOpened(null);

  return (
    <section aria-labelledby="quality-title">
      <h1 id="quality-title">Data quality</h1>
      <p className="hint">
        Completeness: required data present; validity: well formed and in its code list; consistency: agreeing
        with the rest and plausible. Warnings count as defects. A field scores the share of declarations in
        which it was sound; a trader, the share of its declarations&rsquo; fields that were.
      </p>
      <WindowForm form={form} onChange={change} onShow={() => setQuery(form)}>
        {official && (
          <label>
            Scores by
            <select
              value={form.by}
              onChange={(e) => change({ by: e.target.value === 'trader' ? 'trader' : 'field' }, true)}
            >
              <option value="field">field</option>
              <option value="trader">trader</option>
            </select>
          </label>
        )}
        {user.role !== 'trader' && (
          <label>
            Rows
            <select value={form.limit} onChange={(e) => change({ limit: e.target.value }, true)}>
              {limits.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        )}
      </WindowForm>
      <div className={opened ? 'split' : undefined}>
        <div>
          {user.role === 'trader' ? (
            <>
              <h2>Scorecard of {trader ?? 'your company'}</h2>
              {trader ? (
                <Scorecard
                  trader={trader}
                  within={within}
                  names={names}
                  openField={opened?.key}
                  onField={(key) => setOpened({ kind: 'field', key })}
                  onWindow={chosen}
                />
              ) : (
                <p role="alert">Your account names no trader to score.</p>
              )}
            </>
          ) : (
            <>
              <h2>Lowest-scoring {by === 'field' ? 'fields' : 'traders'}</h2>
              {list.problem && <p role="alert">{list.problem}</p>}
              {list.data &&
                (list.data.items.every((i) => i.checked === 0) ? (
                  <p>No declarations were validated in this window.</p>
                ) : (
                  <ScoreTable
                    caption={`Lowest-scoring ${by === 'field' ? 'fields' : 'traders'}`}
                    by={by}
                    rows={list.data.items}
                    names={names}
                    openKey={opened?.kind === by ? opened.key : undefined}
                    onOpen={(key) => setOpened({ kind: by, key })}
                  />
                ))}
            </>
          )}
        </div>
        {opened?.kind === 'field' && (
          <FieldDetail
            key={opened.key}
            path={opened.key}
            within={within}
            onTrader={official ? (key) => setOpened({ kind: 'trader', key }) : undefined}
            onClose={close}
          />
        )}
        {opened?.kind === 'trader' && (
          <Detail key={opened.key} title={`Scorecard of ${opened.key}`} onClose={close}>
            <Scorecard trader={opened.key} within={within} names={names} />
          </Detail>
        )}
      </div>
    </section>
  );
}
