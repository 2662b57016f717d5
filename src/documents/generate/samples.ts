/** Demo import declarations to make invoices from: those naming a seller, in the demo's order. */
import type { DeclarationInput } from '../../declarations/model.ts';
import { generateDeclarations, seededDemoOptions } from '../../demo/generate.ts';

export function sampleDeclarations(count: number): DeclarationInput[] {
  const found: DeclarationInput[] = [];
  for (const { input } of generateDeclarations(seededDemoOptions(Math.max(50, count * 6), '2026-11-30'))) {
    if (input.seller === undefined) continue;
    found.push(input);
    if (found.length === count) break;
  }
  return found;
}
