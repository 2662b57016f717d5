/** The roles of the people and systems that use Clearway (product.md, "Who uses it"). */
export const Role = {
  Trader: 'trader',
  Declarant: 'declarant',
  Officer: 'officer',
  Supervisor: 'supervisor',
  RiskAnalyst: 'risk_analyst',
  PartnerAgency: 'partner_agency',
  Auditor: 'auditor',
  Administrator: 'administrator',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export const roles: readonly Role[] = Object.values(Role);

export const isRole = (value: string): value is Role => (roles as readonly string[]).includes(value);

/** The authenticated caller of an operation. */
export interface Actor {
  userId: number;
  username: string;
  role: Role;
  /** The trader a trader acts for, or the declarant code of a customs broker. */
  partyId: string | null;
  /** The customs offices an officer or supervisor works at; empty for every other role. */
  offices: readonly string[];
  /** The API token the caller authenticated with, when it did with one (not a session). */
  viaToken?: number;
}

/** Officers and supervisors act on the work of the offices they belong to; other roles belong to none. */
export const isOfficeBound = (role: Role): boolean => role === Role.Officer || role === Role.Supervisor;

/** An officer or supervisor of the office (other roles work at none). */
export const worksAt = (actor: Actor, office: string): boolean =>
  isOfficeBound(actor.role) && actor.offices.includes(office);
