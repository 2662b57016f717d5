/**
 * HTTP routes of the classification aid: suggestions for a goods description, and the model's
 * versions with their measured accuracy, one made active by a risk analyst.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { dotted } from '../declarations/description-codes.ts';
import { ErrorBody, IdParams } from '../declarations/schema.ts';
import { declarationReaders } from '../declarations/scope.ts';
import { Role } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError } from '../http/errors.ts';
import { isSupportedDay, supportedDayText } from '../shared/day.ts';
import type { ReferenceData } from '../reference/reference-data.ts';
import type { ClassificationAid } from './aid.ts';
import { activateClassifier, listClassifiers } from './registry.ts';
import { ModelVersionView, SuggestAnswer, SuggestBody } from './schema.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };
/** Everyone who declares goods or checks what was declared; partner agencies receive declarations, they do not classify them. */
const suggesters = [...declarationReaders, Role.Administrator];
/** Suggestions one address may ask for in a minute. */
export const suggestionsPerMinute = 600;
const modelReaders = [Role.RiskAnalyst, Role.Supervisor, Role.Auditor];

export async function classificationRoutes(
  app: FastifyInstance,
  opts: { db: Database; aid: ClassificationAid; reference: ReferenceData; today: () => string },
) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/api/classification/suggest',
    {
      config: {
        roles: suggesters,
        // each answer costs milliseconds of CPU: a person typing asks a few times a second at most
        rateLimit: {
          max: suggestionsPerMinute,
          timeWindow: 60_000,
          keyGenerator: (req: { ip: string }) => `suggest:${req.ip}`,
        },
      },
      schema: {
        tags: ['classification'],
        summary:
          'The most likely HS subheadings for a goods description, with their texts and the words behind each',
        description:
          'Suggestions come from the active classification model, among the subheadings of the HS edition in force on the date. 409 when no model is active.',
        body: SuggestBody,
        response: { 200: SuggestAnswer, ...errors, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => {
      const { description, origin, limit } = request.body;
      const date = request.body.date ?? opts.today();
      if (!isSupportedDay(date))
        throw new HttpError('invalid_request', `date ${date} is not a day: ${supportedDayText}`);
      const edition = opts.reference.hsEditionOn(date);
      if (!edition) throw new HttpError('invalid_request', `no HS edition is in force on ${date}`);
      if (origin && !opts.reference.isCountry(origin))
        throw new HttpError('invalid_request', `origin ${origin} is not a country code`);
      const model = opts.aid.modelId();
      if (model === null)
        throw new HttpError(
          'no_classification_model',
          'no classification model is active: a risk analyst activates one',
        );
      const suggestions = opts.aid.suggest(description, date, {
        ...(limit ? { limit } : {}),
        ...(origin ? { origin } : {}),
      });
      return {
        model,
        edition,
        date,
        suggestions: suggestions.map((s) => ({ ...s, code: dotted(s.hs6) })),
      };
    },
  );

  r.get(
    '/api/classification/models',
    {
      config: { roles: modelReaders },
      schema: {
        tags: ['classification'],
        summary:
          'The versions of the classification model, newest first, with what they learned from and their accuracy',
        response: { 200: Type.Object({ models: Type.Array(ModelVersionView) }), ...errors },
      },
    },
    async (request) => {
      const canActivate = actorOf(request).role === Role.RiskAnalyst;
      return {
        models: (await listClassifiers(opts.db)).map((m) => ({
          ...m,
          id: Number(m.id),
          allowed: canActivate && !m.active ? ['activate'] : [],
        })),
      };
    },
  );

  r.post(
    '/api/classification/models/:id/activate',
    {
      config: { roles: [Role.RiskAnalyst] },
      schema: {
        tags: ['classification'],
        summary: 'Make a version of the classification model the one that answers',
        params: IdParams,
        response: { 200: ModelVersionView, ...errors, 404: ErrorBody },
      },
    },
    async (request) => {
      const activated = await activateClassifier(opts.db, request.params.id, actorOf(request).username);
      if (!activated)
        throw new HttpError(
          'classification_model_not_found',
          `no classification model version ${request.params.id}`,
        );
      await opts.aid.refresh();
      return { ...activated, id: Number(activated.id), allowed: [] };
    },
  );
}
