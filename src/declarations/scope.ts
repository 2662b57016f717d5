/** Which declarations a caller may see: every query on declarations is scoped by one of these. */
import { Role, type Actor } from '../governance/roles.ts';

export type Scope =
  { kind: 'all' } | { kind: 'trader'; traderId: string } | { kind: 'declarant'; declarantId: string };

/** Roles that read declarations, each within its scope below. */
export const declarationReaders = [
  Role.Trader,
  Role.Declarant,
  Role.Officer,
  Role.Supervisor,
  Role.RiskAnalyst,
  Role.Auditor,
] as const;

/** Roles that read declarations; others (administrator, partner agency without agreement) do not. */
export function scopeFor(actor: Actor): Scope | null {
  switch (actor.role) {
    case Role.Trader:
      return actor.partyId ? { kind: 'trader', traderId: actor.partyId } : null;
    case Role.Declarant:
      return actor.partyId ? { kind: 'declarant', declarantId: actor.partyId } : null;
    case Role.Officer:
    case Role.Supervisor:
    case Role.RiskAnalyst:
    case Role.Auditor:
      return { kind: 'all' };
    default:
      return null;
  }
}

/** A SQL condition on table alias `d` for the scope, with its parameter appended to `params`. */
export function scopeCondition(scope: Scope, params: unknown[]): string {
  switch (scope.kind) {
    case 'all':
      return 'true';
    case 'trader':
      params.push(scope.traderId);
      return `d.trader_id = $${params.length}`;
    case 'declarant':
      params.push(scope.declarantId);
      return `d.trader_id IN (SELECT trader_id FROM representations WHERE declarant_id = $${params.length})`;
  }
}
