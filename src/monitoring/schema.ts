/** The OpenAPI shapes of the monitoring routes (their types are what the web page reads). */
import { Type, type Static } from 'typebox';
import { alertKinds, alertStates } from './codes.ts';
import { dimensions, measures, monitorPeriods } from './series-key.ts';

const day = Type.String({ format: 'date' });
const Period = Type.Enum(monitorPeriods, { description: 'week (from Monday) or month; default month' });

export const Run = Type.Object({
  id: Type.Integer(),
  period: Type.Enum(monitorPeriods),
  latestPeriod: Type.String({ format: 'date', description: 'the first day of the latest complete period' }),
  historyFrom: day,
  currency: Type.Union([Type.String(), Type.Null()], {
    description: 'the currency of values and duties (the most common one); null without imports',
  }),
  trigger: Type.String({ description: 'schedule, analyst or cli' }),
  startedBy: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.String({ format: 'date-time' }),
  series: Type.Integer({ minimum: 0 }),
  newAlerts: Type.Integer({ minimum: 0 }),
});

export const SeriesQuery = Type.Object(
  {
    period: Type.Optional(Period),
    dimension: Type.Optional(Type.Enum(dimensions)),
    measure: Type.Optional(Type.Enum(measures)),
    prefix: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9-]{1,17}$', description: 'the start of the key, e.g. 85 or C' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  },
  { additionalProperties: false },
);

export const SeriesList = Type.Object({
  run: Type.Union([Run, Type.Null()], { description: 'the latest run of the period; null before the first' }),
  allowed: Type.Array(Type.String(), { description: 'run: the caller may start a run' }),
  series: Type.Array(
    Type.Object({
      key: Type.String({ description: 'total, chapter:NN, origin:CC or office:CODE' }),
      label: Type.String(),
      dimension: Type.Enum(dimensions),
      measure: Type.Enum(measures),
      method: Type.String({ description: 'the forecasting method chosen for the series' }),
      last: Type.Number({ description: 'the latest complete period' }),
      next: Type.Union([Type.Number(), Type.Null()], { description: 'the forecast of the next period' }),
      openAlerts: Type.Integer({ minimum: 0 }),
    }),
  ),
});

export const SeriesParams = Type.Object({
  key: Type.String({ maxLength: 30, description: 'total, chapter:NN, origin:CC or office:CODE' }),
});

export const SeriesDetailQuery = Type.Object(
  {
    period: Type.Optional(Period),
    measure: Type.Optional(Type.Enum(measures, { description: 'default declarations' })),
  },
  { additionalProperties: false },
);

const Point = {
  period: day,
  mean: Type.Number(),
  lower80: Type.Number(),
  upper80: Type.Number(),
  lower95: Type.Number(),
  upper95: Type.Number(),
};

export const SeriesDetail = Type.Object({
  key: Type.String(),
  label: Type.String(),
  measure: Type.Enum(measures),
  period: Type.Enum(monitorPeriods),
  currency: Type.Union([Type.String(), Type.Null()]),
  method: Type.String(),
  run: Run,
  history: Type.Array(Type.Object({ period: day, value: Type.Number() })),
  forecast: Type.Array(Type.Object(Point)),
  backtest: Type.Union([Type.Object({ ...Point, observed: Type.Number() }), Type.Null()], {
    description: 'the latest period as forecast from the history before it',
  }),
});

export const AlertsQuery = Type.Object(
  {
    state: Type.Optional(Type.Enum(alertStates)),
    kind: Type.Optional(Type.Enum(alertKinds)),
    period: Type.Optional(Type.Enum(monitorPeriods)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export const Alert = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(alertKinds),
  period: Type.Enum(monitorPeriods),
  periodStart: day,
  series: Type.String({ description: 'chapter:85, hs6:851713/origin:VN, hs6:851713...' }),
  measure: Type.String({ description: 'declarations, value, duty, share or unit_value' }),
  currency: Type.Union([Type.String(), Type.Null()]),
  size: Type.Number({ description: 'the value at stake in the currency: how alerts rank' }),
  explanation: Type.String(),
  facts: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])),
  runId: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  state: Type.Enum(alertStates),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  profileId: Type.Union([Type.Integer(), Type.Null()]),
  allowed: Type.Array(Type.String(), { description: 'acknowledge, dismiss, profile' }),
});

export const AlertList = Type.Object({ alerts: Type.Array(Alert) });

export const Reason = Type.Object(
  {
    reason: Type.String({
      minLength: 1,
      maxLength: 1000,
      pattern: '\\S',
      description: 'why: kept as feedback on the alert rules',
    }),
  },
  { additionalProperties: false },
);

export const RunBody = Type.Object({ period: Type.Optional(Period) }, { additionalProperties: false });

export const DraftedProfile = Type.Object({
  profile: Type.Object({
    id: Type.Integer(),
    code: Type.String(),
    version: Type.Integer(),
    status: Type.String(),
    conditions: Type.Array(Type.Object({ field: Type.String(), op: Type.String(), value: Type.Unknown() })),
  }),
  alert: Alert,
});

export type RunResponse = Static<typeof Run>;
export type SeriesListResponse = Static<typeof SeriesList>;
export type SeriesDetailResponse = Static<typeof SeriesDetail>;
export type AlertResponse = Static<typeof Alert>;
export type DraftedProfileResponse = Static<typeof DraftedProfile>;
