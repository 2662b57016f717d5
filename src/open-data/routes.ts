/**
 * The release routes of analysts and supervisors (/api/open-data/releases...): prepare, look at the
 * suppression pattern, approve or reject (four-eyes), publish. Each release says what the caller may
 * do next.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Database } from '../db/database.ts';
import type { LedgerSigner } from '../governance/ledger/signing.ts';
import { Role, type Actor } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError } from '../http/errors.ts';
import { defaultParameters } from './parameters.ts';
import {
  decideRelease,
  findRelease,
  listReleases,
  prepareRelease,
  publishRelease,
  releaseCells,
  ReleaseStatus,
  type Release,
  type ReleaseError,
} from './releases.ts';
import { CellsQuery, DecisionBody, PrepareBody, ReleaseIdParams } from './schema.ts';
import type { Result } from '../shared/result.ts';

export interface ReleaseRouteOptions {
  db: Database;
  signer: () => Promise<LedgerSigner>;
  agency: string;
}

const releaseRoles = [Role.RiskAnalyst, Role.Supervisor];

/** What the caller may do next with a release. */
export function allowedOn(r: Release, actor: Actor): string[] {
  if (actor.role !== Role.Supervisor) return [];
  if (r.status === ReleaseStatus.Prepared && r.preparedBy !== actor.username) return ['approve', 'reject'];
  if (r.status === ReleaseStatus.Approved) return ['publish'];
  return [];
}

const present = (r: Release, actor: Actor) => ({ ...r, allowed: allowedOn(r, actor) });

function unwrap<T>(result: Result<T, ReleaseError>): T {
  if (!result.ok) throw new HttpError(result.error.code, result.error.message);
  return result.value;
}

export async function releaseRoutes(app: FastifyInstance, opts: ReleaseRouteOptions) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const load = async (id: number) => {
    const release = await findRelease(opts.db, id);
    if (!release) throw new HttpError('release_not_found', `no release ${id}`);
    return release;
  };

  r.get(
    '/api/open-data/releases',
    {
      config: { roles: releaseRoles },
      schema: { tags: ['open-data'], summary: 'Every release of public trade statistics, newest first' },
    },
    async (request) => {
      const actor = actorOf(request);
      return { releases: (await listReleases(opts.db, false)).map((x) => present(x, actor)) };
    },
  );

  r.post(
    '/api/open-data/releases',
    {
      config: { roles: [Role.RiskAnalyst] },
      schema: {
        tags: ['open-data'],
        summary: 'Prepare a release: tables, primary and secondary suppression',
        body: PrepareBody,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const body = request.body;
      const prepared = unwrap(
        await prepareRelease(
          opts.db,
          { ...body, parameters: body.parameters ?? defaultParameters },
          actor.username,
        ),
      );
      return reply.status(201).send(present(prepared, actor));
    },
  );

  r.get(
    '/api/open-data/releases/:id',
    {
      config: { roles: releaseRoles },
      schema: { tags: ['open-data'], summary: 'A release with its tables', params: ReleaseIdParams },
    },
    async (request) => {
      const release = await load(request.params.id);
      const tables = await opts.db.query<{ name: string; cells: number; primary: number; secondary: number }>(
        `SELECT table_name AS name, count(*)::int AS cells, count(*) FILTER (WHERE status = 'primary')::int AS primary,
           count(*) FILTER (WHERE status = 'secondary')::int AS secondary
         FROM open_release_cells WHERE release_id = $1 GROUP BY table_name ORDER BY table_name`,
        [release.id],
      );
      return { ...present(release, actorOf(request)), tables };
    },
  );

  r.get(
    '/api/open-data/releases/:id/cells',
    {
      config: { roles: releaseRoles },
      schema: {
        tags: ['open-data'],
        summary:
          "One table's cells with their values, traders and suppression (primary, secondary), for checking",
        params: ReleaseIdParams,
        querystring: CellsQuery,
      },
    },
    async (request) => {
      const release = await load(request.params.id);
      const cells = await releaseCells(opts.db, release.id, request.query.table);
      if (cells.length === 0)
        throw new HttpError('not_found', `release ${release.id} has no table ${request.query.table}`);
      return { table: request.query.table, cells };
    },
  );

  for (const decision of ['approve', 'reject'] as const)
    r.post(
      `/api/open-data/releases/:id/${decision}`,
      {
        config: { roles: [Role.Supervisor] },
        schema: {
          tags: ['open-data'],
          summary: `${decision === 'approve' ? 'Approve' : 'Reject'} a prepared release (not by the person who prepared it)`,
          params: ReleaseIdParams,
          body: DecisionBody,
        },
      },
      async (request) => {
        const actor = actorOf(request);
        await load(request.params.id);
        const decided = await decideRelease(
          opts.db,
          request.params.id,
          decision,
          actor.username,
          request.body.note?.trim() || null,
        );
        return present(unwrap(decided), actor);
      },
    );

  r.post(
    '/api/open-data/releases/:id/publish',
    {
      config: { roles: [Role.Supervisor] },
      schema: {
        tags: ['open-data'],
        summary: 'Publish an approved release: files, checksums and signature, never changed after',
        params: ReleaseIdParams,
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await load(request.params.id);
      const published = await publishRelease(
        opts.db,
        request.params.id,
        actor.username,
        await opts.signer(),
        opts.agency,
      );
      return present(unwrap(published), actor);
    },
  );
}
