/**
 * Mirror analysis as the API gives it (GET /api/declarations/:id/mirror and
 * GET /api/exchange/mirror-statistics), taken from the server's TypeBox schemas
 * (src/exchange/mirror-schema.ts): only the types cross over, nothing of the server's code.
 */
import type { Static } from 'typebox';
import type {
  ExportRecordView,
  GapView,
  MirrorView,
  StatisticsRowView,
  StatisticsView,
} from '../../../src/exchange/mirror-schema.ts';

export type Gap = Static<typeof GapView>;
export type GapKind = Gap['kind'];
export type ExportRecord = Static<typeof ExportRecordView>;
export type ExportItem = ExportRecord['items'][number];
export type Mirror = Static<typeof MirrorView>;
export type MirrorMatch = Mirror['matches'][number];
export type MatchedBy = MirrorMatch['matchedBy'];
export type ItemPair = MirrorMatch['pairs'][number];
export type StatisticsRow = Static<typeof StatisticsRowView>;
export type Statistics = Static<typeof StatisticsView>;
