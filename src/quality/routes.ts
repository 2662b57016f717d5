/**
 * HTTP routes of the data-quality scores. Officers, supervisors, risk analysts and auditors see
 * every trader; traders see their own scores and declarants those of the traders they represent.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import type { Catalog } from '../declarations/catalog.ts';
import { declarationReaders, scopeFor, type Scope } from '../declarations/scope.ts';
import type { Actor } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError, sendError } from '../http/errors.ts';
import { maxPeriods, maxYears, periodUnits, statsWindow } from '../stats/window.ts';
import { qualityScores, scoreKeys, ScoreKey, type ScoresQuery } from './scores.ts';

const day = Type.String({ format: 'date' });
const count = Type.Number({ minimum: 0 });
const score = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]);
const change = Type.Union([Type.Number({ minimum: -1, maximum: 1 }), Type.Null()]);
const Scores = Type.Object({ completeness: score, validity: score, consistency: score, overall: score });
const Trend = Type.Object(
  { completeness: change, validity: change, consistency: change, overall: change },
  { description: 'The last period with validations minus the one before it; null without two such periods' },
);
const ScoreRow = Type.Object({
  key: Type.String({ description: 'The field, or the trader ("" for validations of no known trader)' }),
  checked: count,
  failed: Type.Object({ completeness: count, validity: count, consistency: count }),
  scores: Scores,
  trend: Trend,
  periods: Type.Array(Type.Object({ period: day, checked: count, ...Scores.properties })),
});
const QualityScores = Type.Object({
  from: day,
  to: day,
  period: Type.Enum(periodUnits),
  by: Type.Enum(scoreKeys),
  items: Type.Array(ScoreRow),
});

const windowParams = {
  period: Type.Optional(Type.Enum(periodUnits, { description: 'Length of a period (default month)' })),
  from: Type.Optional(Type.String({ format: 'date', description: 'First declaration date, inclusive' })),
  to: Type.Optional(
    Type.String({ format: 'date', description: 'Last declaration date, inclusive; default today' }),
  ),
};
const limit = Type.Optional(
  Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'How many rows, lowest score first' }),
);
const TraderParams = Type.Object(
  {
    id: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]{0,34}$',
      description:
        "A trader identifier: 1 to 35 letters, digits, '.', '_', '/' or '-', starting with a letter or digit",
    }),
  },
  { additionalProperties: false },
);
const FieldParams = Type.Object(
  {
    path: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'A dictionary field, e.g. items[].hsCode',
    }),
  },
  { additionalProperties: false },
);

const definitions =
  'Dimensions: completeness (existence layer), validity (format and reference layers), consistency (consistency and plausibility layers); warnings count as failures. ' +
  'A field scores 1 - failed declarations / declarations validated; a trader 1 - failed fields / (declarations validated x dictionary fields). ' +
  'Validations are counted by declaration date at lodging, amendment, batch, import and upload. ' +
  `The window may span at most ${maxYears} years and ${maxPeriods} periods.`;

const today = () => new Date().toISOString().slice(0, 10);

export async function qualityRoutes(app: FastifyInstance, opts: { db: Database; catalog: Catalog }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, catalog } = opts;
  const fields = catalog.entries.map((e) => e.path);

  function scopeOf(actor: Actor): Scope {
    const scope = scopeFor(actor);
    if (!scope) throw new HttpError('forbidden', 'this role does not read declarations');
    return scope;
  }

  function base(scope: Scope, query: { period?: 'day' | 'week' | 'month'; from?: string; to?: string }) {
    const window = statsWindow(query, today());
    if (!window.ok) throw new HttpError('invalid_request', window.error.message);
    return { window: window.value, scope, fields };
  }

  /** Whether the scope may read the trader's scores; someone else's trader is not found. */
  async function mayRead(scope: Scope, trader: string): Promise<boolean> {
    if (scope.kind === 'all') return true;
    if (scope.kind === 'trader') return scope.traderId === trader;
    const rows = await db.query('SELECT 1 FROM representations WHERE declarant_id = $1 AND trader_id = $2', [
      scope.declarantId,
      trader,
    ]);
    return rows.length > 0;
  }

  const run = async (q: ScoresQuery, n: number) => {
    const result = await qualityScores(db, q);
    return { ...result, items: result.items.slice(0, n) };
  };

  r.get(
    '/api/quality/scores',
    {
      config: { roles: declarationReaders },
      schema: {
        tags: ['quality'],
        summary: 'Data-quality scores by field or by trader, per period, with trends; lowest first',
        description: definitions,
        querystring: Type.Object(
          {
            ...windowParams,
            by: Type.Optional(Type.Enum(scoreKeys, { description: 'Default field' })),
            limit,
          },
          { additionalProperties: false },
        ),
        response: { 200: QualityScores },
      },
    },
    async (request) => {
      const scope = scopeOf(actorOf(request));
      const { by = ScoreKey.Field, limit: n = 50, ...window } = request.query;
      return run({ ...base(scope, window), by }, n);
    },
  );

  r.get(
    '/api/quality/traders/:id',
    {
      config: { roles: declarationReaders },
      schema: {
        tags: ['quality'],
        summary: "A trader's scorecard: its scores and those of each field of its declarations",
        description: definitions,
        params: TraderParams,
        querystring: Type.Object(windowParams, { additionalProperties: false }),
        response: {
          200: Type.Object({ trader: Type.String(), scores: ScoreRow, fields: QualityScores }),
        },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(actorOf(request));
      const trader = request.params.id;
      const q = base(scope, request.query);
      if (!(await mayRead(scope, trader))) {
        return sendError(reply, { code: 'not_found', message: `no scores for trader ${trader}` });
      }
      const overall = await qualityScores(db, { ...q, by: ScoreKey.Trader, trader });
      const byField = await qualityScores(db, { ...q, by: ScoreKey.Field, trader });
      const scores = overall.items[0] ?? emptyRow(trader, q.window.periods);
      return { trader, scores, fields: byField };
    },
  );

  r.get(
    '/api/quality/fields/:path',
    {
      config: { roles: declarationReaders },
      schema: {
        tags: ['quality'],
        summary: "A field's scores, and the traders that score lowest on it",
        description: definitions,
        params: FieldParams,
        querystring: Type.Object({ ...windowParams, limit }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            field: Type.String(),
            name: Type.String(),
            scores: ScoreRow,
            traders: QualityScores,
          }),
        },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(actorOf(request));
      const { limit: n = 50, ...window } = request.query;
      const q = base(scope, window);
      const entry = catalog.entryOf(request.params.path);
      if (!entry) {
        return sendError(reply, {
          code: 'not_found',
          message: `${request.params.path} is not a field of the data dictionary`,
        });
      }
      const field = entry.path;
      const own = await qualityScores(db, { ...q, by: ScoreKey.Field, field });
      const traders = await run({ ...q, by: ScoreKey.Trader, field }, n);
      const scores = own.items[0] ?? emptyRow(field, q.window.periods);
      return { field, name: entry.name, scores, traders };
    },
  );
}

function emptyRow(key: string, periods: readonly string[]) {
  const none = { completeness: null, validity: null, consistency: null, overall: null };
  return {
    key,
    checked: 0,
    failed: { completeness: 0, validity: 0, consistency: 0 },
    scores: none,
    trend: none,
    periods: periods.map((period) => ({ period, checked: 0, ...none })),
  };
}
