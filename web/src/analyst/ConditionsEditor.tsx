import { useEffect, useId, useState } from 'react';
import { ProblemText, type Described, type PlacedProblems } from './problems.tsx';
import { emptyRow, operatorLabels, takesList, type ConditionRow, type FieldSpec } from './profiles.ts';

const groupOf = (name: string) =>
  name.startsWith('indicator.') ? 'Indicators' : name.startsWith('item.') ? 'Goods item' : 'Declaration';
const groups = ['Declaration', 'Goods item', 'Indicators'];

/**
 * The conditions of a profile as rows of field, operator and value, added and removed at will.
 * A row offers only the operators its field's kind accepts, and the value inputs its operator takes.
 */
export function ConditionsEditor({
  fields,
  rows,
  setRows,
  problems,
}: {
  fields: FieldSpec[];
  rows: ConditionRow[];
  setRows: (update: (old: ConditionRow[]) => ConditionRow[]) => void;
  problems: PlacedProblems;
}) {
  const id = useId();
  const [focusRow, setFocusRow] = useState<number | null>(null);
  const spec = (field: string) => fields.find((f) => f.name === field);

  // a row added from the keyboard takes the focus, so the next Tab goes on into it
  useEffect(() => {
    if (focusRow !== null) document.getElementById(`${id}-field-${focusRow}`)?.focus();
  }, [focusRow]);

  function change(key: number, update: Partial<ConditionRow>) {
    setRows((old) =>
      old.map((r) => {
        if (r.key !== key) return r;
        const next = { ...r, ...update };
        const field = spec(next.field);
        // a field of another kind may not know the operator or value the row had
        if (update.field !== undefined && field && !field.operators.includes(next.op))
          return { ...next, op: field.operators[0] ?? 'eq', value: field.kind === 'boolean' ? 'true' : '' };
        return next;
      }),
    );
  }

  const { at, atValue, described } = problems;
  const rowInvalid = (i: number) =>
    ['field', 'op'].some((part) => at(`conditions[${i}].${part}`).length > 0) || atValue(i).length > 0;
  return (
    <fieldset
      className="conditions"
      aria-describedby={at('conditions').length ? problems.id('conditions') : undefined}
    >
      <legend>Conditions (all must hold)</legend>
      <ProblemText id={problems.id('conditions')} messages={at('conditions')} />
      <table>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Field</th>
            <th scope="col">Operator</th>
            <th scope="col">Value</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const field = spec(r.field);
            const n = i + 1;
            const path = (part: string) => `conditions[${i}].${part}`;
            return (
              <tr key={r.key} className={rowInvalid(i) ? 'invalid' : undefined}>
                <td>{n}</td>
                <td>
                  <select
                    id={`${id}-field-${r.key}`}
                    aria-label={`Field of condition ${n}`}
                    value={r.field}
                    onChange={(e) => change(r.key, { field: e.target.value })}
                    {...described(path('field'))}
                  >
                    {r.field === '' && <option value="">choose a field…</option>}
                    {groups.map((g) => (
                      <optgroup key={g} label={g}>
                        {fields
                          .filter((f) => groupOf(f.name) === g)
                          .map((f) => (
                            <option key={f.name} value={f.name}>
                              {f.name}
                            </option>
                          ))}
                      </optgroup>
                    ))}
                  </select>
                  <ProblemText id={problems.id(path('field'))} messages={at(path('field'))} />
                </td>
                <td>
                  <select
                    aria-label={`Operator of condition ${n}`}
                    value={r.op}
                    onChange={(e) => change(r.key, { op: e.target.value })}
                    {...described(path('op'))}
                  >
                    {r.op === '' && <option value="">choose…</option>}
                    {(field?.operators ?? (r.op ? [r.op] : [])).map((op) => (
                      <option key={op} value={op}>
                        {operatorLabels[op] ?? op}
                      </option>
                    ))}
                  </select>
                  <ProblemText id={problems.id(path('op'))} messages={at(path('op'))} />
                </td>
                <td>
                  <ValueInputs
                    row={r}
                    n={n}
                    kind={field?.kind}
                    attrs={described(path('value'), atValue(i))}
                    onChange={(u) => change(r.key, u)}
                  />
                  <ProblemText id={problems.id(path('value'))} messages={atValue(i)} />
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={`Remove condition ${n}`}
                    disabled={rows.length === 1}
                    onClick={() => setRows((old) => old.filter((x) => x.key !== r.key))}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="hint">Lists (is one of, starts with one of …) take values separated by commas.</p>
      <button
        type="button"
        onClick={() => {
          const row = emptyRow();
          setRows((old) => [...old, row]);
          setFocusRow(row.key);
        }}
      >
        Add condition
      </button>
    </fieldset>
  );
}

/** The inputs of a condition's value: a list, a range, yes/no or one value, by operator and kind. */
function ValueInputs({
  row,
  n,
  kind,
  attrs,
  onChange,
}: {
  row: ConditionRow;
  n: number;
  kind: FieldSpec['kind'] | undefined;
  attrs: Described;
  onChange: (update: Partial<ConditionRow>) => void;
}) {
  if (kind === 'boolean')
    return (
      <select
        aria-label={`Value of condition ${n}`}
        value={row.value}
        onChange={(e) => onChange({ value: e.target.value })}
        {...attrs}
      >
        <option value="true">yes</option>
        <option value="false">no</option>
      </select>
    );
  if (row.op === 'between')
    return (
      <span className="range">
        <input
          aria-label={`Minimum of condition ${n}`}
          inputMode="decimal"
          value={row.value}
          onChange={(e) => onChange({ value: e.target.value })}
          {...attrs}
        />
        <span aria-hidden="true">–</span>
        <input
          aria-label={`Maximum of condition ${n}`}
          inputMode="decimal"
          value={row.high}
          onChange={(e) => onChange({ high: e.target.value })}
          {...attrs}
        />
      </span>
    );
  return (
    <input
      aria-label={`Value of condition ${n}`}
      inputMode={kind === 'number' ? 'decimal' : undefined}
      placeholder={takesList(row.op) ? 'e.g. 61, 62' : undefined}
      value={row.value}
      onChange={(e) => onChange({ value: e.target.value })}
      {...attrs}
    />
  );
}
