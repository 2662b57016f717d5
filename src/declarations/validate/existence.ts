/** Layer 1, existence: the data elements every declaration must carry are present. */
import type { DeclarationDraft, Report } from './context.ts';
import { itemPath } from './context.ts';

const headerRequired = [
  'type',
  'functionalReference',
  'date',
  'office',
  'declarant',
  'trader',
  'currency',
] as const;
const itemRequired = ['hsCode', 'value'] as const;

function missing(report: Report, alreadyReported: ReadonlySet<string>, path: string, value: unknown) {
  if ((value === undefined || value === null || value === '') && !alreadyReported.has(path)) {
    report(path, 'required', `${path} is required`);
  }
}

export function checkExistence(
  d: DeclarationDraft,
  report: Report,
  alreadyReported: ReadonlySet<string>,
): void {
  for (const field of headerRequired) missing(report, alreadyReported, field, d[field]);
  if (!d.items || d.items.length === 0) {
    if (!alreadyReported.has('items'))
      report('items', 'required', 'a declaration needs at least one goods item');
    return;
  }
  d.items.forEach((item, i) => {
    for (const field of itemRequired) {
      if (item[field] === undefined || item[field] === '')
        missing(report, alreadyReported, itemPath(i, field), item[field]);
    }
  });
}
