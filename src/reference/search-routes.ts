/**
 * `GET /api/reference/{list}?q=&date=&limit=`: a code list searched by code and by words, as in
 * force on a date; for every signed-in role (the lodging form's pickers). `GET
 * /api/reference/hs?codes=a,b,c&date=`: the descriptions of up to 200 given HS subheadings in the
 * edition in force on the date, in one request (the declaration page's items).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sendError } from '../http/errors.ts';
import { searchLimits, searchLists, type ReferenceSearch } from './reference-search.ts';

const today = () => new Date().toISOString().slice(0, 10);

const Item = Type.Object({ code: Type.String(), description: Type.String() });

export async function referenceSearchRoutes(app: FastifyInstance, opts: { search: ReferenceSearch }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/reference/:list',
    {
      schema: {
        tags: ['reference'],
        summary: 'Search a code list in force on a date by code and by words',
        description:
          `Lists: ${searchLists.join(', ')}. Codes starting with q come first, then descriptions in ` +
          'which every word of q starts a word, then descriptions containing every word (case and ' +
          'accents ignored). HS searches the 6-digit subheadings of the edition in force on the date; ' +
          'offices are those in force on the date. With codes (HS only, instead of q): exactly those ' +
          `6-digit subheadings (at most ${searchLimits.codes}, separated by commas) that are in the edition ` +
          'in force on the date, in the order given; codes not in it are left out.',
        params: Type.Object({ list: Type.String({ maxLength: 30, description: searchLists.join(' | ') }) }),
        querystring: Type.Object(
          {
            q: Type.Optional(
              Type.String({
                maxLength: searchLimits.query,
                title: 'Search text',
                description: 'a code or words',
              }),
            ),
            date: Type.Optional(
              Type.String({
                format: 'date',
                description:
                  "the day in force; if absent, today's UTC day (the server's), which may differ from the caller's own day near midnight: send the date to be sure",
              }),
            ),
            limit: Type.Optional(
              Type.Integer({ minimum: 1, maximum: searchLimits.limit, default: searchLimits.defaultLimit }),
            ),
            codes: Type.Optional(
              Type.String({
                maxLength: searchLimits.codes * 10,
                description: `HS only: up to ${searchLimits.codes} 6-digit subheadings separated by commas`,
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            list: Type.String(),
            date: Type.String(),
            edition: Type.Optional(Type.Union([Type.String(), Type.Null()])),
            items: Type.Array(Item),
          }),
        },
      },
    },
    async (request, reply) => {
      const { q = '', date = today(), limit = searchLimits.defaultLimit, codes } = request.query;
      const result = opts.search.search({
        list: request.params.list,
        query: q,
        date,
        limit,
        ...(codes === undefined ? {} : { codes: codes.split(',') }),
      });
      if (!result.ok) return sendError(reply, result.error);
      return result.value;
    },
  );
}
