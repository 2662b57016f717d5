/**
 * Data-sharing agreements over HTTP (/api/sharing/agreements): administrators draft and edit,
 * administrators and supervisors decide (four-eyes), and a partner agency user reads its own
 * agency's agreements. Each agreement says whether it is in force and what the caller may do next.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import type { Catalog } from '../declarations/catalog.ts';
import { ErrorBody, IdParams } from '../declarations/schema.ts';
import type { EndpointPolicy } from '../exchange/endpoint.ts';
import { Role, type Actor } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError } from '../http/errors.ts';
import type { ReferenceData } from '../reference/reference-data.ts';
import type { Result } from '../shared/result.ts';
import {
  Agreement,
  AgreementBody,
  AgreementPatch,
  AgreementQuery,
  ApprovalBody,
  ReasonBody,
} from './agreement-schema.ts';
import type { AgreementTerms, TermsContext } from './agreement-terms.ts';
import { decideAgreement } from './agreement-decisions.ts';
import {
  draftAgreement,
  editDraft,
  listAgreements,
  presentAgreement,
  readAgreement,
  type AgreementError,
  type Decision,
  type StoredAgreement,
} from './agreements.ts';

export interface AgreementRouteOptions {
  db: Database;
  catalog: Catalog;
  reference: ReferenceData;
  /** Procedure codes of the list: requested procedures (2 digits) and pairs (4 digits). */
  procedures: ReadonlySet<string>;
  policy: EndpointPolicy;
  today: () => string;
}

const officials = [Role.Administrator, Role.Supervisor];
const readers = [Role.Administrator, Role.Supervisor, Role.PartnerAgency];

function unwrap<T>(result: Result<T, AgreementError>): T {
  if (result.ok) return result.value;
  const { code, message, ...details } = result.error;
  throw new HttpError(code, message, Object.keys(details).length > 0 ? details : undefined);
}

/** The decisions other than approval, which also names the terms approved (its own route below). */
const decisions: { decision: Exclude<Decision, 'approve'>; summary: string; reason: boolean }[] = [
  { decision: 'reject', summary: 'Reject a draft, with a reason (not by its drafter)', reason: true },
  { decision: 'suspend', summary: 'Suspend an active agreement at once, with a reason', reason: true },
  {
    decision: 'resume',
    summary: 'Resume a suspended agreement (not by the one who suspended it)',
    reason: false,
  },
  {
    decision: 'revoke',
    summary: 'Revoke an active or suspended agreement for good, with a reason',
    reason: true,
  },
];

export async function agreementRoutes(app: FastifyInstance, opts: AgreementRouteOptions) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;
  const context = (): TermsContext => ({ ...opts, today: opts.today() });
  const present = (a: StoredAgreement, actor: Actor): Agreement =>
    presentAgreement(a, actor, opts.catalog, opts.today());

  r.get(
    '/api/sharing/agreements',
    {
      config: { roles: readers },
      schema: {
        tags: ['sharing'],
        summary: 'Data-sharing agreements, newest first, by agency and status',
        description:
          "Administrators and supervisors read every agreement; a partner agency user its own agency's only (none without an agency).",
        querystring: AgreementQuery,
        response: { 200: Type.Object({ agreements: Type.Array(Agreement) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const rows = await listAgreements(db, actor, request.query);
      return { agreements: rows.map((a) => present(a, actor)) };
    },
  );

  r.get(
    '/api/sharing/agreements/:id',
    {
      config: { roles: readers },
      schema: {
        tags: ['sharing'],
        summary: 'One data-sharing agreement (a partner agency user: its own agency’s only)',
        params: IdParams,
        response: { 200: Agreement, 404: ErrorBody },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const found = await readAgreement(db, actor, request.params.id);
      if (!found) throw new HttpError('agreement_not_found', `no agreement ${request.params.id}`);
      return present(found, actor);
    },
  );

  r.post(
    '/api/sharing/agreements',
    {
      config: { roles: [Role.Administrator] },
      schema: {
        tags: ['sharing'],
        summary:
          'Draft a data-sharing agreement (a draft until a second official approves it; on the ledger)',
        body: AgreementBody,
        response: { 201: Agreement, 422: ErrorBody },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const b = request.body;
      const terms: AgreementTerms = {
        ...b,
        filters: { hsPrefixes: [], procedures: [], offices: [], declarationTypes: [], ...b.filters },
        webhookUrl: b.webhookUrl ?? null,
      };
      const drafted = unwrap(await draftAgreement(db, terms, actor.username, context()));
      return reply.status(201).send(present(drafted, actor));
    },
  );

  r.patch(
    '/api/sharing/agreements/:id',
    {
      config: { roles: [Role.Administrator] },
      schema: {
        tags: ['sharing'],
        summary: "Change a draft's terms (its drafter only; on the ledger)",
        params: IdParams,
        body: AgreementPatch,
        response: { 200: Agreement, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { filters, ...rest } = request.body;
      const change: Partial<AgreementTerms> = {
        ...rest,
        ...(filters
          ? {
              filters: {
                hsPrefixes: filters.hsPrefixes ?? [],
                procedures: filters.procedures ?? [],
                offices: filters.offices ?? [],
                declarationTypes: filters.declarationTypes ?? [],
              },
            }
          : {}),
      };
      const edited = unwrap(await editDraft(db, request.params.id, change, actor.username, context()));
      return present(edited, actor);
    },
  );

  r.post(
    '/api/sharing/agreements/:id/approve',
    {
      config: { roles: officials },
      schema: {
        tags: ['sharing'],
        summary: 'Approve a draft as reviewed: it becomes active (not by its drafter; on the ledger)',
        description:
          'The body names the terms approved by the termsDigest read with the agreement: if the draft changed since, 409 agreement_changed. Of two concurrent decisions one wins and the other is refused 409; four-eyes refusals are 403 four_eyes.',
        params: IdParams,
        body: ApprovalBody,
        response: { 200: Agreement, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const approved = unwrap(await decideAgreement(db, request.params.id, 'approve', actor, request.body));
      return present(approved, actor);
    },
  );

  for (const { decision, summary, reason } of decisions) {
    r.post(
      `/api/sharing/agreements/:id/${decision}`,
      {
        config: { roles: officials },
        schema: {
          tags: ['sharing'],
          summary: `${summary} (on the ledger)`,
          description:
            'One conditional change: of two concurrent decisions one wins and the other is refused 409; four-eyes refusals are 403 four_eyes.',
          params: IdParams,
          body: ReasonBody(reason),
          response: { 200: Agreement, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const decided = unwrap(
          await decideAgreement(db, request.params.id, decision, actor, {
            reason: request.body.reason ?? null,
          }),
        );
        return present(decided, actor);
      },
    );
  }
}
