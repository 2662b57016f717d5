/**
 * The set-up of HTTP tests of work at a customs office, as browserSuite is for the browser's: a
 * fresh database, a user of each role, the file's own users by name, the real server; and the
 * requests such tests start from (a declaration the trader lodges, work on the red lane).
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Role } from '../governance/roles.ts';
import type { NewUser } from '../governance/users.ts';
import {
  aDeclaration,
  createRoleUsers,
  createUserToken,
  openTestContext,
  startTestServer,
  type StorageTarget,
  type TestContext,
  type TestServer,
} from './harness.ts';

/** A value a suite's `before` hook opens, once it is open. */
export function opened<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`the suite's ${name} is not open yet: use it in a hook or a test`);
  return value;
}

export type Response = Awaited<ReturnType<TestServer['request']>>;

/** A declaration as lodging answers it (201). */
export type Lodged = Record<string, unknown> & { id: number; status: string; lane: string };

/** What an API suite gives its tests and its file's own `before` hooks. */
export interface ApiSuite<U extends string> {
  readonly ctx: TestContext;
  readonly server: TestServer;
  /** An API token of each role's user (createRoleUsers: the officer and supervisor work at office 030). */
  readonly tokens: Record<Role, string>;
  /** The API token of one of the file's own users, by the name the file gave it. */
  user(name: U): string;
  /** A request with `token` and a JSON `body`. */
  call(token: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<Response>;
  /** The trader lodges aDeclaration(overrides): refused unless 201. */
  lodge(overrides?: Record<string, unknown>): Promise<Lodged>;
  /** A declaration lodged by the trader and on the red lane (the supervisor reroutes it there unless the engine put it there). */
  redWork(): Promise<number>;
}

/**
 * Called in a `describe`: registers a `before` hook that opens a fresh database on `target` (with
 * `env` as configuration), makes a
 * user of each role and the file's `users` (without passwords; testPassword), and starts the server,
 * and an `after` hook that closes them again. The file's own `before` hooks, registered after this
 * call, run once all of it is open.
 */
export function apiSuite<U extends string = never>(
  target: StorageTarget,
  users: { readonly [name in U]: Omit<NewUser, 'password'> },
  env: Record<string, string> = {},
): ApiSuite<U> {
  let ctx: TestContext | undefined;
  let server: TestServer | undefined;
  let tokens: Record<Role, string> | undefined;
  const made = new Map<string, string>();
  before(async () => {
    ctx = await openTestContext(target, env);
    tokens = await createRoleUsers(ctx);
    for (const [name, user] of Object.entries<Omit<NewUser, 'password'>>(users)) {
      // a partner agency user belongs to a registered agency: the file's agency users get theirs
      if (user.role === 'partner_agency' && user.partyId)
        await ctx.db.query(
          `INSERT INTO agencies (code, name, contact, created_by) VALUES ($1, $1, 'desk@agency.example', 'test')
           ON CONFLICT (code) DO NOTHING`,
          [user.partyId],
        );
      made.set(name, await createUserToken(ctx, user));
    }
    server = await startTestServer(ctx);
  });
  after(async () => {
    await server?.close();
    await ctx?.dispose();
  });
  const call: ApiSuite<U>['call'] = (token, method, path, body) =>
    opened(server, 'server').request(method, path, { token, body });
  const lodge: ApiSuite<U>['lodge'] = async (overrides = {}) => {
    const res = await call(
      opened(tokens, 'tokens').trader,
      'POST',
      '/api/declarations',
      aDeclaration(overrides),
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const { id, status, lane } = res.body;
    assert.ok(typeof id === 'number' && typeof status === 'string' && typeof lane === 'string');
    return { ...res.body, id, status, lane };
  };
  return {
    get ctx() {
      return opened(ctx, 'context');
    },
    get server() {
      return opened(server, 'server');
    },
    get tokens() {
      return opened(tokens, 'tokens');
    },
    user(name) {
      return opened(made.get(name), `user ${name}`);
    },
    call,
    lodge,
    async redWork() {
      const d = await lodge();
      if (d.lane !== 'red') {
        const moved = await call(
          opened(tokens, 'tokens').supervisor,
          'POST',
          `/api/declarations/${d.id}/reroute`,
          {
            lane: 'red',
            reason: 'intelligence on the consignee',
          },
        );
        assert.equal(moved.status, 200, JSON.stringify(moved.body));
      }
      return d.id;
    },
  };
}
