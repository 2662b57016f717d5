/** The Incoterms codes of the WCO code list (data/reference/wco/codelists/incoterm-codes.json). */
import { readFileSync } from 'node:fs';
import type { CodeItem } from './code-search.ts';

const file = new URL('../../data/reference/wco/codelists/incoterm-codes.json', import.meta.url);

function load(): readonly CodeItem[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${file.pathname} is not a list of codes`);
  const items: CodeItem[] = [];
  for (const entry of parsed as unknown[]) {
    const { value, display } = (typeof entry === 'object' && entry !== null ? entry : {}) as {
      value?: unknown;
      display?: unknown;
    };
    if (typeof value === 'string')
      items.push({ code: value, description: typeof display === 'string' ? display : value });
  }
  return items;
}

/** Each Incoterm with its name ("CIF", "Cost, insurance and freight"), as the pickers list them. */
export const incotermList = load();
const incoterms: ReadonlySet<string> = new Set(incotermList.map((i) => i.code));

export const isIncoterm = (code: string): boolean => incoterms.has(code);
