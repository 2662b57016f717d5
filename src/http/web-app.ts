/**
 * Serves the web application (web/, built by `npm run build` into web/dist) at `/`: files by path
 * under the build folder, hashed assets cached for good, and index.html for every other page path
 * so that the application can route in the browser. The pages are public; their data is not.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { HttpError } from './errors.ts';

/** The built application: web/dist, or CLEARWAY_WEB_DIST to serve a build kept elsewhere. */
export const webDist = path.resolve(
  process.env.CLEARWAY_WEB_DIST ?? path.resolve(import.meta.dirname, '../../web/dist'),
);

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export async function webAppRoutes(app: FastifyInstance, opts: { root?: string } = {}) {
  const root = opts.root ?? webDist;
  const index = await readFile(path.join(root, 'index.html')).catch(() => null);

  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    // the router has decoded the path once already; a `%` left over is a URL encoded twice or
    // not meant for this application, and no file or page has one in its path
    const wanted = (request.params as { '*': string })['*'] ?? '';
    if (wanted.includes('%'))
      throw new HttpError('invalid_request', `the path /${wanted} does not decode to a page or a file`);
    // the API and the public data (/open/...) answer in JSON, never with the page
    if (wanted.startsWith('api/') || wanted.startsWith('open/'))
      return reply.status(404).send({ error: 'not_found', message: 'no such route' });
    const file = path.resolve(root, wanted);
    if (wanted !== '' && file.startsWith(root + path.sep)) {
      const body = await readFile(file).catch(() => null);
      if (body) {
        const immutable = wanted.startsWith('assets/');
        return reply
          .header('content-type', types[path.extname(file)] ?? 'application/octet-stream')
          .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
          .send(body);
      }
      if (path.extname(wanted) !== '')
        return reply.status(404).send({ error: 'not_found', message: 'no such file' });
    }
    if (!index) {
      return reply
        .status(503)
        .header('content-type', 'text/plain; charset=utf-8')
        .send('The web application is not built: run `npm run build`.');
    }
    return reply.header('content-type', types['.html']).header('cache-control', 'no-cache').send(index);
  });
}
