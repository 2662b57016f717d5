/** HTTP routes of the model registry: list the versions with their metrics, activate one. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Database } from '../db/database.ts';
import { IdParams } from '../declarations/schema.ts';
import { Role } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError } from '../http/errors.ts';
import { activateModel, listModels } from './registry.ts';

/** `changed` is told when the active model may have changed. */
export async function modelRoutes(app: FastifyInstance, opts: { db: Database; changed?: () => void }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/risk/models',
    {
      config: { roles: [Role.RiskAnalyst, Role.Supervisor, Role.Auditor] },
      schema: {
        tags: ['risk'],
        summary: 'The versions of the learned risk model, newest first, with training window and metrics',
      },
    },
    async (request) => {
      const canActivate = actorOf(request).role === Role.RiskAnalyst;
      return {
        models: (await listModels(opts.db)).map((m) => ({
          ...m,
          allowed: canActivate && !m.active ? ['activate'] : [],
        })),
      };
    },
  );

  r.post(
    '/api/risk/models/:id/activate',
    {
      config: { roles: [Role.RiskAnalyst] },
      schema: {
        tags: ['risk'],
        summary: 'Make a model version the one that scores declarations',
        params: IdParams,
      },
    },
    async (request) => {
      const activated = await activateModel(opts.db, request.params.id, actorOf(request).username);
      if (!activated) throw new HttpError('not_found', `no model version ${request.params.id}`);
      opts.changed?.();
      return activated;
    },
  );
}
