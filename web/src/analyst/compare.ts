/**
 * What a profile version changes against the version in force: each property side by side, and
 * the conditions paired (the same condition, the same field with another test, added, removed).
 */
import { operatorLabels, showValue, type Condition, type Definition } from './profiles.ts';

export type Change = 'unchanged' | 'changed' | 'added' | 'removed';

export interface ComparedLine {
  what: string;
  inForce: string;
  proposed: string;
  change: Change;
}

/** A condition as a person reads it: field, operator in words, value. */
export const conditionText = (c: Condition) => `${c.field} ${operatorLabels[c.op] ?? c.op} ${showValue(c)}`;

function line(what: string, inForce: string, proposed: string): ComparedLine {
  const change: Change =
    inForce === proposed ? 'unchanged' : inForce === '' ? 'added' : proposed === '' ? 'removed' : 'changed';
  return { what, inForce, proposed, change };
}

export function compareProperties(inForce: Definition, proposed: Definition): ComparedLine[] {
  return [
    line('Name', inForce.name, proposed.name),
    line('Lane', inForce.lane, proposed.lane),
    line('Weight', String(inForce.weight), String(proposed.weight)),
    line('Reason', inForce.reason, proposed.reason),
    line('Valid from', inForce.validFrom, proposed.validFrom),
    line('Valid to', inForce.validTo ?? '', proposed.validTo ?? ''),
  ];
}

export function compareConditions(inForce: Condition[], proposed: Condition[]): ComparedLine[] {
  const left = inForce.map((c) => ({ c, text: conditionText(c), used: false }));
  const right = proposed.map((c) => ({
    c,
    text: conditionText(c),
    pair: undefined as (typeof left)[number] | undefined,
  }));
  // pairs each proposed condition not yet paired with the first unused one in force that `matches`
  const pairUp = (matches: (l: (typeof left)[number], r: (typeof right)[number]) => boolean) => {
    for (const r of right) {
      if (r.pair) continue;
      const found = left.find((l) => !l.used && matches(l, r));
      if (found) [found.used, r.pair] = [true, found];
    }
  };
  // the same condition first, wherever it stands in either list; then one on the same field with
  // the same operator (its value changed); then one on the same field (its test changed)
  pairUp((l, r) => l.text === r.text);
  pairUp((l, r) => l.c.field === r.c.field && l.c.op === r.c.op);
  pairUp((l, r) => l.c.field === r.c.field);
  const lines = right.map((r) => line(`Condition on ${r.c.field}`, r.pair?.text ?? '', r.text));
  for (const l of left) if (!l.used) lines.push(line(`Condition on ${l.c.field}`, l.text, ''));
  return lines;
}
