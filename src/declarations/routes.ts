/** HTTP routes for declarations: authenticate, validate, load, authorize, call the service, present. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../http/auth.ts';
import { HttpError, sendError, statusOf } from '../http/errors.ts';
import { idempotent, type Outcome } from '../http/idempotency.ts';
import { Role, type Actor } from '../governance/roles.ts';
import { declarationDuty } from '../clearance/duties.ts';
import { allowedActions, clearanceActions, EventKind, type DeclarationEvent } from './lifecycle.ts';
import type { Declaration } from './model.ts';
import { DeclarationBody, DeclarationView, ErrorBody, Finding, IdParams, ListQuery } from './schema.ts';
import { schemaFindings } from './schema-findings.ts';
import { hsPrefixOf, hsPrefixRule } from './hs-prefix.ts';
import type { Finding as ModelFinding } from './model.ts';
import { declarationReaders, scopeFor, type Scope } from './scope.ts';
import type { DeclarationError, DeclarationService } from './service.ts';
import { noteListRead } from '../governance/ledger/read-log.ts';
import { declarationToXml } from './formats/wco-xml/index.ts';
import { locatedIn, registerXmlBody, wantsXml, xmlMessageOf } from './xml-body.ts';

const lodgers = [Role.Trader, Role.Declarant] as const;
const readers = declarationReaders;
const cancellers = [Role.Trader, Role.Declarant, Role.Supervisor] as const;

const isLodger = (actor: Actor) => actor.role === Role.Trader || actor.role === Role.Declarant;

/**
 * A declaration as the caller sees it: who works on it is for customs staff only. Its duty is the
 * one rule of clearance/duties.ts; the clearance actions, which depend on its stages, are served
 * with them (GET /api/declarations/:id/clearance).
 */
export function present(d: Declaration, actor: Actor) {
  const { assignedTo, ...rest } = d;
  return {
    ...rest,
    ...(!isLodger(actor) && assignedTo ? { assignedTo } : {}),
    duty: declarationDuty(d),
    allowed: allowedActions(d, actor).filter((a) => !(a in clearanceActions)),
  };
}

/** Who works on a declaration and why it changed lane are customs' business; the new lane is not. */
function asTraderSees(e: DeclarationEvent): DeclarationEvent[] {
  if (e.kind === EventKind.Assigned) return [];
  if (e.kind === EventKind.Rerouted) return [{ ...e, actor: 'customs', data: { to: e.data?.to } }];
  // the trader learns the result in force, not who corrected it, why, or what it replaced
  if (e.kind === EventKind.ControlCorrected)
    return [{ ...e, actor: 'customs', data: { after: e.data?.after } }];
  // an assessment by anything but lodging's or an amendment's selectivity (a partner's export
  // record matched, risk/mirror-reassessment.ts) must not tell the importer why
  if (e.kind === EventKind.Assessed && e.actor !== 'selectivity') return [{ ...e, actor: 'customs' }];
  return [e];
}

function scopeOf(actor: Actor): Scope {
  const scope = scopeFor(actor);
  if (!scope) throw new HttpError('forbidden', `the ${actor.role} role does not read declarations`);
  return scope;
}

const failure = (error: DeclarationError): Outcome => {
  const { code, ...rest } = error;
  const message =
    'message' in error
      ? error.message
      : code === 'validation_failed'
        ? 'the declaration was rejected: see details.findings'
        : 'no such declaration';
  const details =
    code === 'validation_failed'
      ? { findings: error.findings }
      : 'existingId' in rest
        ? { existingId: rest.existingId }
        : undefined;
  return { status: statusOf(code), body: { error: code, message, ...(details ? { details } : {}) } };
};

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
};

export async function declarationRoutes(
  app: FastifyInstance,
  opts: { service: DeclarationService; db: Parameters<typeof idempotent>[0] },
) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { service } = opts;
  registerXmlBody(app);

  r.post(
    '/api/declarations',
    {
      config: { roles: lodgers },
      schema: {
        tags: ['declarations'],
        summary: 'Lodge a declaration',
        description:
          'Validated in layers; 201 when created, 200 when the same declaration was already lodged (same functional reference and content, or same Idempotency-Key). The body is JSON, or one WCO DEC-DMS 2 message with `Content-Type: application/xml` (docs/wco-mapping.md): it is checked against the XSD (violations are findings with `xmlPath`, `line` and `column`), and every finding names the element (`xmlPath`, `wcoId`, `line`, `column`). A message with a DOCTYPE, in another namespace, or not well-formed is a 400 naming line and column; one over 4 MiB is a 413.',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: DeclarationBody,
        response: { 200: DeclarationView, 201: DeclarationView, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      return idempotent(opts.db, request, reply, actor.userId, async () => {
        const message = xmlMessageOf(request);
        if (message && message.findings.length > 0) {
          return failure({ code: 'validation_failed', findings: message.findings });
        }
        const result = await service.lodge(actor, structuredClone(request.body));
        if (!result.ok) {
          const error = result.error;
          if (error.code === 'validation_failed') {
            return failure({ ...error, findings: locatedIn(request, error.findings) });
          }
          return failure(error);
        }
        return { status: result.value.created ? 201 : 200, body: present(result.value.declaration, actor) };
      });
    },
  );

  r.post(
    '/api/declarations/validate',
    {
      config: { roles: lodgers },
      attachValidation: true,
      schema: {
        tags: ['declarations'],
        summary: 'Check a draft declaration as lodging would, without lodging it',
        description:
          'Every finding of every validation layer, errors and warnings, at the field they concern; nothing is stored. A field the schema refuses (too long, of the wrong type, unknown) is a finding at its field too (codes `too_long`, `wrong_type`, `unknown_field`, `too_many`, `invalid`), and the rest of the draft is still checked; only a body that is not an object is a 400. With `Content-Type: application/xml` the body is one WCO DEC-DMS 2 message: XSD violations are findings (code `xml_schema_invalid`) and, when there are none, the layers run; every finding names the element (`xmlPath`, `wcoId`, `line`, `column`).',
        body: DeclarationBody,
        response: {
          200: Type.Object({ valid: Type.Boolean(), findings: Type.Array(Finding) }),
          ...errors,
        },
      },
    },
    async (request) => {
      const message = xmlMessageOf(request);
      if (message && message.findings.length > 0) return { valid: false, findings: message.findings };
      const refused = request.validationError?.validation;
      let draft: DeclarationBody = structuredClone(request.body);
      let schema: ModelFinding[] = [];
      if (refused) {
        const found = schemaFindings(request.body, refused);
        if (!found) throw request.validationError;
        draft = found.draft as DeclarationBody;
        schema = found.findings;
      }
      // a value the schema refused is reported once, by the schema, not again as missing
      const refusedAt = new Set(schema.map((f) => f.path));
      const layers = (await service.check(actorOf(request), draft)).filter((f) => !refusedAt.has(f.path));
      const findings = locatedIn(request, [...schema, ...layers]);
      return { valid: !findings.some((f) => f.severity === 'error'), findings };
    },
  );

  r.post(
    '/api/declarations/batch',
    {
      config: { roles: lodgers },
      schema: {
        tags: ['declarations'],
        summary:
          'Lodge up to 1,000 declarations; each is accepted, found to be a duplicate, or rejected on its own',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: Type.Object(
          { declarations: Type.Array(DeclarationBody, { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      return idempotent(opts.db, request, reply, actor.userId, async () => {
        const results = [];
        const counts = { accepted: 0, duplicates: 0, rejected: 0 };
        for (const [index, body] of request.body.declarations.entries()) {
          const result = await service.lodge(actor, structuredClone(body));
          if (result.ok) {
            counts[result.value.created ? 'accepted' : 'duplicates']++;
            results.push({
              index,
              outcome: result.value.created ? 'accepted' : 'duplicate',
              id: result.value.declaration.id,
              findings: result.value.declaration.findings,
            });
          } else {
            counts.rejected++;
            results.push({ index, outcome: 'rejected', ...(failure(result.error).body as object) });
          }
        }
        return { status: 200, body: { ...counts, results } };
      });
    },
  );

  r.get(
    '/api/declarations',
    {
      config: { roles: readers },
      schema: {
        tags: ['declarations'],
        summary:
          'Search the visible declarations by reference, parties, HS code, office, status, lane and date, newest first (keyset pagination)',
        querystring: ListQuery,
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { hs, limit = 50, ...filter } = request.query;
      if (filter.referenceMatch !== undefined && filter.reference === undefined)
        throw new HttpError(
          'invalid_request',
          `referenceMatch (${filter.referenceMatch}) says how reference matches, but no reference is given`,
        );
      const hsPrefix = hs === undefined ? undefined : hsPrefixOf(hs);
      if (hsPrefix === null)
        throw new HttpError('invalid_request', `the HS code (hs) must be ${hsPrefixRule}: "${hs}" is not`);
      if (filter.from && filter.to && filter.from > filter.to)
        throw new HttpError(
          'invalid_request',
          `from (${filter.from}) is after to (${filter.to}): no day is in between`,
        );
      const items = await service.list(scopeOf(actor), { ...filter, hsPrefix, limit });
      const listed = items.map((d) => d.id);
      noteListRead(request, listed); // an official's read of the list goes into the ledger
      const last = items.at(-1);
      return {
        items: items.map((d) => present(d, actor)),
        nextCursor: items.length === limit && last ? last.id : null,
      };
    },
  );

  r.get(
    '/api/declarations/:id',
    {
      config: { roles: readers },
      schema: {
        tags: ['declarations'],
        summary: 'One declaration with its items and findings',
        description:
          'JSON; or, with `Accept: application/xml`, the declaration as a WCO DEC-DMS 2 message that validates against the XSD (docs/wco-mapping.md).',
        params: IdParams,
        response: {
          200: {
            content: {
              'application/json': { schema: DeclarationView },
              'application/xml': {
                schema: Type.String({ description: 'A WCO DEC-DMS 2 declaration message' }),
              },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const found = await service.get(scopeOf(actor), request.params.id);
      if (!found) return sendError(reply, { code: 'declaration_not_found' });
      reply.header('vary', 'Accept');
      if (wantsXml(request))
        return reply.type('application/xml; charset=utf-8').send(declarationToXml(found));
      return present(found, actor);
    },
  );

  r.get(
    '/api/declarations/:id/events',
    {
      config: { roles: readers },
      schema: {
        tags: ['declarations'],
        summary: 'The history of a declaration, oldest first',
        params: IdParams,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const events = await service.events(scopeOf(actor), request.params.id);
      if (!events) return sendError(reply, { code: 'declaration_not_found' });
      return { events: isLodger(actor) ? events.flatMap(asTraderSees) : events };
    },
  );

  r.post(
    '/api/declarations/:id/amend',
    {
      config: { roles: lodgers },
      schema: {
        tags: ['declarations'],
        summary: 'Replace the content of a declaration before release',
        params: IdParams,
        body: Type.Object(
          { version: Type.Optional(Type.Integer({ minimum: 1 })), declaration: DeclarationBody },
          { additionalProperties: false },
        ),
        response: { 200: DeclarationView, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const result = await service.amend(
        actor,
        scopeOf(actor),
        request.params.id,
        structuredClone(request.body.declaration),
        request.body.version,
      );
      if (!result.ok) return send(reply, failure(result.error));
      return present(result.value, actor);
    },
  );

  r.post(
    '/api/declarations/:id/cancel',
    {
      config: { roles: cancellers },
      schema: {
        tags: ['declarations'],
        summary: 'Cancel a declaration before release',
        params: IdParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 3, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: { 200: DeclarationView, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const result = await service.cancel(actor, scopeOf(actor), request.params.id, request.body.reason);
      if (!result.ok) return send(reply, failure(result.error));
      return present(result.value, actor);
    },
  );
}

const send = (reply: import('fastify').FastifyReply, outcome: Outcome) =>
  reply.status(outcome.status).send(outcome.body);
