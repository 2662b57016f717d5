/**
 * The public routes (/open/...): published releases and their files, without signing in. A
 * published release never changes, so its files are served with their SHA-256 as ETag and cached
 * for a year; the list of releases is revalidated.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createHash } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { HttpError } from '../http/errors.ts';
import { findPublished, listReleases, releaseFile, releaseFileList, type Release } from './releases.ts';
import { OpenFileParams, OpenReleaseParams } from './schema.ts';

const immutable = 'public, max-age=31536000, immutable';
const revalidate = 'public, max-age=60, must-revalidate';

/** Sends `body` with its ETag, or 304 when the caller already holds it. */
function cached(
  request: FastifyRequest,
  reply: FastifyReply,
  etag: string,
  cacheControl: string,
  type: string,
  body: string | Buffer,
) {
  const tag = `"${etag}"`;
  reply.header('etag', tag).header('cache-control', cacheControl);
  const held = request.headers['if-none-match'];
  if (held && held.split(',').some((t) => t.trim().replace(/^W\//, '') === tag))
    return reply.status(304).send();
  return reply.type(type).send(body);
}

const base = (r: Release) => `/open/releases/${r.name}/${r.version}`;

function summaryOf(r: Release) {
  return {
    name: r.name,
    version: r.version,
    periodFrom: r.periodFrom,
    periodTo: r.periodTo,
    currency: r.currency,
    publishedAt: r.publishedAt,
    corrects: r.corrects,
    correctionNote: r.correctionNote,
    parameters: r.parameters,
    url: base(r),
    datapackage: `${base(r)}/datapackage.json`,
  };
}

export async function openRoutes(app: FastifyInstance, opts: { db: Database }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/open/releases',
    {
      config: { public: true },
      schema: {
        tags: ['open-data'],
        summary: 'The published releases of trade statistics, newest first',
      },
    },
    async (request, reply) => {
      const releases = (await listReleases(opts.db, true)).map(summaryOf);
      const body = JSON.stringify({ releases });
      const etag = createHash('sha256').update(body).digest('hex');
      return cached(request, reply, etag, revalidate, 'application/json; charset=utf-8', body);
    },
  );

  r.get(
    '/open/releases/:name/:version',
    {
      config: { public: true },
      schema: {
        tags: ['open-data'],
        summary:
          "A published release: its files with checksums, the signed manifest, the signature and the administration's public key",
        params: OpenReleaseParams,
      },
    },
    async (request, reply) => {
      const release = await findPublished(opts.db, request.params.name, request.params.version);
      if (!release)
        throw new HttpError(
          'release_not_found',
          `no published release ${request.params.name} version ${request.params.version}`,
        );
      const files = (await releaseFileList(opts.db, release.id)).map((f) => ({
        ...f,
        url: `${base(release)}/${f.name}`,
      }));
      const body = JSON.stringify({
        ...summaryOf(release),
        files,
        manifest: release.manifest,
        signature: {
          algorithm: 'Ed25519',
          value: release.signature,
          keyId: release.keyId,
          publicKey: release.publicKey,
        },
      });
      const etag = createHash('sha256').update(body).digest('hex');
      return cached(request, reply, etag, immutable, 'application/json; charset=utf-8', body);
    },
  );

  r.get(
    '/open/releases/:name/:version/:file',
    {
      config: { public: true },
      schema: {
        tags: ['open-data'],
        summary:
          'One file of a published release: a table as CSV, JSON or SDMX-CSV, datapackage.json, methodology.md',
        params: OpenFileParams,
      },
    },
    async (request, reply) => {
      const { name, version, file } = request.params;
      const release = await findPublished(opts.db, name, version);
      const stored = release ? await releaseFile(opts.db, release.id, file) : null;
      if (!stored) throw new HttpError('not_found', `release ${name} version ${version} has no file ${file}`);
      const type = stored.mediaType.startsWith('text/')
        ? `${stored.mediaType}; charset=utf-8`
        : stored.mediaType;
      return cached(request, reply, stored.sha256, immutable, type, Buffer.from(stored.content));
    },
  );
}
