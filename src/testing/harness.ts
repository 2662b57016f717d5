/**
 * Test support: a fresh database per test file on each storage target (PGlite always, PostgreSQL
 * when DATABASE_URL is set), a real HTTP server on a free port, users of every role, builders.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openAppContext, type AppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { buildApp } from '../http/app.ts';
import { Role, roles, type Actor, type Role as RoleType } from '../governance/roles.ts';
import { createUser, type NewUser } from '../governance/users.ts';
import { createApiToken } from '../governance/tokens.ts';
import { usePasswordCostForTests } from '../governance/passwords.ts';
import { seedPgliteDir } from './pglite-template.ts';

// users made by tests get cheap password hashes (N = 2^12 instead of 2^17: about 15 ms instead of 450)
usePasswordCostForTests(2 ** 12);

export type StorageTarget = 'pglite' | 'postgres';

export const storageTargets = (): StorageTarget[] =>
  process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestContext extends AppContext {
  dispose(): Promise<void>;
}

/** Opens a migrated, empty database of the given kind with reference data loaded. */
export async function openTestContext(
  target: StorageTarget,
  env: Record<string, string> = {},
): Promise<TestContext> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'clearway-test-'));
  let databaseUrl: string | undefined;
  let dropDatabase = async () => undefined as void;
  if (target === 'pglite') await seedPgliteDir(dataDir);
  if (target === 'postgres') {
    const adminUrl = process.env.DATABASE_URL;
    if (!adminUrl) throw new Error('DATABASE_URL is not set');
    const name = `clearway_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl ?? '',
    CLEARWAY_DATA_DIR: dataDir,
    CLEARWAY_DEMO: 'false',
    LOG_LEVEL: 'silent',
    // no random selection unless a test asks for it: a lane a test asserts is then the rules' own
    CLEARWAY_RANDOM_SHARE: '0',
    ...env,
  });
  const ctx = await openAppContext(config);
  return {
    ...ctx,
    async dispose() {
      await ctx.close();
      await dropDatabase();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const testPassword = 'correct horse battery';
export const testTrader = 'TRADER-A';
export const otherTrader = 'TRADER-B';
export const testDeclarant = 'BROKER-A';
/** Customs offices of the shipped list: the role users' officer and supervisor work at the first. */
export const testOffice = '030';
export const otherOffice = '020';

/**
 * One user per role (trader for TRADER-A, a declarant representing TRADER-A, officer and supervisor
 * at office 030), each with an API token.
 */
export async function createRoleUsers(ctx: AppContext): Promise<Record<RoleType, string>> {
  const tokens = {} as Record<RoleType, string>;
  for (const role of roles) {
    const extra =
      role === Role.Trader
        ? { partyId: testTrader }
        : role === Role.Declarant
          ? { partyId: testDeclarant, represents: [testTrader] }
          : role === Role.Officer || role === Role.Supervisor
            ? { offices: [testOffice] }
            : {};
    const user = await ctx.db.transaction((tx) =>
      createUser(tx, { username: role.replace('_', '-'), password: testPassword, role, ...extra }),
    );
    if (!user.ok) throw new Error(user.error.message);
    tokens[role] = await tokenFor(ctx, user.value);
  }
  return tokens;
}

/** One more user, besides those of createRoleUsers (password testPassword), and an API token for it. */
export async function createUserToken(ctx: AppContext, user: Omit<NewUser, 'password'>): Promise<string> {
  const made = await ctx.db.transaction((tx) => createUser(tx, { password: testPassword, ...user }));
  if (!made.ok) throw new Error(made.error.message);
  return tokenFor(ctx, made.value);
}

async function tokenFor(ctx: AppContext, owner: Actor): Promise<string> {
  const made = await createApiToken(ctx.db, { owner, name: 'test', by: 'system' });
  if (!made.ok) throw new Error(made.error.message);
  return made.value.token;
}

export interface TestServer {
  url: string;
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: Record<string, unknown> & { error?: string }; headers: Headers }>;
  close(): Promise<void>;
}

/** Starts the real HTTP server on a free loopback port. */
export async function startTestServer(ctx: AppContext): Promise<TestServer> {
  const app = await buildApp(ctx, { logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    async request(method, p, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.raw;
      if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const response = await fetch(address + p, { method, headers, body });
      const text = await response.text();
      let parsed: Record<string, unknown>;
      try {
        parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        parsed = { text };
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    close: () => app.close(),
  };
}

let counter = 0;

/** A valid import declaration dated in HS 2022 times, with overrides; items override as a whole. */
export function aDeclaration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  return {
    type: 'IM',
    functionalReference: `REF-${process.pid}-${counter}-${randomBytes(3).toString('hex')}`,
    date: '2026-03-02',
    office: testOffice,
    declarant: testDeclarant,
    trader: testTrader,
    seller: 'SELLER-1',
    transportMode: '4',
    dispatchCountry: 'CN',
    originCountry: 'CN',
    currency: 'USD',
    invoiceTotal: 1200,
    procedure: '4000',
    items: [anItem()],
    ...overrides,
  };
}

/**
 * A goods item that owes duty (8 % of its value): a green import of it waits for its payment, so a
 * test finds it open; one with `dutyRate: 0` is released at assessment (ADR 0025).
 */
export function anItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sequence: 1,
    hsCode: '85171300',
    description: 'smartphones, 128 GB',
    originCountry: 'CN',
    netMass: 12.5,
    grossMass: 15,
    supplementaryQuantity: 40,
    supplementaryUnit: 'NAR',
    value: 1200,
    dutyTaxType: 'A00',
    dutyRate: 8,
    packageType: 'CT',
    packageCount: 4,
    ...overrides,
  };
}
