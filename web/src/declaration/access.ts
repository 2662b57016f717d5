/** Which of a declaration's reads a role may make, so that no page asks for what it may not read. */

/** The roles that may read a declaration's risk assessment (GET /api/declarations/:id/assessment). */
export const assessmentReaders: readonly string[] = ['officer', 'supervisor', 'risk_analyst', 'auditor'];

/**
 * The roles that read the partners' export records matched to an import
 * (GET /api/declarations/:id/mirror): customs roles; a partner administration's data is never shown
 * to the importer or its declarant.
 */
export const mirrorReaders: readonly string[] = ['officer', 'supervisor', 'risk_analyst', 'auditor'];

/** Officials read control results (GET /api/declarations/:id/control-results); traders and declarants do not. */
export const isOfficial = (role: string): boolean => role !== 'trader' && role !== 'declarant';

/**
 * The roles that read what partner agencies found on a declaration
 * (GET /api/declarations/:id/agency-findings): officials of its office, risk analysts and auditors
 * whole; its trader and declarant without the agency's words.
 */
export const agencyFindingsReaders: readonly string[] = [
  'officer',
  'supervisor',
  'risk_analyst',
  'auditor',
  'trader',
  'declarant',
];

/** The reads of one declaration's page, by path. */
export const declarationReads = (id: number) => ({
  declaration: `/api/declarations/${id}`,
  events: `/api/declarations/${id}/events`,
  controlResults: `/api/declarations/${id}/control-results`,
  assessment: `/api/declarations/${id}/assessment`,
  agencyFindings: `/api/declarations/${id}/agency-findings`,
  /** Whoever reads the declaration reads its documents (GET /api/declarations/:id/documents). */
  documents: `/api/declarations/${id}/documents`,
  offices: '/api/offices',
});
