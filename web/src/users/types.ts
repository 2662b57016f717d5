/** What the users API sends (src/governance/): users as administrators see them, and API tokens. */

export interface ManagedUser {
  userId: number;
  username: string;
  displayName: string;
  role: string;
  partyId: string | null;
  /** The customs offices an officer or supervisor works at. */
  offices: string[];
  /** For a declarant: the traders its party represents. */
  represents: string[];
  disabled: boolean;
}

export interface Token {
  id: number;
  name: string;
  createdAt: string;
  /** The user itself, an administrator (impersonation), or `system` (the command line). */
  createdBy: string | null;
  expiresAt: string;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

export const roles = [
  'trader',
  'declarant',
  'officer',
  'supervisor',
  'risk_analyst',
  'partner_agency',
  'auditor',
  'administrator',
] as const;

/** A role in words: "risk analyst". */
export const roleName = (role: string) => role.replace(/_/g, ' ');

/** Traders and declarants act for a party; officers and supervisors work at offices. */
export const hasParty = (role: string) =>
  role === 'trader' || role === 'declarant' || role === 'partner_agency';
export const worksAtOffices = (role: string) => role === 'officer' || role === 'supervisor';
export const represents = (role: string) => role === 'declarant';

/** Codes typed as "030, 020" (commas or spaces), once each. */
export const codes = (text: string) => [...new Set(text.split(/[\s,]+/).filter(Boolean))];

/** A count with its noun: "1 API token", "2 sessions". */
export const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
