/**
 * What a user's credentials may do, over HTTP: API tokens (made with a lifetime, listed without
 * their secrets, revoked by their owner or an administrator) and disabling or enabling a user.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError, sendError } from '../http/errors.ts';
import { setUserDisabled } from './account-status.ts';
import { Role, type Actor } from './roles.ts';
import { createApiToken, listApiTokens, revokeApiToken, type TokenLifetime } from './tokens.ts';
import { findUserByName } from './users.ts';

const administrators = [Role.Administrator] as const;
const Username = Type.Object({ username: Type.String({ maxLength: 64 }) });
const tokenId = Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 });

export async function accessRoutes(
  app: FastifyInstance,
  opts: { db: Database; tokenLifetime: TokenLifetime },
) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, tokenLifetime } = opts;
  const NewToken = Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 100 }),
      days: Type.Optional(
        Type.Integer({
          minimum: 1,
          maximum: tokenLifetime.maxDays,
          description: `lifetime in days (default ${tokenLifetime.defaultDays})`,
        }),
      ),
    },
    { additionalProperties: false },
  );
  const userNamed = async (username: string): Promise<Actor> => {
    const user = await findUserByName(db, username);
    if (!user) throw new HttpError('user_not_found', `no user named ${username}`);
    return user;
  };

  r.post(
    '/api/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an API token for yourself; it is shown once',
        body: NewToken,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const made = await createApiToken(
        db,
        { owner: actor, ...request.body, by: actor, parent: actor.viaToken },
        tokenLifetime,
      );
      if (!made.ok) return sendError(reply, made.error);
      const { token, id, expiresAt } = made.value;
      return reply.status(201).send({ token, id, name: request.body.name, expiresAt });
    },
  );

  r.get(
    '/api/auth/tokens',
    { schema: { tags: ['auth'], summary: 'Your API tokens, without their secrets' } },
    async (request) => ({ tokens: await listApiTokens(db, actorOf(request).userId) }),
  );

  r.post(
    '/api/auth/tokens/:id/revoke',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke one of your API tokens; it stops working at once',
        params: Type.Object({ id: tokenId }),
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const revoked = await revokeApiToken(db, actor, request.params.id, actor.username);
      return revoked.ok ? { token: revoked.value } : sendError(reply, revoked.error);
    },
  );

  r.post(
    '/api/users/:username/tokens',
    {
      config: { roles: administrators },
      schema: {
        tags: ['users'],
        summary:
          "Create an API token for another user (e.g. a trader's system); it is shown once. It acts as that user, so it is refused for officials and recorded in the ledger as impersonation",
        params: Username,
        body: NewToken,
      },
    },
    async (request, reply) => {
      const owner = await userNamed(request.params.username);
      const by = actorOf(request);
      const made = await createApiToken(
        db,
        { owner, ...request.body, by, parent: by.viaToken },
        tokenLifetime,
      );
      if (!made.ok) return sendError(reply, made.error);
      const { token, id, expiresAt } = made.value;
      return reply
        .status(201)
        .send({ token, id, name: request.body.name, username: owner.username, expiresAt });
    },
  );

  r.get(
    '/api/users/:username/tokens',
    {
      config: { roles: administrators },
      schema: { tags: ['users'], summary: "A user's API tokens, without their secrets", params: Username },
    },
    async (request) => {
      const owner = await userNamed(request.params.username);
      return { username: owner.username, tokens: await listApiTokens(db, owner.userId) };
    },
  );

  r.post(
    '/api/users/:username/tokens/:id/revoke',
    {
      config: { roles: administrators },
      schema: {
        tags: ['users'],
        summary: "Revoke one of a user's API tokens; it stops working at once",
        params: Type.Object({ username: Type.String({ maxLength: 64 }), id: tokenId }),
      },
    },
    async (request, reply) => {
      const owner = await userNamed(request.params.username);
      const revoked = await revokeApiToken(db, owner, request.params.id, actorOf(request).username);
      return revoked.ok ? { token: revoked.value } : sendError(reply, revoked.error);
    },
  );

  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    r.post(
      `/api/users/:username/${verb}`,
      {
        config: { roles: administrators },
        schema: {
          tags: ['users'],
          summary: disabled
            ? 'Disable a user: its sessions end and its API tokens are revoked at once'
            : 'Enable a disabled user: it may sign in again (its revoked tokens stay revoked)',
          params: Username,
        },
      },
      async (request, reply) => {
        const changed = await setUserDisabled(
          db,
          request.params.username,
          disabled,
          actorOf(request).username,
        );
        return changed.ok ? { user: changed.value } : sendError(reply, changed.error);
      },
    );
  }
}
