/** Sign-in, sessions, API tokens and user administration over HTTP. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { actorOf, sessionCookie } from '../http/auth.ts';
import { sendError } from '../http/errors.ts';
import { Role, roles } from './roles.ts';
import { SignInThrottle } from './sign-in-throttle.ts';
import { changeUser } from './user-changes.ts';
import { maxOffices } from './user-offices.ts';
import { authenticatePassword, createSession, createUser, endSession, listUsers } from './users.ts';

export interface GovernanceRouteOptions {
  db: Database;
  sessionTtlHours: number;
  loginAttemptsPerMinute: number;
  /** Failed sign-ins per account in 15 minutes from addresses it has not signed in from lately. */
  loginFailuresPerAccount: number;
  secureCookies: boolean;
}

export async function governanceRoutes(app: FastifyInstance, opts: GovernanceRouteOptions) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;
  const throttle = new SignInThrottle({
    perAccountAndAddress: opts.loginAttemptsPerMinute,
    perAccount: opts.loginFailuresPerAccount,
    accountWindowMs: 15 * 60_000,
  });

  r.post(
    '/api/auth/login',
    {
      config: {
        public: true,
        // every attempt from one address, whatever the account, before the body is read: this
        // bounds the password hashing one address can cause, and is ten times what one account allows
        rateLimit: {
          max: opts.loginAttemptsPerMinute * 10,
          timeWindow: 60_000,
          keyGenerator: (req: { ip: string }) => `login:${req.ip}`,
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a username and password; sets a session cookie',
        body: Type.Object(
          { username: Type.String({ maxLength: 64 }), password: Type.String({ maxLength: 256 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const verdict = throttle.attempt(username, request.ip);
      if (!verdict.allowed)
        return sendError(reply.header('retry-after', String(verdict.retryAfterSeconds)), {
          code: 'too_many_requests',
          message: `${verdict.why}: try again in ${verdict.retryAfterSeconds} seconds`,
        });
      const actor = await authenticatePassword(db, username, password);
      if (!actor)
        return sendError(reply, { code: 'invalid_credentials', message: 'wrong username or password' });
      throttle.succeeded(username, request.ip);
      const token = await createSession(db, actor.userId, opts.sessionTtlHours);
      reply.setCookie(sessionCookie, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        // Secure when configured, or when the request came over HTTPS (directly, or through a
        // trusted proxy that says so: CLEARWAY_TRUST_PROXY)
        secure: opts.secureCookies || request.protocol === 'https',
        maxAge: opts.sessionTtlHours * 3600,
      });
      return { user: actor };
    },
  );

  r.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'End the current session' } },
    async (request, reply) => {
      const token = request.cookies[sessionCookie];
      if (token) await endSession(db, token);
      reply.clearCookie(sessionCookie, { path: '/' });
      return { signedOut: true };
    },
  );

  r.get('/api/auth/me', { schema: { tags: ['auth'], summary: 'Who is signed in' } }, async (request) => ({
    user: actorOf(request),
  }));

  r.get(
    '/api/users',
    { config: { roles: [Role.Administrator] }, schema: { tags: ['users'], summary: 'List users' } },
    async () => ({
      users: await listUsers(db),
    }),
  );

  r.post(
    '/api/users',
    {
      config: { roles: [Role.Administrator] },
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: Type.Object(
          {
            username: Type.String({ maxLength: 64 }),
            displayName: Type.Optional(Type.String({ maxLength: 200 })),
            password: Type.String({ maxLength: 256 }),
            role: Type.Union(roles.map((role) => Type.Literal(role))),
            partyId: Type.Optional(Type.String({ maxLength: 35 })),
            offices: Type.Optional(
              Type.Array(Type.String({ maxLength: 17 }), {
                maxItems: 100,
                description: 'For an officer or supervisor: the customs offices it works at',
              }),
            ),
            represents: Type.Optional(Type.Array(Type.String({ maxLength: 35 }), { maxItems: 10_000 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const result = await db.transaction((tx) => createUser(tx, request.body, actorOf(request).username));
      if (!result.ok) return sendError(reply, result.error);
      return reply.status(201).send({ user: result.value });
    },
  );

  r.patch(
    '/api/users/:username',
    {
      config: { roles: [Role.Administrator] },
      schema: {
        tags: ['users'],
        summary:
          "Change a user's role, party, customs offices or represented traders (recorded in the ledger). A change of role or party ends its sessions and revokes its API tokens",
        params: Type.Object({ username: Type.String({ maxLength: 64 }) }),
        body: Type.Object(
          {
            role: Type.Optional(Type.Union(roles.map((role) => Type.Literal(role)))),
            partyId: Type.Optional(
              Type.String({
                maxLength: 35,
                description: 'The trader a trader acts for, or a declarant code',
              }),
            ),
            offices: Type.Optional(
              Type.Array(Type.String({ maxLength: 17 }), {
                maxItems: maxOffices,
                description:
                  'For an officer or supervisor: the customs offices it works at (replacing its offices). A user whose new role works at none leaves its offices',
              }),
            ),
            represents: Type.Optional(
              Type.Array(Type.String({ maxLength: 35 }), {
                maxItems: 10_000,
                description: "For a declarant: the traders its party represents (replacing the party's list)",
              }),
            ),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
      },
    },
    async (request, reply) => {
      const result = await changeUser(db, request.params.username, request.body, actorOf(request).username);
      return result.ok ? result.value : sendError(reply, result.error);
    },
  );
}
