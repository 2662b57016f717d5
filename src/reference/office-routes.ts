/**
 * The customs offices over HTTP: everyone signed in reads them (a trader lodging needs the codes);
 * administrators add offices and change their names, countries and validity, each on the ledger.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { Role } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { sendError } from '../http/errors.ts';
import { addOffice, loadOffices, updateOffice, type OfficeChange } from './office-store.ts';
import type { ReferenceData } from './reference-data.ts';

export interface OfficeRouteOptions {
  db: Database;
  reference: ReferenceData;
  /** Called after a change, so that validation sees it at once. */
  changed(): Promise<void>;
}

const Day = (description: string) =>
  Type.Union([Type.String({ maxLength: 10, description: `${description} (YYYY-MM-DD)` }), Type.Null()]);
const Office = Type.Object({
  code: Type.String(),
  name: Type.String(),
  country: Type.String(),
  validFrom: Type.Union([Type.String(), Type.Null()]),
  validTo: Type.Union([Type.String(), Type.Null()]),
});
const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 17 }) });

export async function officeRoutes(app: FastifyInstance, opts: OfficeRouteOptions) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, reference } = opts;
  const isCountry = (code: string) => reference.isCountry(code);

  r.get(
    '/api/offices',
    {
      schema: {
        tags: ['reference'],
        summary: 'The customs offices, with their country and the days they are in force',
        response: { 200: Type.Object({ offices: Type.Array(Office), allowed: Type.Array(Type.String()) }) },
      },
    },
    async (request) => ({
      offices: await loadOffices(db),
      allowed: actorOf(request).role === Role.Administrator ? ['add', 'update'] : [],
    }),
  );

  r.post(
    '/api/offices',
    {
      config: { roles: [Role.Administrator] },
      schema: {
        tags: ['reference'],
        summary: 'Add a customs office (recorded in the ledger)',
        body: Type.Object(
          {
            code: Type.String({ maxLength: 17, description: '2 to 17 capital letters or digits' }),
            name: Type.String({ maxLength: 200 }),
            country: Type.String({ maxLength: 2, description: 'ISO 3166-1 alpha-2' }),
            validFrom: Type.Optional(Day('First day in force')),
            validTo: Type.Optional(Day('Last day in force')),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { validFrom = null, validTo = null, ...rest } = request.body;
      const result = await addOffice(
        db,
        { ...rest, validFrom, validTo },
        actorOf(request).username,
        isCountry,
      );
      if (!result.ok) return sendError(reply, result.error);
      await opts.changed();
      return reply.status(201).send(result.value);
    },
  );

  r.patch(
    '/api/offices/:code',
    {
      config: { roles: [Role.Administrator] },
      schema: {
        tags: ['reference'],
        summary:
          "Change a customs office's name, country or validity, e.g. close it (recorded in the ledger)",
        params: CodeParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ maxLength: 200 })),
            country: Type.Optional(Type.String({ maxLength: 2 })),
            validFrom: Type.Optional(Day('First day in force; null: always')),
            validTo: Type.Optional(Day('Last day in force; null: open-ended')),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
      },
    },
    async (request, reply) => {
      const change: OfficeChange = request.body;
      const result = await updateOffice(
        db,
        request.params.code,
        change,
        actorOf(request).username,
        isCountry,
      );
      if (!result.ok) return sendError(reply, result.error);
      await opts.changed();
      return result.value;
    },
  );
}
