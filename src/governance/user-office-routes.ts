/** Administrators set the customs offices an officer or supervisor works at. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { actorOf } from '../http/auth.ts';
import { sendError } from '../http/errors.ts';
import { Role } from './roles.ts';
import { maxOffices, setUserOffices } from './user-offices.ts';

export async function userOfficeRoutes(app: FastifyInstance, opts: { db: Database }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.put(
    '/api/users/:username/offices',
    {
      config: { roles: [Role.Administrator] },
      schema: {
        tags: ['users'],
        summary:
          'Set the customs offices an officer or supervisor works at (replacing its offices; recorded in the ledger)',
        params: Type.Object({ username: Type.String({ maxLength: 64 }) }),
        body: Type.Object(
          { offices: Type.Array(Type.String({ maxLength: 17 }), { maxItems: maxOffices }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ username: Type.String(), offices: Type.Array(Type.String()) }),
        },
      },
    },
    async (request, reply) => {
      const result = await setUserOffices(
        opts.db,
        request.params.username,
        request.body.offices,
        actorOf(request).username,
      );
      return result.ok ? result.value : sendError(reply, result.error);
    },
  );
}
