/**
 * Trade monitoring as the API gives it (GET /api/monitoring/...), taken from the server's TypeBox
 * schemas (src/monitoring/schema.ts): only the types cross over.
 */
export type {
  AlertResponse as Alert,
  DraftedProfileResponse as DraftedProfile,
  RunResponse as Run,
  SeriesDetailResponse as SeriesDetail,
  SeriesListResponse as SeriesList,
} from '../../../src/monitoring/schema.ts';
