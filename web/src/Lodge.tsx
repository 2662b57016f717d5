import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, RequestFailed } from './api.ts';
import { CodePicker } from './CodePicker.tsx';
import { CodeSuggestions } from './lodge/CodeSuggestions.tsx';
import { localDay } from './codeText.ts';
import { say } from './fields.ts';
import {
  draftOf,
  fromStored,
  refusedFindings,
  renumbered,
  type Finding,
  type ItemDraft,
  type Kept,
} from './lodge/draft.ts';
import { header, itemFields, type Field } from './lodge/fields.ts';
import type { PageProps } from './pages.ts';
import { useUnsaved } from './useUnsaved.ts';

/** An idempotency key, so a lodging retried after a lost answer is not lodged twice. */
const newKey = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

interface CatalogEntry {
  path: string;
  definition: string;
  required: boolean;
}

/**
 * A trader or declarant lodges a declaration. The draft is checked by the API as it is typed
 * (the same validation as lodging), and each finding is shown at its field once the field was
 * touched, or everywhere after a first attempt to lodge. An amendment starts from the stored
 * declaration and keeps what the form does not show (items' sequence numbers) as it was.
 */
export default function Lodge({ user, open }: PageProps) {
  // ?amend=ID: the form starts from that declaration and replaces its content
  const amending = Number(new URLSearchParams(window.location.search).get('amend')) || null;
  const [version, setVersion] = useState<number | null>(null);
  const [head, setHead] = useState<Record<string, string>>(() => ({
    type: 'IM',
    date: localDay(), // the person's day, not the UTC one
    currency: 'USD',
    ...(user.role === 'trader' && user.partyId ? { trader: user.partyId, declarant: user.partyId } : {}),
    ...(user.role === 'declarant' && user.partyId ? { declarant: user.partyId } : {}),
  }));
  const [kept, setKept] = useState<Kept>({});
  const [items, setItems] = useState<ItemDraft[]>([{ values: {}, kept: {} }]);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [help, setHelp] = useState<Map<string, CatalogEntry>>(new Map());
  const key = useRef(newKey());
  const checking = useRef(0);
  // findings answer the check they came from; a field edited since waits for the next answer
  const [answered, setAnswered] = useState(0);
  const editedIn = useRef(new Map<string, number>());
  // typed and not yet lodged: leaving asks first (while lodging, the declaration is on its way)
  useUnsaved(editedIn.current.size > 0 && !busy);

  useEffect(() => {
    if (amending === null) return;
    // the catalog names every field the API takes: those the form does not show are kept as they are
    Promise.all([
      api<Record<string, unknown> & { version: number; items: Record<string, unknown>[] }>(
        'GET',
        `/api/declarations/${amending}`,
      ),
      api<{ fields: CatalogEntry[] }>('GET', '/api/catalog'),
    ]).then(
      ([d, catalog]) => {
        const stored = fromStored(
          d,
          catalog.fields.map((f) => f.path),
        );
        setHead(stored.head);
        setKept(stored.kept);
        setItems(stored.items);
        setVersion(d.version);
      },
      (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)),
    );
  }, [amending]);

  useEffect(() => {
    api<{ fields: CatalogEntry[] }>('GET', '/api/catalog').then(
      (c) => setHelp(new Map(c.fields.map((f) => [f.path, f]))),
      () => setHelp(new Map()),
    );
  }, []);

  // check the draft a moment after typing stops; only the latest answer counts
  useEffect(() => {
    const timer = setTimeout(() => {
      const { body, local } = draftOf(head, kept, items);
      const mine = ++checking.current;
      api<{ findings: Finding[] }>('POST', '/api/declarations/validate', body).then(
        (r) => {
          if (mine !== checking.current) return;
          setFindings([...local, ...r.findings]);
          setAnswered(mine);
          setProblem(null);
        },
        (e: unknown) => {
          if (mine !== checking.current) return;
          // the last answer's findings no longer hold: show what this refusal names, if anything
          const named = e instanceof RequestFailed ? refusedFindings(e.problem.details) : [];
          setFindings([...local, ...named]);
          setAnswered(mine);
          if (named.length === 0) setProblem(e instanceof Error ? e.message : String(e));
        },
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [head, kept, items]);

  const shown = (path: string) =>
    (tried || touched.has(path)) && (editedIn.current.get(path) ?? 0) <= answered;
  const edited = (path: string) => editedIn.current.set(path, checking.current + 1);
  const at = (path: string) => findings.filter((f) => f.path === path && shown(path));
  const elsewhere = findings.filter(
    (f) =>
      tried &&
      !header.some((h) => h.key === f.path) &&
      !itemFields.some((it) => new RegExp(`^items\\[\\d+\\]\\.${it.key}$`).test(f.path)),
  );
  const errors = findings.filter((f) => f.severity === 'error').length;

  // after an attempt to lodge that found errors, the first field to correct has the focus
  const [focusFirst, setFocusFirst] = useState(0);
  useEffect(() => {
    if (focusFirst > 0) document.querySelector<HTMLElement>('form [aria-invalid="true"]')?.focus();
  }, [focusFirst]);

  async function lodge(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    setProblem(null);
    const { body, local } = draftOf(head, kept, items);
    setBusy(true);
    try {
      // the draft as it is now, not as it was at the last check while typing
      const mine = ++checking.current;
      let found: Finding[];
      try {
        found = [
          ...local,
          ...(await api<{ findings: Finding[] }>('POST', '/api/declarations/validate', body)).findings,
        ];
      } catch (err) {
        if (!(err instanceof RequestFailed)) throw err;
        found = [...local, ...refusedFindings(err.problem.details)];
        if (found.length === 0) throw err;
      }
      if (mine === checking.current) {
        setFindings(found);
        setAnswered(mine);
      }
      if (found.some((f) => f.severity === 'error')) {
        setFocusFirst((n) => n + 1);
        return;
      }
      const res = await fetch(amending ? `/api/declarations/${amending}/amend` : '/api/declarations', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'idempotency-key': key.current },
        body: JSON.stringify(amending ? { version, declaration: body } : body),
      });
      const json = (await res.json()) as { id?: number; message?: string; details?: unknown };
      if (res.ok && json.id) return open(json.id);
      const named = refusedFindings(json.details);
      if (named.length) setFindings(named);
      setProblem(json.message ?? `the declaration was not lodged (${res.status})`);
      key.current = newKey();
    } catch (err) {
      setProblem(err instanceof RequestFailed || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const input = (f: Field, path: string, value: string, set: (v: string) => void, helpPath: string) => {
    const mine = at(path);
    const id = `f-${path.replace(/[^\w]/g, '-')}`;
    const describedBy = [mine.length ? `${id}-findings` : '', help.get(helpPath) ? `${id}-help` : '']
      .filter(Boolean)
      .join(' ');
    const common = {
      id,
      value,
      'aria-invalid': mine.some((m) => m.severity === 'error') || undefined,
      'aria-required': help.get(helpPath)?.required || undefined,
      'aria-describedby': describedBy || undefined,
      onBlur: () => setTouched((t) => new Set(t).add(path)),
    };
    return (
      <div className={`field ${f.width ?? ''}`} key={path}>
        <label htmlFor={id}>
          {f.label}
          {help.get(helpPath)?.required && <span aria-hidden="true"> *</span>}
        </label>
        {f.list ? (
          <CodePicker {...common} list={f.list} date={head.date ?? ''} onChange={set} />
        ) : f.kind === 'select' ? (
          <select {...common} onChange={(e) => set(e.target.value)}>
            {f.options?.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        ) : (
          <input
            {...common}
            type={f.kind === 'date' ? 'date' : 'text'}
            inputMode={f.kind === 'number' ? 'decimal' : undefined}
            onChange={(e) => set(e.target.value)}
          />
        )}
        {help.get(helpPath) && (
          <span id={`${id}-help`} className="visually-hidden">
            {help.get(helpPath)?.definition}
          </span>
        )}
        {mine.length > 0 && (
          <ul id={`${id}-findings`} className="findings">
            {mine.map((m, k) => (
              <li key={k} className={m.severity}>
                {say(m)}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  };

  return (
    <section aria-labelledby="lodge-title" className="lodge">
      <h1 id="lodge-title">{amending ? `Amend declaration ${amending}` : 'Lodge a declaration'}</h1>
      <form onSubmit={lodge} noValidate>
        <fieldset>
          <legend>Declaration</legend>
          <div className="grid">
            {header.map((f) =>
              input(
                f,
                f.key,
                head[f.key] ?? '',
                (v) => {
                  edited(f.key);
                  setHead((h) => ({ ...h, [f.key]: v }));
                },
                f.key,
              ),
            )}
          </div>
        </fieldset>
        {items.map((it, i) => (
          <fieldset key={i}>
            <legend>Item {i + 1}</legend>
            <div className="grid">
              {itemFields.map((f) =>
                input(
                  f,
                  `items[${i}].${f.key}`,
                  it.values[f.key] ?? '',
                  (v) => {
                    edited(`items[${i}].${f.key}`);
                    setItems((all) =>
                      all.map((x, k) => (k === i ? { ...x, values: { ...x.values, [f.key]: v } } : x)),
                    );
                  },
                  `items[].${f.key}`,
                ),
              )}
            </div>
            <CodeSuggestions
              item={i + 1}
              description={it.values.description ?? ''}
              date={head.date ?? ''}
              origin={it.values.originCountry || head.originCountry || ''}
              declared={it.values.hsCode ?? ''}
              onPick={(hs6) => {
                edited(`items[${i}].hsCode`);
                setItems((all) =>
                  all.map((x, k) => (k === i ? { ...x, values: { ...x.values, hsCode: hs6 } } : x)),
                );
              }}
            />
            {items.length > 1 && (
              <button
                type="button"
                onClick={() => setItems((all) => renumbered(all.filter((_, k) => k !== i)))}
              >
                Remove item {i + 1}
              </button>
            )}
          </fieldset>
        ))}
        <button
          type="button"
          onClick={() => setItems((all) => [...renumbered(all), { values: {}, kept: {} }])}
        >
          Add an item
        </button>
        {elsewhere.length > 0 && (
          <ul className="findings" aria-label="Other findings">
            {elsewhere.map((f, k) => (
              <li key={k} className={f.severity}>
                {say(f)}
              </li>
            ))}
          </ul>
        )}
        <p aria-live="polite" className="summary">
          {errors === 0
            ? 'No errors found so far.'
            : `${errors} ${errors === 1 ? 'error' : 'errors'} to correct.`}
        </p>
        {problem && <p role="alert">{problem}</p>}
        <button type="submit" disabled={busy || (amending !== null && version === null)}>
          {amending ? 'Amend' : 'Lodge'}
        </button>
      </form>
    </section>
  );
}
