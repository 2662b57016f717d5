/**
 * The Time Release Study as GET /api/clearance/times gives it, taken from the server's TypeBox
 * schemas (src/clearance/times-schema.ts): only the types cross over, nothing of the server's code.
 */
import type { Static } from 'typebox';
import type { GroupTimesView, StageStatsView, TimesView } from '../../../src/clearance/times-schema.ts';

export type Times = Static<typeof TimesView>;
export type GroupTimes = Static<typeof GroupTimesView>;
export type StageStats = Static<typeof StageStatsView>;
export type StageKey = StageStats['stage'];
