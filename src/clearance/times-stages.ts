/** The Time Release Study's stages and their columns in clearance_times (migration 0037). */

/** Each stage: the moments it lies between, as the events name them; `main` stages add up to the total. */
export const stages = [
  { key: 'arrivalToLodging', label: 'Arrival to lodging', main: true },
  { key: 'lodgingToAcceptance', label: 'Lodging to acceptance', main: true },
  { key: 'acceptanceToAssessment', label: 'Acceptance to assessment', main: true },
  { key: 'assessmentToRelease', label: 'Assessment to release', main: true },
  { key: 'total', label: 'Total (arrival, or lodging, to release)', main: false },
  { key: 'documentsRequestedToProvided', label: 'Documents requested to provided', main: false },
  { key: 'documentsProvidedToChecked', label: 'Documents provided to checked', main: false },
  { key: 'inspectionScheduledToStarted', label: 'Inspection scheduled to started', main: false },
  { key: 'inspectionStartedToCompleted', label: 'Inspection started to completed', main: false },
  { key: 'dutiesAssessedToPaid', label: 'Duties assessed to paid or guaranteed', main: false },
] as const;
export type StageKey = (typeof stages)[number]['key'];

/** Each stage's column of clearance_times (migration 0037): its minutes, null when a moment is missing. */
export const stageColumns: Record<StageKey, string> = {
  arrivalToLodging: 'arrival_to_lodging',
  lodgingToAcceptance: 'lodging_to_acceptance',
  acceptanceToAssessment: 'acceptance_to_assessment',
  assessmentToRelease: 'assessment_to_release',
  total: 'total',
  documentsRequestedToProvided: 'documents_requested_to_provided',
  documentsProvidedToChecked: 'documents_provided_to_checked',
  inspectionScheduledToStarted: 'inspection_scheduled_to_started',
  inspectionStartedToCompleted: 'inspection_started_to_completed',
  dutiesAssessedToPaid: 'duties_assessed_to_paid',
};
