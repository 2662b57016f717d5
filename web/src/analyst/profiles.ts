/**
 * Rule profiles as the API serves them, the words the pages use for their operators and statuses,
 * and the conversion between a condition and the text of its form row.
 */

export interface Condition {
  field: string;
  op: string;
  value: unknown;
}

export interface Definition {
  code: string;
  name: string;
  lane: string;
  weight: number;
  reason: string;
  validFrom: string;
  validTo?: string;
  conditions: Condition[];
}

export interface Profile {
  id: number;
  code: string;
  version: number;
  definition: Definition;
  status: string;
  createdBy: string;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  stats: { selections: number; controls: number; positives: number; hitRate: number | null };
  allowed: string[];
}

/** A field a condition may test, with the operators its kind accepts (GET /api/risk/profiles/fields). */
export interface FieldSpec {
  name: string;
  kind: 'text' | 'number' | 'boolean';
  scope: 'header' | 'item';
  operators: string[];
}

export const operatorLabels: Record<string, string> = {
  eq: 'equals',
  ne: 'differs from',
  in: 'is one of',
  notIn: 'is none of',
  prefix: 'starts with one of',
  contains: 'contains',
  gt: 'above',
  gte: 'at least',
  lt: 'below',
  lte: 'at most',
  between: 'between',
};

/** Operators whose value is a list, typed as text separated by commas. */
const listOperators = ['in', 'notIn', 'prefix'];

export const statusLabels: Record<string, string> = {
  draft: 'draft',
  pending: 'awaiting approval',
  active: 'active',
  rejected: 'rejected',
  retired: 'retired',
};

/** A condition's value as a person reads it. */
export function showValue(c: Condition): string {
  if (c.op === 'between' && Array.isArray(c.value)) return `${c.value[0]} and ${c.value[1]}`;
  if (Array.isArray(c.value)) return c.value.join(', ');
  if (typeof c.value === 'boolean') return c.value ? 'yes' : 'no';
  return String(c.value);
}

/** A condition row of the form: the text of its inputs (`high` only for `between`). */
export interface ConditionRow {
  key: number;
  field: string;
  op: string;
  value: string;
  high: string;
}

let nextKey = 1;

export function toRow(c: Condition): ConditionRow {
  const row = { key: nextKey++, field: c.field, op: c.op, value: '', high: '' };
  if (c.op === 'between' && Array.isArray(c.value))
    return { ...row, value: String(c.value[0]), high: String(c.value[1]) };
  if (typeof c.value === 'boolean') return { ...row, value: String(c.value) };
  return { ...row, value: showValue(c) };
}

/** A new row: nothing chosen yet, so a row left as it is cannot pass for a condition. */
export const emptyRow = (): ConditionRow => ({ key: nextKey++, field: '', op: '', value: '', high: '' });

/**
 * What the rows leave out, in the words and at the places the server uses for the same refusal:
 * no condition at all, or a row without its field, its operator or the value its operator needs.
 */
export function emptyParts(rows: ConditionRow[]): { path: string; message: string }[] {
  if (rows.length === 0)
    return [{ path: 'conditions', message: 'add a condition: a profile needs 1 to 50 conditions' }];
  return rows.flatMap((r, i) => {
    const path = `conditions[${i}]`;
    const n = `condition ${i + 1}`;
    const found: { path: string; message: string }[] = [];
    if (r.field === '') found.push({ path: `${path}.field`, message: `${n}: choose a field` });
    else if (r.op === '') found.push({ path: `${path}.op`, message: `${n}: choose an operator` });
    const list = r.value.split(',').every((v) => v.trim() === '');
    if (r.op === 'between' && (r.value.trim() === '' || r.high.trim() === ''))
      found.push({ path: `${path}.value`, message: `${n}: enter both the minimum and the maximum` });
    else if (r.op !== 'between' && (takesList(r.op) ? list : r.value.trim() === ''))
      found.push({ path: `${path}.value`, message: `${n}: enter a value` });
    return found;
  });
}

/**
 * The condition a row describes. Text that is not a number stays text, so the server names the
 * problem next to the row instead of the page guessing.
 */
export function toCondition(row: ConditionRow, kind: FieldSpec['kind'] | undefined): Condition {
  const number = (text: string): number | string =>
    text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  const scalar = (text: string): unknown =>
    kind === 'number' ? number(text) : kind === 'boolean' ? text === 'true' : text.trim();
  if (listOperators.includes(row.op))
    return {
      field: row.field,
      op: row.op,
      value: row.value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    };
  if (row.op === 'between')
    return { field: row.field, op: row.op, value: [number(row.value), number(row.high)] };
  return { field: row.field, op: row.op, value: scalar(row.value) };
}

/** Whether an operator takes a list of values. */
export const takesList = (op: string) => listOperators.includes(op);
