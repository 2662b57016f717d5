/** The HTTP shapes of the Time Release Study (GET /api/clearance/times); the web page imports their types. */
import { Type, type Static } from 'typebox';
import { histogramEdges, maxTargetMinutes, maxTargets, maxTop, stages, timeDimensions } from './times.ts';

const day = Type.String({ format: 'date' });
const minutes = Type.Union([Type.Number(), Type.Null()], {
  description: 'Minutes; null without a declaration',
});
const stageKey = Type.Enum(stages.map((s) => s.key));

export const TimesQueryParams = Type.Object(
  {
    from: Type.Optional(
      Type.String({
        format: 'date',
        description: 'First release day (UTC), inclusive; default 12 months (26 weeks by week) before to',
      }),
    ),
    to: Type.Optional(
      Type.String({ format: 'date', description: 'Last release day (UTC), inclusive; default today' }),
    ),
    by: Type.Optional(Type.Enum(timeDimensions, { description: 'Leave out for all declarations together' })),
    period: Type.Optional(
      Type.Enum(['week', 'month'], {
        description: 'The period of by=period (default month); a week starts on Monday',
      }),
    ),
    targets: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,6}(,[0-9]{1,6}){0,4}$',
        description: `Target times in minutes, comma-separated, at most ${maxTargets}, each 1 to ${maxTargetMinutes} (default 60,1440)`,
        errorMessage: `must be up to ${maxTargets} whole numbers of minutes separated by commas, e.g. 60,1440`,
        examples: ['60,1440'],
      }),
    ),
    compareFrom: Type.Optional(
      Type.String({ format: 'date', description: 'First release day of the period to compare with' }),
    ),
    compareTo: Type.Optional(
      Type.String({ format: 'date', description: 'Last release day of the period to compare with' }),
    ),
    top: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: maxTop,
        default: 20,
        description: 'How many groups (most declarations first) get a row of their own; the others share one',
      }),
    ),
  },
  { additionalProperties: false },
);

export const StageStatsView = Type.Object({
  stage: stageKey,
  count: Type.Integer({ minimum: 0 }),
  mean: minutes,
  median: minutes,
  p90: minutes,
  histogram: Type.Array(Type.Integer({ minimum: 0 }), {
    description: 'Declarations per bucket of `buckets`',
  }),
  withinTargets: Type.Array(Type.Number({ minimum: 0, maximum: 1 }), {
    description: 'For each target, the share of this stage within it',
  }),
  sumMinutes: Type.Number({ description: 'The minutes of this stage added up (negative ones as 0)' }),
});

export const GroupTimesView = Type.Object({
  key: Type.Union([Type.String(), Type.Null()], {
    description: 'null for the group adding up every key outside the top (or for all declarations)',
  }),
  label: Type.String(),
  declarations: Type.Integer({ minimum: 0 }),
  stages: Type.Array(StageStatsView),
  biggest: Type.Union([
    Type.Object({
      stage: stageKey,
      share: Type.Union([Type.Number(), Type.Null()], {
        description: "The stage's minutes over the total's minutes",
      }),
    }),
    Type.Null(),
  ]),
});

const WindowTimes = Type.Object({
  from: day,
  to: day,
  overall: GroupTimesView,
  groups: Type.Array(GroupTimesView),
  otherKeys: Type.Integer({ minimum: 0 }),
});

export const TimesView = Type.Object({
  ...WindowTimes.properties,
  by: Type.Union([Type.Enum(timeDimensions), Type.Null()]),
  period: Type.Enum(['week', 'month']),
  targets: Type.Array(Type.Integer({ minimum: 1 })),
  stages: Type.Array(Type.Object({ key: stageKey, label: Type.String(), main: Type.Boolean() })),
  buckets: Type.Array(
    Type.Object({
      from: Type.Union([Type.Number(), Type.Null()]),
      to: Type.Union([Type.Number(), Type.Null()]),
    }),
    {
      description: `Histogram buckets in minutes: from inclusive, to exclusive; null is unbounded (${histogramEdges.join(', ')})`,
    },
  ),
  comparison: Type.Union([
    Type.Object({
      ...WindowTimes.properties,
      change: Type.Array(
        Type.Object({
          stage: stageKey,
          mean: minutes,
          median: minutes,
          p90: minutes,
          medianShare: Type.Union([Type.Number(), Type.Null()], {
            description: "The median's change over the comparison period's median",
          }),
        }),
        { description: 'Per stage of all declarations: this window minus the comparison window' },
      ),
    }),
    Type.Null(),
  ]),
});

export type TimesView = Static<typeof TimesView>;
export type GroupTimesView = Static<typeof GroupTimesView>;
export type StageStatsView = Static<typeof StageStatsView>;
