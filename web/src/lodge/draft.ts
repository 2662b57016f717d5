/**
 * The Lodge form's draft and the declaration the API takes: the fields the form shows as text, and
 * the fields of a stored declaration it does not show, kept as they were so that an amendment
 * (which replaces the whole content) carries them through unchanged.
 */
import { header, itemFields, type Field } from './fields.ts';

export type Values = Record<string, string>;
/** What the form does not show of a stored declaration or item, as the API gave it. */
export type Kept = Record<string, unknown>;

export interface ItemDraft {
  values: Values;
  kept: Kept;
}

export interface Finding {
  path: string;
  code: string;
  message: string;
  severity: 'error' | 'warning';
}

/** The draft as the API takes it: empty fields left out, numbers as numbers where they parse. */
export function draftOf(
  head: Values,
  kept: Kept,
  items: ItemDraft[],
): { body: Record<string, unknown>; local: Finding[] } {
  const local: Finding[] = [];
  const convert = (fields: Field[], values: Values, prefix: string) => {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const raw = (values[f.key] ?? '').trim();
      if (raw === '') continue;
      if (f.kind === 'number') {
        const n = Number(raw.replace(/,/g, ''));
        if (Number.isFinite(n)) out[f.key] = n;
        else
          local.push({
            path: prefix + f.key,
            code: 'not_a_number',
            message: `${prefix}${f.key} must be a number`,
            severity: 'error',
          });
      } else out[f.key] = raw;
    }
    return out;
  };
  const body: Record<string, unknown> = { ...kept, ...convert(header, head, '') };
  body.items = items.map((it, i) => ({ ...it.kept, ...convert(itemFields, it.values, `items[${i}].`) }));
  return { body, local };
}

/** A stored declaration as the form shows it (catalog paths name the fields the API takes). */
export function fromStored(
  stored: Record<string, unknown> & { items: Record<string, unknown>[] },
  catalogPaths: readonly string[],
): { head: Values; kept: Kept; items: ItemDraft[] } {
  const headerKeys = catalogPaths.filter((p) => !p.includes('[') && p !== 'items');
  const itemKeys = catalogPaths.filter((p) => p.startsWith('items[].')).map((p) => p.slice(8));
  const split = (fields: Field[], keys: string[], o: Record<string, unknown>) => {
    const values: Values = {};
    const kept: Kept = {};
    for (const key of keys) {
      if (o[key] == null) continue;
      if (fields.some((f) => f.key === key)) values[key] = String(o[key]);
      else kept[key] = o[key];
    }
    return { values, kept };
  };
  const head = split(header, headerKeys, stored);
  return {
    head: head.values,
    kept: head.kept,
    items: stored.items.map((it) => split(itemFields, itemKeys, it)),
  };
}

/**
 * The findings a refused request names: a 422's `details.findings`, or the fields a 400 names in
 * `details` (`[{ path, message }]`); none when it names no field.
 */
export function refusedFindings(details: unknown): Finding[] {
  const listed = Array.isArray(details) ? details : (details as { findings?: unknown } | undefined)?.findings;
  if (!Array.isArray(listed)) return [];
  return listed.flatMap((d: unknown) => {
    const f = d as Partial<Finding>;
    if (typeof f.path !== 'string' || typeof f.message !== 'string') return [];
    return [
      {
        path: f.path,
        code: f.code ?? 'invalid',
        message: f.message.startsWith(`${f.path} `) ? f.message : `${f.path} ${f.message}`,
        severity: f.severity === 'warning' ? 'warning' : 'error',
      },
    ];
  });
}

/**
 * The items after one was added or removed: numbered by their position again, so that a kept
 * sequence number cannot clash with a new item's.
 */
export const renumbered = (items: ItemDraft[]): ItemDraft[] =>
  items.map(({ values, kept }) => ({
    values,
    kept: Object.fromEntries(Object.entries(kept).filter(([key]) => key !== 'sequence')),
  }));
