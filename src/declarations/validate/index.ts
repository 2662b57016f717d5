/**
 * Validation in layers, as customs systems do: existence, format, reference, consistency,
 * plausibility. Every finding is listed; errors reject, warnings stay with the accepted declaration.
 */
import { err, ok, type Result } from '../../shared/result.ts';
import type { DeclarationInput, Finding } from '../model.ts';
import { Reporter, type DeclarationDraft, type ValidationContext } from './context.ts';
import { checkConsistency } from './consistency.ts';
import { checkExistence } from './existence.ts';
import { checkFormat } from './format.ts';
import { checkPlausibility } from './plausibility.ts';
import { checkReference } from './reference.ts';

export type { DeclarationDraft, ValidationContext } from './context.ts';

export interface Validated {
  declaration: DeclarationInput;
  warnings: Finding[];
}

export interface ValidationFailed {
  code: 'validation_failed';
  findings: Finding[];
}

const none: ReadonlySet<string> = new Set();
const pathsOf = (findings: readonly Finding[]): ReadonlySet<string> =>
  findings.length ? new Set(findings.map((f) => f.path)) : none;

/**
 * Validates a draft. `edgeFindings` are problems the parser already found (e.g. a CSV cell that is
 * not a number); they are listed first and their fields are not reported again as missing.
 */
export function validateDeclaration(
  draft: DeclarationDraft,
  ctx: ValidationContext,
  edgeFindings: readonly Finding[] = [],
): Result<Validated, ValidationFailed> {
  const findings: Finding[] = [...edgeFindings];
  const edgePaths = pathsOf(edgeFindings);
  const items = draft.items ?? [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item && item.sequence === undefined && !edgePaths.has(`items[${i}].sequence`)) item.sequence = i + 1;
  }

  const r = new Reporter(ctx, findings);
  checkExistence(draft, r.report, edgePaths);
  r.layer = 'format';
  checkFormat(draft, r.report, ctx.today);
  r.layer = 'reference';
  checkReference(draft, r.report, ctx, pathsOf(findings));
  r.layer = 'consistency';
  checkConsistency(draft, r.report);
  r.layer = 'plausibility';
  checkPlausibility(draft, r.report, ctx.unitValues, ctx.descriptionCodes);

  if (findings.some((f) => f.severity === 'error')) return err({ code: 'validation_failed', findings });
  // Every required field was checked present and well-formed above, so the draft is a declaration.
  return ok({ declaration: draft as DeclarationInput, warnings: findings });
}
