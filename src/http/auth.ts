/**
 * Authentication on every route (session cookie for browsers, bearer API token for machines) and
 * authorization by role, declared per route as `config: { roles: [...] }` or `config: { public: true }`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.ts';
import type { Actor, Role } from '../governance/roles.ts';
import { actorForApiToken, actorForSession } from '../governance/users.ts';
import { HttpError } from './errors.ts';

export const sessionCookie = 'cw_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
    /**
     * Called by partner administrations, not by users: the route authenticates the message's
     * signature itself (POST /api/exchange/inbox only).
     */
    signedByPartner?: boolean;
    /** Roles allowed to call the route; every signed-in user when absent. */
    roles?: readonly Role[];
  }
}

async function identify(db: Database, request: FastifyRequest): Promise<Actor | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(cw_[A-Za-z0-9_-]{20,100})$/i.exec(header);
    if (!match?.[1])
      throw new HttpError(
        'unauthenticated',
        'the Authorization header must be "Bearer cw_..." with an API token',
      );
    return actorForApiToken(db, match[1]);
  }
  const session = request.cookies[sessionCookie];
  return session && session.length <= 100 ? actorForSession(db, session) : null;
}

/** The signed-in caller of a route that is not public. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error('route reached without authentication');
  return request.actor;
}

export const authPlugin = fp(async (app: FastifyInstance, options: { db: Database }) => {
  app.decorateRequest('actor', null);
  // onRequest: callers are identified and checked before their body is read or validated
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (
      config.public ||
      config.signedByPartner ||
      request.routeOptions.url?.startsWith('/api/docs') ||
      request.routeOptions.url === undefined
    )
      return;
    const actor = await identify(options.db, request);
    if (!actor)
      throw new HttpError(
        'unauthenticated',
        'sign in, or send an API token as "Authorization: Bearer cw_..."',
      );
    request.actor = actor;
    if (config.roles && !config.roles.includes(actor.role)) {
      throw new HttpError(
        'forbidden',
        `the ${actor.role} role may not ${request.method} ${request.routeOptions.url}`,
      );
    }
  });
});
