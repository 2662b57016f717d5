/** HTTP routes for control results: officers record what they found; readers see the results. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { allowedActions } from '../declarations/lifecycle.ts';
import { declarationsRepository } from '../declarations/repository.ts';
import { IdParams } from '../declarations/schema.ts';
import { declarationReaders, scopeFor } from '../declarations/scope.ts';
import { Role } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError, sendError } from '../http/errors.ts';
import { controlResultsOf, irregularities, recordControlResult } from './control-results.ts';

const controllers = [Role.Officer, Role.Supervisor] as const;
const readers = declarationReaders;

export async function controlRoutes(app: FastifyInstance, opts: { db: Database }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;

  r.post(
    '/api/declarations/:id/control-results',
    {
      config: { roles: controllers },
      schema: {
        tags: ['controls'],
        summary: 'Record the result of a documentary or physical control',
        params: IdParams,
        body: Type.Object(
          {
            outcome: Type.Union([Type.Literal('compliant'), Type.Literal('non_compliant')]),
            irregularity: Type.Optional(Type.Union(irregularities.map((i) => Type.Literal(i)))),
            severity: Type.Optional(
              Type.Integer({ minimum: 1, maximum: 2, description: '1 irregularity, 2 critical' }),
            ),
            revenueRecovered: Type.Optional(Type.Number({ minimum: 0, maximum: 1e13 })),
            seizure: Type.Optional(Type.Boolean()),
            notes: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const found = await declarationsRepository.findById(db, request.params.id, { kind: 'all' });
      if (!found) return sendError(reply, { code: 'declaration_not_found' });
      if (!allowedActions(found.status, actor, found.office).includes('record_control')) {
        const why =
          found.status === 'cancelled'
            ? 'the declaration is cancelled'
            : `it is lodged at office ${found.office}, not ${actor.office}`;
        throw new HttpError(
          'action_not_allowed',
          `you cannot record a control result for declaration ${found.id}: ${why}`,
        );
      }
      const result = await recordControlResult(db, found.id, request.body, actor.username);
      if (!result.ok) return sendError(reply, result.error);
      return reply.status(201).send(result.value);
    },
  );

  r.get(
    '/api/declarations/:id/control-results',
    {
      config: { roles: readers },
      schema: { tags: ['controls'], summary: 'The control results of a declaration', params: IdParams },
    },
    async (request, reply) => {
      const scope = scopeFor(actorOf(request));
      if (!scope) throw new HttpError('forbidden', 'this role does not read declarations');
      const found = await declarationsRepository.findById(db, request.params.id, scope);
      if (!found) return sendError(reply, { code: 'declaration_not_found' });
      return { results: await controlResultsOf(db, found.id) };
    },
  );
}
