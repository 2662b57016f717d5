/**
 * The authorization matrix: every route against every role, through the real HTTP server, plus
 * authentication failures, public routes and scoping of declarations by trader.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { Role, roles } from '../governance/roles.ts';
import {
  aDeclaration,
  anItem,
  createRoleUsers,
  createUserToken,
  openTestContext,
  otherOffice,
  otherTrader,
  startTestServer,
  storageTargets,
  testDeclarant,
  testOffice,
  testPassword,
  testTrader,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { clearwayCsv } from '../testing/clearway-csv.ts';

type Body = Record<string, unknown>;

/** What a route's call needs from the running suite. */
interface Fixture {
  /** A declaration lodged by the trader before the suite, for reads. */
  sharedId: number;
  /** A document the trader attached to the shared declaration, for reads. */
  documentId: number;
  /** Lodges a fresh declaration as the trader, for calls that change state. */
  lodge(): Promise<{ id: number; body: Body }>;
  /** Lodges a fresh declaration that the officer then controls, for corrections. */
  controlled(): Promise<number>;
  /** Lodges a fresh declaration and takes these clearance steps first (as the officer or the trader). */
  staged(steps: ['officer' | 'trader', string, unknown][]): Promise<number>;
  /** A fresh trader user (disabled if asked) and the id of its API token. */
  newUser(disabled?: boolean): Promise<{ username: string; tokenId: number }>;
}

interface Call {
  path: string;
  body?: unknown;
  /** A body sent as it is (a CSV file), with the headers that describe it. */
  raw?: string;
  headers?: Record<string, string>;
}

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** What the caller tries to do, to complete "a trader may ...". */
  does: string;
  /** The roles in the route's `config.roles`; every role when the route declares none. */
  allowed: readonly Role[];
  /** The status of a successful call. */
  ok: number;
  /** A call that succeeds for an allowed role. */
  call(f: Fixture): Promise<Call>;
}

const everyone = roles;
const lodgers = [Role.Trader, Role.Declarant];
const readers = [Role.Trader, Role.Declarant, Role.Officer, Role.Supervisor, Role.RiskAnalyst, Role.Auditor];
const cancellers = [Role.Trader, Role.Declarant, Role.Supervisor];
const administrators = [Role.Administrator];
const priceReaders = [Role.Officer, Role.Supervisor, Role.RiskAnalyst, Role.Auditor];
const analysts = [Role.RiskAnalyst];
const officials = [Role.Officer, Role.Supervisor, Role.RiskAnalyst, Role.Auditor, Role.Administrator];
const controllers = [Role.Officer, Role.Supervisor];
const importReaders = [Role.Trader, Role.Declarant, Role.Supervisor, Role.Auditor];
const auditors = [Role.Auditor];

let serial = 0;
const uniqueName = (prefix: string) => `${prefix}-${process.pid}-${++serial}`;
const at = (path: string, body?: unknown) => async (): Promise<Call> => ({ path, body });

const routes: Route[] = [
  {
    method: 'POST',
    path: '/api/declarations',
    does: 'lodge a declaration',
    allowed: lodgers,
    ok: 201,
    call: async () => ({ path: '/api/declarations', body: aDeclaration() }),
  },
  {
    method: 'POST',
    path: '/api/declarations/validate',
    does: 'check a draft declaration',
    allowed: lodgers,
    ok: 200,
    call: async () => ({ path: '/api/declarations/validate', body: aDeclaration() }),
  },
  {
    method: 'POST',
    path: '/api/declarations/batch',
    does: 'lodge a batch of declarations',
    allowed: lodgers,
    ok: 200,
    call: async () => ({ path: '/api/declarations/batch', body: { declarations: [aDeclaration()] } }),
  },
  {
    method: 'GET',
    path: '/api/declarations',
    does: 'list declarations',
    allowed: readers,
    ok: 200,
    call: at('/api/declarations'),
  },
  {
    method: 'GET',
    path: '/api/declarations/:id',
    does: 'read a declaration',
    allowed: readers,
    ok: 200,
    call: async (f) => ({ path: `/api/declarations/${f.sharedId}` }),
  },
  {
    method: 'GET',
    path: '/api/declarations/:id/events',
    does: 'read the history of a declaration',
    allowed: readers,
    ok: 200,
    call: async (f) => ({ path: `/api/declarations/${f.sharedId}/events` }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/amend',
    does: 'amend a declaration',
    allowed: lodgers,
    ok: 200,
    call: async (f) => {
      const { id, body } = await f.lodge();
      return {
        path: `/api/declarations/${id}/amend`,
        body: { declaration: { ...body, invoiceTotal: 1300, items: [anItem({ value: 1300 })] } },
      };
    },
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/cancel',
    does: 'cancel a declaration',
    allowed: cancellers,
    ok: 200,
    call: async (f) => ({
      path: `/api/declarations/${(await f.lodge()).id}/cancel`,
      body: { reason: 'lodged by mistake' },
    }),
  },
  {
    method: 'POST',
    path: '/api/imports',
    does: 'upload a file of declarations',
    allowed: lodgers,
    ok: 202,
    call: async () => ({
      path: '/api/imports?format=clearway',
      raw: clearwayCsv([]),
      headers: { 'content-type': 'text/csv' },
    }),
  },
  {
    method: 'GET',
    path: '/api/imports',
    does: 'list uploaded files',
    allowed: importReaders,
    ok: 200,
    call: at('/api/imports'),
  },
  {
    method: 'GET',
    path: '/api/imports/:id',
    does: 'follow an uploaded file',
    allowed: importReaders,
    ok: 404, // no import has this id: allowed, but nothing to read
    call: at('/api/imports/999999'),
  },
  {
    method: 'GET',
    path: '/api/imports/:id/rejects',
    does: 'read the rejected rows of an uploaded file',
    allowed: importReaders,
    ok: 404, // no import has this id: allowed, but nothing to read
    call: at('/api/imports/999999/rejects'),
  },
  {
    method: 'GET',
    path: '/api/catalog',
    does: 'read the data dictionary',
    allowed: everyone,
    ok: 200,
    call: at('/api/catalog'),
  },
  {
    method: 'GET',
    path: '/api/reference/hs/:code',
    does: 'look up an HS code',
    allowed: everyone,
    ok: 200,
    call: at('/api/reference/hs/8517?date=2026-03-02'),
  },
  {
    method: 'GET',
    path: '/api/reference/:list',
    does: 'search a code list',
    allowed: everyone,
    ok: 200,
    call: at('/api/reference/hs?q=glass&date=2026-03-02'),
  },
  {
    method: 'GET',
    path: '/api/offices',
    does: 'list the customs offices',
    allowed: everyone,
    ok: 200,
    call: at('/api/offices'),
  },
  {
    method: 'POST',
    path: '/api/offices',
    does: 'add a customs office',
    allowed: administrators,
    ok: 201,
    call: async () => ({
      path: '/api/offices',
      body: { code: `T${process.pid % 1000}X${++serial}`, name: 'Test office', country: 'KR' },
    }),
  },
  {
    method: 'PATCH',
    path: '/api/offices/:code',
    does: 'change a customs office',
    allowed: administrators,
    ok: 200,
    call: at('/api/offices/062', { name: 'KCS office 062 (demo: sea cargo)' }),
  },
  {
    method: 'GET',
    path: '/api/auth/me',
    does: 'ask who is signed in',
    allowed: everyone,
    ok: 200,
    call: at('/api/auth/me'),
  },
  {
    method: 'POST',
    path: '/api/auth/logout',
    does: 'sign out',
    allowed: everyone,
    ok: 200,
    call: at('/api/auth/logout'),
  },
  {
    method: 'POST',
    path: '/api/auth/tokens',
    does: 'create an API token for itself',
    allowed: everyone,
    ok: 201,
    call: at('/api/auth/tokens', { name: 'ci' }),
  },
  {
    method: 'GET',
    path: '/api/users',
    does: 'list users',
    allowed: administrators,
    ok: 200,
    call: at('/api/users'),
  },
  {
    method: 'POST',
    path: '/api/users',
    does: 'create a user',
    allowed: administrators,
    ok: 201,
    call: async () => ({
      path: '/api/users',
      body: { username: uniqueName('auditor'), password: testPassword, role: Role.Auditor },
    }),
  },
  {
    method: 'POST',
    path: '/api/users/:username/tokens',
    does: 'create an API token for another user',
    allowed: administrators,
    ok: 201,
    call: at('/api/users/trader/tokens', { name: 'ci' }),
  },
  {
    method: 'GET',
    path: '/api/auth/tokens',
    does: 'list its API tokens',
    allowed: everyone,
    ok: 200,
    call: at('/api/auth/tokens'),
  },
  {
    method: 'POST',
    path: '/api/auth/tokens/:id/revoke',
    does: 'revoke one of its API tokens',
    allowed: everyone,
    ok: 404, // a token that is not the caller's: allowed, but not found
    call: async (f) => ({ path: `/api/auth/tokens/${(await f.newUser()).tokenId}/revoke` }),
  },
  {
    method: 'GET',
    path: '/api/users/:username/tokens',
    does: "list a user's API tokens",
    allowed: administrators,
    ok: 200,
    call: at('/api/users/trader/tokens'),
  },
  {
    method: 'POST',
    path: '/api/users/:username/tokens/:id/revoke',
    does: "revoke a user's API token",
    allowed: administrators,
    ok: 200,
    call: async (f) => {
      const { username, tokenId } = await f.newUser();
      return { path: `/api/users/${username}/tokens/${tokenId}/revoke` };
    },
  },
  {
    method: 'POST',
    path: '/api/users/:username/disable',
    does: 'disable a user',
    allowed: administrators,
    ok: 200,
    call: async (f) => ({ path: `/api/users/${(await f.newUser()).username}/disable` }),
  },
  {
    method: 'POST',
    path: '/api/users/:username/enable',
    does: 'enable a disabled user',
    allowed: administrators,
    ok: 200,
    call: async (f) => ({ path: `/api/users/${(await f.newUser(true)).username}/enable` }),
  },
  {
    method: 'PATCH',
    path: '/api/users/:username',
    does: "change a user's role",
    allowed: administrators,
    ok: 200,
    call: async (f) => ({
      path: `/api/users/${(await f.newUser()).username}`,
      body: { partyId: 'T-CHANGED' },
    }),
  },
  {
    method: 'PUT',
    path: '/api/users/:username/offices',
    does: 'set the customs offices of an officer',
    allowed: administrators,
    ok: 200,
    call: at('/api/users/officer-020/offices', { offices: [otherOffice] }),
  },
  {
    method: 'GET',
    path: '/metrics',
    does: 'scrape metrics',
    allowed: administrators,
    ok: 200,
    call: at('/metrics'),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/control-results',
    does: 'record a control result',
    allowed: controllers,
    ok: 201,
    call: async (f) => ({
      path: `/api/declarations/${(await f.lodge()).id}/control-results`,
      body: { outcome: 'compliant' },
    }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/control-results/correct',
    does: 'correct a control result',
    allowed: [Role.Supervisor],
    ok: 201,
    call: async (f) => ({
      path: `/api/declarations/${await f.controlled()}/control-results/correct`,
      body: { outcome: 'non_compliant', irregularity: 'quantity', reason: 'recount at the warehouse' },
    }),
  },
  {
    method: 'GET',
    path: '/api/declarations/:id/control-results',
    does: 'read the control results of a declaration',
    allowed: readers,
    ok: 200,
    call: async (f) => ({ path: `/api/declarations/${f.sharedId}/control-results` }),
  },
  {
    method: 'GET',
    path: '/api/declarations/:id/clearance',
    does: 'read the clearance of a declaration',
    allowed: readers,
    ok: 200,
    call: async (f) => ({ path: `/api/declarations/${f.sharedId}/clearance` }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/arrival',
    does: 'report the arrival of the goods',
    allowed: [...lodgers, ...controllers],
    ok: 200,
    call: async (f) => ({ path: `/api/declarations/${(await f.lodge()).id}/arrival`, body: {} }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/documents/request',
    does: 'request documents',
    allowed: controllers,
    ok: 200,
    call: async (f) => ({
      path: `/api/declarations/${(await f.lodge()).id}/documents/request`,
      body: { documents: ['invoice'] },
    }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/documents/provide',
    does: 'provide the documents requested',
    allowed: lodgers,
    ok: 200,
    call: async (f) => ({
      path: `/api/declarations/${await f.staged([['officer', 'documents/request', {}]])}/documents/provide`,
      body: {},
    }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/documents/check',
    does: 'check the documents provided',
    allowed: controllers,
    ok: 200,
    call: async (f) => ({
      path: `/api/declarations/${await f.staged([
        ['officer', 'documents/request', {}],
        ['trader', 'documents/provide', {}],
      ])}/documents/check`,
      body: { outcome: 'satisfactory' },
    }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/inspection/schedule',
    does: 'schedule an inspection',
    allowed: controllers,
    ok: 200,
    call: async (f) => ({
      path: `/api/declarations/${(await f.lodge()).id}/inspection/schedule`,
      body: { plannedAt: '2026-03-03T09:00:00Z', place: 'Bay 1' },
    }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/inspection/start',
    does: 'start an inspection',
    allowed: controllers,
    ok: 200,
    call: async (f) => ({
      path: `/api/declarations/${await f.staged([
        ['officer', 'inspection/schedule', { plannedAt: '2026-03-03T09:00:00Z', place: 'Bay 1' }],
      ])}/inspection/start`,
      body: {},
    }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/inspection/complete',
    does: 'complete an inspection',
    allowed: controllers,
    ok: 200,
    call: async (f) => ({
      path: `/api/declarations/${await f.staged([
        ['officer', 'inspection/schedule', { plannedAt: '2026-03-03T09:00:00Z', place: 'Bay 1' }],
        ['officer', 'inspection/start', {}],
      ])}/inspection/complete`,
      body: { note: 'as declared' },
    }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/payments',
    does: 'record a payment of duty',
    allowed: controllers,
    ok: 200,
    call: async (f) => ({
      path: `/api/declarations/${(await f.lodge()).id}/payments`,
      body: { amount: 10, currency: 'USD', reference: 'RCPT-1' },
    }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/guarantees',
    does: 'record a guarantee for duty',
    allowed: controllers,
    ok: 200,
    call: async (f) => ({
      path: `/api/declarations/${(await f.lodge()).id}/guarantees`,
      body: { amount: 10, currency: 'USD', reference: 'G-1' },
    }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/release',
    does: 'release the goods',
    allowed: controllers,
    ok: 200,
    // detained, its duty paid: released by an officer
    call: async (f) => ({
      path: `/api/declarations/${await f.staged([
        ['officer', 'detain', { reason: 'held for sampling' }],
        ['officer', 'payments', { amount: 96, currency: 'USD', reference: 'RCPT-2' }],
      ])}/release`,
      body: {},
    }),
  },
  ...(['detain', 'seize', 'refuse'] as const).map((action): Route => ({
    method: 'POST',
    path: `/api/declarations/:id/${action}`,
    does: `${action} the goods`,
    allowed: controllers,
    ok: 200,
    call: async (f) => ({
      path: `/api/declarations/${(await f.lodge()).id}/${action}`,
      body: { reason: 'held for a reason' },
    }),
  })),
  {
    method: 'GET',
    path: '/api/clearance/times',
    does: 'read the Time Release Study',
    allowed: readers,
    ok: 200,
    call: at('/api/clearance/times'),
  },
  {
    method: 'GET',
    path: '/api/clearance/waiting',
    does: 'see what waits at each stage of clearance',
    allowed: [Role.Supervisor],
    ok: 200,
    call: at('/api/clearance/waiting'),
  },
  {
    method: 'GET',
    path: '/api/worklist',
    does: 'read the worklist of an office',
    allowed: [Role.Officer, Role.Supervisor, Role.RiskAnalyst],
    ok: 200,
    call: at('/api/worklist?office=030'),
  },
  {
    method: 'GET',
    path: '/api/worklist/queues',
    does: 'read the queues per office',
    allowed: [Role.Supervisor, Role.RiskAnalyst],
    ok: 200,
    call: at('/api/worklist/queues'),
  },
  {
    method: 'GET',
    path: '/api/worklist/officers',
    does: 'see the officers who can be given work',
    allowed: [Role.Supervisor],
    ok: 200,
    call: at('/api/worklist/officers?office=030'),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/take',
    does: 'take open work',
    allowed: controllers,
    ok: 200,
    call: async (f) => ({ path: `/api/declarations/${(await f.lodge()).id}/take` }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/assign',
    does: 'assign work to an officer',
    allowed: [Role.Supervisor],
    ok: 200,
    call: async (f) => ({
      path: `/api/declarations/${(await f.lodge()).id}/assign`,
      body: { officer: 'officer' },
    }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/reroute',
    does: 'move work to another lane',
    allowed: [Role.Supervisor],
    ok: 200,
    call: async (f) => {
      const { id } = await f.lodge();
      return { path: `/api/declarations/${id}/reroute`, body: { lane: 'red', reason: 'intelligence' } };
    },
  },
  {
    method: 'GET',
    path: '/api/declarations/:id/assessment',
    does: 'read the risk assessment of a declaration',
    allowed: [Role.Officer, Role.Supervisor, Role.RiskAnalyst, Role.Auditor],
    ok: 200,
    call: async (f) => ({ path: `/api/declarations/${f.sharedId}/assessment` }),
  },
  {
    method: 'POST',
    path: '/api/risk/assess-pending',
    does: 'assess the declarations that have no lane',
    allowed: analysts,
    ok: 200,
    call: at('/api/risk/assess-pending'),
  },
  {
    method: 'GET',
    path: '/api/risk/performance',
    does: 'read the performance of selectivity',
    allowed: [Role.RiskAnalyst, Role.Supervisor, Role.Auditor],
    ok: 200,
    call: at('/api/risk/performance?period=month'),
  },
  {
    method: 'GET',
    path: '/api/stats/declarations',
    does: 'read the statistics of declarations',
    allowed: readers,
    ok: 200,
    call: at('/api/stats/declarations?period=month&by=office'),
  },
  {
    method: 'GET',
    path: '/api/stats/quality',
    does: 'read the data-quality statistics',
    allowed: readers,
    ok: 200,
    call: at('/api/stats/quality?period=week&by=field'),
  },
  {
    method: 'GET',
    path: '/api/quality/scores',
    does: 'read the data-quality scores',
    allowed: readers,
    ok: 200,
    call: at('/api/quality/scores?period=month&by=trader'),
  },
  {
    method: 'GET',
    path: '/api/quality/traders/:id',
    does: "read a trader's data-quality scorecard",
    allowed: readers,
    ok: 200,
    call: at('/api/quality/traders/TRADER-A?period=month'),
  },
  {
    method: 'GET',
    path: '/api/quality/fields/:path',
    does: "read a field's data-quality scores",
    allowed: readers,
    ok: 200,
    call: at(`/api/quality/fields/${encodeURIComponent('items[].hsCode')}?period=week`),
  },
  {
    method: 'GET',
    path: '/api/risk/models',
    does: 'list the risk model versions',
    allowed: [Role.RiskAnalyst, Role.Supervisor, Role.Auditor],
    ok: 200,
    call: at('/api/risk/models'),
  },
  {
    method: 'POST',
    path: '/api/risk/models/:id/activate',
    does: 'activate a risk model version',
    allowed: analysts,
    ok: 404, // the fixture has no model versions: allowed, but nothing to activate
    call: at('/api/risk/models/12345/activate'),
  },
  {
    method: 'POST',
    path: '/api/classification/suggest',
    does: 'suggest HS codes for a goods description',
    allowed: [
      Role.Trader,
      Role.Declarant,
      Role.Officer,
      Role.Supervisor,
      Role.RiskAnalyst,
      Role.Auditor,
      Role.Administrator,
    ],
    ok: 409, // the fixture has no active classification model: allowed, but nothing to answer with
    call: at('/api/classification/suggest', { description: 'frozen shrimp' }),
  },
  {
    method: 'GET',
    path: '/api/classification/models',
    does: 'list the classification model versions',
    allowed: [Role.RiskAnalyst, Role.Supervisor, Role.Auditor],
    ok: 200,
    call: at('/api/classification/models'),
  },
  {
    method: 'POST',
    path: '/api/classification/models/:id/activate',
    does: 'activate a classification model version',
    allowed: analysts,
    ok: 404, // the fixture has no classification model versions
    call: at('/api/classification/models/12345/activate'),
  },
  {
    method: 'GET',
    path: '/api/risk/profiles',
    does: 'list rule profiles',
    allowed: [Role.RiskAnalyst, Role.Supervisor, Role.Auditor],
    ok: 200,
    call: at('/api/risk/profiles'),
  },
  {
    method: 'GET',
    path: '/api/risk/profiles/fields',
    does: 'read what a rule profile may test',
    allowed: [Role.RiskAnalyst, Role.Supervisor, Role.Auditor],
    ok: 200,
    call: at('/api/risk/profiles/fields'),
  },
  {
    method: 'GET',
    path: '/api/risk/profiles/:id',
    does: 'read a rule profile',
    allowed: [Role.RiskAnalyst, Role.Supervisor, Role.Auditor],
    ok: 404, // the fixture has no profiles: allowed, but nothing to read
    call: at('/api/risk/profiles/12345'),
  },
  {
    method: 'POST',
    path: '/api/risk/profiles',
    does: 'write a rule profile',
    allowed: analysts,
    ok: 201,
    call: at('/api/risk/profiles', {
      code: 'MATRIX',
      name: 'matrix',
      lane: 'yellow',
      weight: 10,
      reason: 'test',
      validFrom: '2026-01-01',
      conditions: [{ field: 'trader', op: 'eq', value: 'T' }],
    }),
  },
  ...(['submit', 'approve', 'reject', 'retire'] as const).map((verb): Route => ({
    method: 'POST',
    path: `/api/risk/profiles/:id/${verb}`,
    does: `${verb} a rule profile`,
    allowed: analysts,
    ok: 404, // no such profile version: allowed, but nothing to act on
    call: at(`/api/risk/profiles/12345/${verb}`),
  })),
  {
    method: 'GET',
    path: '/api/risk/prices',
    does: 'browse the price reference',
    allowed: priceReaders,
    ok: 200,
    call: at('/api/risk/prices?hs=85'),
  },
  {
    method: 'GET',
    path: '/api/risk/prices/:hs6',
    does: 'look up a price reference',
    allowed: priceReaders,
    ok: 404, // the fixture has too few declarations for statistics: allowed, but nothing to find
    call: at('/api/risk/prices/851713?currency=USD'),
  },
  {
    method: 'POST',
    path: '/api/risk/prices/recompute',
    does: 'recompute the price reference',
    allowed: analysts,
    ok: 200,
    call: at('/api/risk/prices/recompute'),
  },
  {
    method: 'PUT',
    path: '/api/risk/prices/overrides',
    does: 'set price bounds',
    allowed: analysts,
    ok: 200,
    call: at('/api/risk/prices/overrides', {
      hs6: '851713',
      currency: 'USD',
      min: 5,
      reason: 'market survey',
    }),
  },
  {
    method: 'DELETE',
    path: '/api/risk/prices/overrides/:hs6',
    does: 'remove price bounds',
    allowed: analysts,
    ok: 404, // no override exists for this code: allowed, but nothing to remove
    call: at('/api/risk/prices/overrides/999999?currency=USD'),
  },
  {
    method: 'GET',
    path: '/api/ledger',
    does: 'read the ledger',
    allowed: auditors,
    ok: 200,
    call: at('/api/ledger?after=0&limit=5'),
  },
  {
    method: 'GET',
    path: '/api/ledger/verify',
    does: 'verify the ledger',
    allowed: auditors,
    ok: 200,
    call: at('/api/ledger/verify'),
  },
  {
    method: 'GET',
    path: '/api/ledger/checkpoints',
    does: 'list the ledger checkpoints',
    allowed: auditors,
    ok: 200,
    call: at('/api/ledger/checkpoints'),
  },
  {
    method: 'GET',
    path: '/api/ledger/checkpoints/:id',
    does: 'export a ledger checkpoint',
    allowed: auditors,
    ok: 404, // no checkpoint has been made in this suite: allowed, but nothing to export
    call: at('/api/ledger/checkpoints/1'),
  },
  {
    method: 'GET',
    path: '/api/retention/policies',
    does: 'read the retention policies',
    allowed: [Role.Supervisor, Role.Auditor, Role.Administrator],
    ok: 200,
    call: at('/api/retention/policies'),
  },
  {
    method: 'PUT',
    path: '/api/retention/policies/:dataClass',
    does: 'set a retention policy',
    allowed: administrators,
    ok: 200,
    call: at('/api/retention/policies/sessions', { keep: '30d' }),
  },
  {
    method: 'GET',
    path: '/api/retention/holds',
    does: 'list the legal holds',
    allowed: officials,
    ok: 200,
    call: at('/api/retention/holds'),
  },
  {
    method: 'GET',
    path: '/api/retention/runs',
    does: 'list the archival runs',
    allowed: [Role.Auditor, Role.Administrator],
    ok: 200,
    call: at('/api/retention/runs'),
  },
  {
    method: 'POST',
    path: '/api/retention/archive',
    does: 'run the archival job',
    allowed: administrators,
    ok: 200,
    call: at('/api/retention/archive'),
  },
  {
    method: 'GET',
    path: '/api/declarations/:id/legal-hold',
    does: "see a declaration's legal hold",
    allowed: officials,
    ok: 200,
    call: async (f) => ({ path: `/api/declarations/${f.sharedId}/legal-hold` }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/legal-hold',
    does: 'put a declaration under legal hold',
    allowed: [Role.Supervisor, Role.Administrator],
    ok: 201,
    call: async (f) => ({
      path: `/api/declarations/${(await f.lodge()).id}/legal-hold`,
      body: { reason: 'case 2026/5' },
    }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/legal-hold/release',
    does: 'release a legal hold',
    allowed: [Role.Supervisor, Role.Administrator],
    ok: 409, // the fresh declaration is not held: allowed, but nothing to release
    call: async (f) => ({
      path: `/api/declarations/${(await f.lodge()).id}/legal-hold/release`,
      body: { reason: 'case closed' },
    }),
  },
  {
    method: 'GET',
    path: '/api/exports/analytics',
    does: 'download the pseudonymised analytics export',
    allowed: [Role.RiskAnalyst, Role.PartnerAgency],
    ok: 200,
    call: at('/api/exports/analytics?from=2026-01-01&to=2026-01-02'),
  },
  {
    method: 'GET',
    path: '/api/exchange/partners',
    does: 'see the partner administrations',
    allowed: administrators,
    ok: 200,
    call: at('/api/exchange/partners'),
  },
  {
    method: 'POST',
    path: '/api/exchange/partners',
    does: "propose a partner administration's registration",
    allowed: administrators,
    ok: 202,
    call: at('/api/exchange/partners', {
      code: 'PP',
      name: 'Customs PP',
      endpoint: 'https://customs.example/api/exchange/inbox',
      publicKey: generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      messageTypes: ['export_declarations'],
      agreementRef: 'MoU 1',
      validFrom: '2026-01-01',
    }),
  },
  {
    method: 'POST',
    path: '/api/exchange/partners/:code/confirm',
    does: "confirm a partner administration's registration",
    allowed: administrators,
    ok: 404, // allowed, but nothing proposed for this code
    call: at('/api/exchange/partners/QQ/confirm', { digest: '0'.repeat(64) }),
  },
  {
    method: 'GET',
    path: '/api/exchange/outbox',
    does: 'see the messages to partner administrations',
    allowed: administrators,
    ok: 200,
    call: at('/api/exchange/outbox'),
  },
  {
    method: 'POST',
    path: '/api/exchange/outbox/:id/retry',
    does: 'send a failed message to a partner again',
    allowed: administrators,
    ok: 404, // allowed, but no such message
    call: at('/api/exchange/outbox/00000000-0000-4000-8000-000000000000/retry'),
  },
  {
    method: 'GET',
    path: '/api/exchange/inbox',
    does: 'see the messages from partner administrations',
    allowed: administrators,
    ok: 200,
    call: at('/api/exchange/inbox'),
  },
  {
    method: 'GET',
    path: '/api/declarations/:id/mirror',
    does: "see the partners' export records matched to a declaration",
    allowed: priceReaders,
    ok: 200,
    call: async (f) => ({ path: `/api/declarations/${f.sharedId}/mirror` }),
  },
  {
    method: 'GET',
    path: '/api/exchange/mirror-statistics',
    does: 'see the mirror statistics',
    allowed: [Role.RiskAnalyst, Role.Administrator],
    ok: 200,
    call: at('/api/exchange/mirror-statistics?from=2026-01&to=2026-12'),
  },
  {
    method: 'POST',
    path: '/api/sharing/findings',
    does: 'send customs what its agency found on a declaration',
    allowed: [Role.PartnerAgency],
    ok: 403, // allowed, but the role's user belongs to no agency
    call: async (f) => ({
      path: '/api/sharing/findings',
      body: { declarationId: f.sharedId, kind: 'other', severity: 'low', text: 'seen' },
    }),
  },
  {
    method: 'GET',
    path: '/api/sharing/findings',
    does: 'see agency findings',
    allowed: [...officials, Role.PartnerAgency],
    ok: 200,
    call: at('/api/sharing/findings?kind=sanitary_hold'),
  },
  {
    method: 'GET',
    path: '/api/declarations/:id/agency-findings',
    does: 'see what partner agencies found on a declaration',
    allowed: readers,
    ok: 200,
    call: async (f) => ({ path: `/api/declarations/${f.sharedId}/agency-findings` }),
  },
  {
    method: 'POST',
    path: '/api/declarations/:id/documents',
    does: 'attach a commercial document to a declaration',
    allowed: lodgers,
    ok: 201,
    call: async (f) => ({
      path: `/api/declarations/${(await f.lodge()).id}/documents?kind=invoice&filename=invoice.txt`,
      raw: 'Invoice INV-7 total 1200 USD\n',
      headers: { 'content-type': 'text/plain' },
    }),
  },
  {
    method: 'GET',
    path: '/api/declarations/:id/documents',
    does: "list a declaration's documents",
    allowed: readers,
    ok: 200,
    call: async (f) => ({ path: `/api/declarations/${f.sharedId}/documents` }),
  },
  {
    method: 'GET',
    path: '/api/documents/:id',
    does: 'read what a document is',
    allowed: readers,
    ok: 200,
    call: async (f) => ({ path: `/api/documents/${f.documentId}` }),
  },
  {
    method: 'GET',
    path: '/api/documents/:id/content',
    does: "download a document's bytes",
    allowed: readers,
    ok: 200,
    call: async (f) => ({ path: `/api/documents/${f.documentId}/content` }),
  },
  ...monitoringRoutes(),
  ...openDataRoutes(),
  ...sharingRoutes(),
  ...sharingFeedRoutes(),
  ...webhookRoutes(),
];

/** Data sharing: administrators keep the agencies and draft agreements, a second official decides. */
function sharingRoutes(): Route[] {
  const officials = [Role.Administrator, Role.Supervisor];
  // allowed, but there is no agreement 12345
  const decide = (decision: string): Route => ({
    method: 'POST',
    path: `/api/sharing/agreements/:id/${decision}`,
    does: `${decision} a data-sharing agreement`,
    allowed: officials,
    ok: 404,
    call: at(`/api/sharing/agreements/12345/${decision}`, {
      reason: 'checked',
      ...(decision === 'approve' ? { termsDigest: 'a'.repeat(64) } : {}),
    }),
  });
  return [
    {
      method: 'GET',
      path: '/api/sharing/agencies',
      does: 'see the partner agencies',
      allowed: officials,
      ok: 200,
      call: at('/api/sharing/agencies'),
    },
    {
      method: 'POST',
      path: '/api/sharing/agencies',
      does: 'add a partner agency',
      allowed: administrators,
      ok: 201,
      call: async () => ({
        path: '/api/sharing/agencies',
        body: { code: `AG${++serial}`, name: 'Agency', contact: 'desk@agency.example' },
      }),
    },
    {
      method: 'PATCH',
      path: '/api/sharing/agencies/:code',
      does: 'change a partner agency',
      allowed: administrators,
      ok: 404, // allowed, but there is no agency NONE
      call: at('/api/sharing/agencies/NONE', { name: 'Agency' }),
    },
    {
      method: 'GET',
      path: '/api/sharing/agreements',
      does: 'read data-sharing agreements',
      allowed: [...officials, Role.PartnerAgency],
      ok: 200,
      call: at('/api/sharing/agreements'),
    },
    {
      method: 'GET',
      path: '/api/sharing/agreements/:id',
      does: 'read a data-sharing agreement',
      allowed: [...officials, Role.PartnerAgency],
      ok: 404,
      call: at('/api/sharing/agreements/12345'),
    },
    {
      method: 'POST',
      path: '/api/sharing/agreements',
      does: 'draft a data-sharing agreement',
      allowed: administrators,
      ok: 422, // allowed, but there is no agency NONE
      call: at('/api/sharing/agreements', {
        agency: 'NONE',
        purpose: 'Controls',
        legalBasis: 'Act',
        fields: ['items[].hsCode'],
        level: 'aggregated',
        delivery: 'feed',
        validFrom: '2027-01-01',
        validTo: '2027-12-31',
      }),
    },
    {
      method: 'PATCH',
      path: '/api/sharing/agreements/:id',
      does: 'edit a draft data-sharing agreement',
      allowed: administrators,
      ok: 404,
      call: at('/api/sharing/agreements/12345', { purpose: 'Controls' }),
    },
    ...['approve', 'reject', 'suspend', 'resume', 'revoke'].map(decide),
  ];
}

/** Data sharing: partner agencies read their feed; the fixture's partner agency user belongs to no agency. */
function sharingFeedRoutes(): Route[] {
  const read = (path: string, does: string, allowed: readonly Role[], ok = 200, call = path): Route => ({
    method: 'GET',
    path,
    does,
    allowed,
    ok,
    call: at(call),
  });
  return [
    read('/api/sharing/feed', "read the partner agencies' feed", [Role.PartnerAgency]),
    read('/api/sharing/feed/agreements', "see its agency's agreements in force", [Role.PartnerAgency]),
    // allowed, but an agency user of no agency has no agreement 12345
    read(
      '/api/sharing/aggregates',
      "read an aggregated agreement's figures",
      [Role.PartnerAgency],
      404,
      '/api/sharing/aggregates?agreement=12345',
    ),
    read('/api/sharing/access-log', 'read the sharing access log', [
      Role.PartnerAgency,
      Role.Administrator,
      Role.Supervisor,
      Role.Auditor,
    ]),
    read('/api/sharing/recipients', 'see which agencies received its declarations', lodgers),
    {
      method: 'GET',
      path: '/api/declarations/:id/recipients',
      does: 'see which agencies received a declaration',
      allowed: readers,
      ok: 200,
      call: async (f) => ({ path: `/api/declarations/${f.sharedId}/recipients` }),
    },
  ];
}

/** Pushed deliveries: agencies read, replay and hold the secret; officials read every agency's messages. */
function webhookRoutes(): Route[] {
  const message = 'msg_aaaaaaaaaaaaaaaaaaaaaaaaaa';
  return [
    {
      method: 'GET',
      path: '/api/sharing/webhooks/messages',
      does: 'read pushed deliveries',
      allowed: [Role.PartnerAgency, Role.Administrator, Role.Supervisor, Role.Auditor],
      ok: 200,
      call: at('/api/sharing/webhooks/messages'),
    },
    {
      method: 'GET',
      path: '/api/sharing/webhooks/messages/:id',
      does: 'read one pushed message',
      allowed: [Role.PartnerAgency, Role.Administrator],
      ok: 404, // allowed, but there is no such message
      call: at(`/api/sharing/webhooks/messages/${message}`),
    },
    {
      method: 'POST',
      path: '/api/sharing/webhooks/messages/:id/replay',
      does: 'send a pushed message again',
      allowed: [Role.PartnerAgency, Role.Administrator],
      ok: 404,
      call: at(`/api/sharing/webhooks/messages/${message}/replay`),
    },
    {
      method: 'POST',
      path: '/api/sharing/webhooks/replay',
      does: "send an agreement's pushed messages again",
      allowed: [Role.PartnerAgency, Role.Administrator],
      ok: 404, // allowed, but there is no agreement 12345
      call: at('/api/sharing/webhooks/replay', { agreement: 12345, since: '2026-01-01T00:00:00Z' }),
    },
    {
      method: 'GET',
      path: '/api/sharing/agreements/:id/webhook-secret',
      does: "read an agreement's webhook secret",
      allowed: [Role.PartnerAgency],
      ok: 404,
      call: at('/api/sharing/agreements/12345/webhook-secret'),
    },
    {
      method: 'POST',
      path: '/api/sharing/agreements/:id/webhook-secret/rotate',
      does: "rotate an agreement's webhook secret",
      allowed: [Role.PartnerAgency],
      ok: 404,
      call: at('/api/sharing/agreements/12345/webhook-secret/rotate'),
    },
  ];
}

/** Releases of public trade statistics: risk analysts prepare, supervisors decide and publish. */
function openDataRoutes(): Route[] {
  const releaseReaders = [Role.RiskAnalyst, Role.Supervisor];
  // allowed, but there is no release 12345
  const missing = (
    method: 'GET' | 'POST',
    path: string,
    does: string,
    allowed: readonly Role[],
    body?: unknown,
  ): Route => ({
    method,
    path,
    does,
    allowed,
    ok: 404,
    call: at(
      path.replace(':id', '12345') + (path.endsWith('/cells') ? '?table=imports-2026-10-4000' : ''),
      body,
    ),
  });
  return [
    {
      method: 'GET',
      path: '/api/open-data/releases',
      does: 'list the releases of trade statistics',
      allowed: releaseReaders,
      ok: 200,
      call: at('/api/open-data/releases'),
    },
    {
      method: 'POST',
      path: '/api/open-data/releases',
      does: 'prepare a release of trade statistics',
      allowed: analysts,
      ok: 201,
      // a month of its own for each call, so no earlier preparation is still waiting
      call: async () => ({
        path: '/api/open-data/releases',
        body: { from: `${1990 + (++serial % 900)}-01`, to: `${1990 + (serial % 900)}-01`, currency: 'USD' },
      }),
    },
    missing('GET', '/api/open-data/releases/:id', 'read a release of trade statistics', releaseReaders),
    missing(
      'GET',
      '/api/open-data/releases/:id/cells',
      "check a release's suppression pattern",
      releaseReaders,
    ),
    missing(
      'POST',
      '/api/open-data/releases/:id/approve',
      'approve a release of trade statistics',
      [Role.Supervisor],
      {},
    ),
    missing(
      'POST',
      '/api/open-data/releases/:id/reject',
      'reject a release of trade statistics',
      [Role.Supervisor],
      {},
    ),
    missing('POST', '/api/open-data/releases/:id/publish', 'publish a release of trade statistics', [
      Role.Supervisor,
    ]),
  ];
}

/** Trade monitoring: risk analysts act, supervisors and auditors read; the fixture has no alert. */
function monitoringRoutes(): Route[] {
  const monitors = [Role.RiskAnalyst, Role.Supervisor, Role.Auditor];
  const read = (path: string, does: string, ok: number, call = path): Route => ({
    method: 'GET',
    path,
    does,
    allowed: monitors,
    ok,
    call: at(call),
  });
  const act = (action: string, does: string, body?: unknown): Route => ({
    method: 'POST',
    path: `/api/monitoring/alerts/:id/${action}`,
    does,
    allowed: analysts,
    ok: 404, // allowed, but there is no alert 12345
    call: at(`/api/monitoring/alerts/12345/${action}`, body),
  });
  return [
    read('/api/monitoring/series', 'list the monitored series', 200),
    // no run yet: allowed, but nothing forecast
    read('/api/monitoring/series/:key', 'read a monitored series', 404, '/api/monitoring/series/total'),
    read('/api/monitoring/alerts', 'read the monitoring alerts', 200),
    act('acknowledge', 'acknowledge a monitoring alert', { reason: 'seen' }),
    act('dismiss', 'dismiss a monitoring alert', { reason: 'not a risk' }),
    act('profile', 'draft a profile from a monitoring alert'),
    {
      method: 'POST',
      path: '/api/monitoring/runs',
      does: 'start a monitoring run',
      allowed: analysts,
      ok: 201,
      call: at('/api/monitoring/runs', {}),
    },
  ];
}

const publicRoutes = [
  'GET /health',
  'POST /api/auth/login',
  'GET /api/ledger/public-key',
  'GET /api/exchange/public-key',
  'GET /open/releases',
  'GET /open/releases/:name/:version',
  'GET /open/releases/:name/:version/:file',
];
/** Called by partner administrations: authenticated by the message's signature, not by a user. */
const partnerSignedRoutes = ['POST /api/exchange/inbox'];

const who: Record<Role, string> = {
  [Role.Trader]: 'a trader',
  [Role.Declarant]: 'a declarant',
  [Role.Officer]: 'an officer',
  [Role.Supervisor]: 'a supervisor',
  [Role.RiskAnalyst]: 'a risk analyst',
  [Role.PartnerAgency]: 'a partner agency',
  [Role.Auditor]: 'an auditor',
  [Role.Administrator]: 'an administrator',
};

function idOf(body: Body): number {
  const id = body.id;
  assert.ok(typeof id === 'number', `expected a declaration id in ${JSON.stringify(body)}`);
  return id;
}

function listedIds(body: Body): unknown[] {
  const items: unknown[] = Array.isArray(body.items) ? body.items : [];
  return items.map((item) =>
    typeof item === 'object' && item !== null && 'id' in item ? item.id : undefined,
  );
}

for (const target of storageTargets()) {
  describe(`authorization on ${target}`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let otherTraderToken: string;
    let elsewhere: { officer: string; supervisor: string; bothOffices: string; otherDeclarant: string };
    let fixture: Fixture;

    before(async () => {
      ctx = await openTestContext(target, { CLEARWAY_PSEUDONYM_KEY: 'ab'.repeat(32) });
      tokens = await createRoleUsers(ctx);
      otherTraderToken = await createUserToken(ctx, {
        username: 'trader-b',
        role: Role.Trader,
        partyId: otherTrader,
      });
      // a second office and a second declarant of TRADER-A
      elsewhere = {
        officer: await createUserToken(ctx, {
          username: 'officer-020',
          role: Role.Officer,
          offices: [otherOffice],
        }),
        supervisor: await createUserToken(ctx, {
          username: 'supervisor-020',
          role: Role.Supervisor,
          offices: [otherOffice],
        }),
        bothOffices: await createUserToken(ctx, {
          username: 'supervisor-both',
          role: Role.Supervisor,
          offices: [otherOffice, testOffice],
        }),
        otherDeclarant: await createUserToken(ctx, {
          username: 'declarant-b',
          role: Role.Declarant,
          partyId: 'BROKER-B',
          represents: [testTrader],
        }),
      };
      server = await startTestServer(ctx);
      const lodge = async () => {
        const body = aDeclaration();
        const response = await server.request('POST', '/api/declarations', { token: tokens.trader, body });
        assert.equal(response.status, 201, JSON.stringify(response.body));
        return { id: idOf(response.body), body };
      };
      const newUser = async (disabled = false) => {
        const username = uniqueName('system');
        await createUserToken(ctx, { username, role: Role.Trader, partyId: otherTrader });
        const [made] = await ctx.db.query<{ tokenId: number }>(
          `UPDATE users u SET disabled = $2 FROM api_tokens t
           WHERE u.username = $1 AND t.user_id = u.id RETURNING t.id AS "tokenId"`,
          [username, disabled],
        );
        assert.ok(made, `no token for ${username}`);
        return { username, tokenId: made.tokenId };
      };
      const controlled = async () => {
        const { id } = await lodge();
        const response = await server.request('POST', `/api/declarations/${id}/control-results`, {
          token: tokens.officer,
          body: { outcome: 'compliant' },
        });
        assert.equal(response.status, 201, JSON.stringify(response.body));
        return id;
      };
      const staged = async (steps: ['officer' | 'trader', string, unknown][]) => {
        const { id } = await lodge();
        for (const [who, path, body] of steps) {
          const response = await server.request('POST', `/api/declarations/${id}/${path}`, {
            token: who === 'officer' ? tokens.officer : tokens.trader,
            body,
          });
          assert.equal(response.status, 200, JSON.stringify(response.body));
        }
        return id;
      };
      const sharedId = (await lodge()).id;
      const attached = await server.request(
        'POST',
        `/api/declarations/${sharedId}/documents?kind=invoice&filename=a.txt`,
        {
          token: tokens.trader,
          raw: 'Invoice INV-1 total 1200 USD\n',
          headers: { 'content-type': 'text/plain' },
        },
      );
      assert.equal(attached.status, 201, JSON.stringify(attached.body));
      fixture = { sharedId, documentId: idOf(attached.body), lodge, controlled, staged, newUser };
    });

    after(async () => {
      await server?.close();
      await ctx?.dispose();
    });

    describe('who may call each route', () => {
      for (const route of routes) {
        for (const role of roles) {
          const allowed = route.allowed.includes(role);
          test(`${who[role]} ${allowed ? 'may' : 'may not'} ${route.does} (${route.method} ${route.path})`, async () => {
            const call = await route.call(fixture);
            const response = await server.request(route.method, call.path, {
              token: tokens[role],
              body: call.body,
              raw: call.raw,
              headers: call.headers,
            });
            if (allowed) {
              assert.equal(response.status, route.ok, JSON.stringify(response.body));
            } else {
              assert.equal(response.status, 403, JSON.stringify(response.body));
              assert.equal(response.body.error, 'forbidden');
            }
          });
        }
      }

      test('the table covers every route the server documents', async () => {
        const response = await server.request('GET', '/api/openapi.json');
        const paths = response.body.paths;
        assert.ok(typeof paths === 'object' && paths !== null);
        const documented = Object.entries(paths).flatMap(([p, operations]) =>
          Object.keys(operations ?? {}).map(
            (method) => `${method.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`,
          ),
        );
        const covered = [
          ...routes.map((r) => `${r.method} ${r.path}`),
          ...publicRoutes,
          ...partnerSignedRoutes,
        ];
        assert.deepEqual(documented.toSorted(), covered.toSorted());
      });

      test("the only routes reached without signing in are the public ones and the partners' inbox", async () => {
        const response = await server.request('GET', '/api/openapi.json');
        const paths = response.body.paths as Record<string, Record<string, { security?: unknown[] }>>;
        const open = Object.entries(paths).flatMap(([p, operations]) =>
          Object.entries(operations)
            .filter(([, operation]) => Array.isArray(operation.security) && operation.security.length === 0)
            .map(([method]) => `${method.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
        );
        assert.deepEqual(open.toSorted(), [...publicRoutes, ...partnerSignedRoutes].toSorted());
      });

      test("the partners' inbox without a signed message is refused, and lets no user in", async () => {
        const unsigned = await server.request('POST', '/api/exchange/inbox', { body: {} });
        assert.equal(unsigned.status, 400);
        assert.equal(unsigned.body.error, 'invalid_request');
        const listed = await server.request('GET', '/api/exchange/inbox');
        assert.equal(listed.status, 401);
      });

      test('a role that may not call a route is refused before its body is checked', async () => {
        const response = await server.request('POST', '/api/users', {
          token: tokens.trader,
          body: { unknown: true },
        });
        assert.equal(response.status, 403);
        assert.equal(response.body.error, 'forbidden');
      });
    });

    describe('callers without valid credentials', () => {
      for (const route of routes) {
        test(`${route.method} ${route.path} without credentials is refused as unauthenticated`, async () => {
          const call = await route.call(fixture);
          const response = await server.request(route.method, call.path, {
            body: call.body,
            raw: call.raw,
            headers: call.headers,
          });
          assert.equal(response.status, 401, JSON.stringify(response.body));
          assert.equal(response.body.error, 'unauthenticated');
        });
      }

      const badHeaders = [
        ['a token without the cw_ prefix', 'Bearer not-a-clearway-token-at-all'],
        ['a token that is too short', 'Bearer cw_short'],
        ['an unknown token', `Bearer cw_${'A'.repeat(43)}`],
        ['a Basic header', 'Basic dHJhZGVyOmNvcnJlY3QgaG9yc2UgYmF0dGVyeQ=='],
        ['a bearer header with no token', 'Bearer '],
      ] as const;
      for (const [what, authorization] of badHeaders) {
        test(`a caller with ${what} is refused as unauthenticated`, async () => {
          const response = await server.request('GET', '/api/auth/me', { headers: { authorization } });
          assert.equal(response.status, 401, JSON.stringify(response.body));
          assert.equal(response.body.error, 'unauthenticated');
        });
      }

      test('a caller without credentials is refused before its body is checked', async () => {
        const response = await server.request('POST', '/api/declarations', { body: { unknown: true } });
        assert.equal(response.status, 401);
        assert.equal(response.body.error, 'unauthenticated');
      });
    });

    describe('public routes', () => {
      test('the health check answers without credentials', async () => {
        const response = await server.request('GET', '/health');
        assert.equal(response.status, 200);
        assert.deepEqual(response.body, { status: 'ok', database: ctx.db.kind });
      });

      test('the OpenAPI document is served without credentials', async () => {
        const response = await server.request('GET', '/api/openapi.json');
        assert.equal(response.status, 200);
        assert.equal(response.body.openapi, '3.1.0');
      });

      test('signing in with a password sets a session cookie that authenticates', async () => {
        const login = await server.request('POST', '/api/auth/login', {
          body: { username: 'auditor', password: testPassword },
        });
        assert.equal(login.status, 200, JSON.stringify(login.body));
        const cookie = login.headers.get('set-cookie')?.split(';')[0];
        assert.match(cookie ?? '', /^cw_session=.+/);
        const me = await server.request('GET', '/api/auth/me', { headers: { cookie: cookie ?? '' } });
        assert.equal(me.status, 200);
        assert.deepEqual(me.body.user, login.body.user);
      });

      test('signing in with a wrong password is refused', async () => {
        const response = await server.request('POST', '/api/auth/login', {
          body: { username: 'auditor', password: 'not the password' },
        });
        assert.equal(response.status, 401);
        assert.equal(response.body.error, 'invalid_credentials');
      });
    });

    describe('work is done at the offices of the official, and changed by the parties of record', () => {
      /** A declaration of TRADER-A lodged by BROKER-A at office 030, and a call on it. */
      const onFresh = async () => {
        const { id, body } = await fixture.lodge();
        const seen = await server.request('GET', `/api/declarations/${id}`, { token: tokens.supervisor });
        return { id, body, lane: String(seen.body.lane) };
      };
      const actions: [verb: string, build: (d: { id: number; body: Body; lane: string }) => Call][] = [
        ['take', (d) => ({ path: `/api/declarations/${d.id}/take` })],
        ['assign', (d) => ({ path: `/api/declarations/${d.id}/assign`, body: { officer: 'officer' } })],
        [
          'reroute',
          (d) => ({
            path: `/api/declarations/${d.id}/reroute`,
            body: { lane: d.lane === 'red' ? 'yellow' : 'red', reason: 'intelligence' },
          }),
        ],
        [
          'record a control result for',
          (d) => ({ path: `/api/declarations/${d.id}/control-results`, body: { outcome: 'compliant' } }),
        ],
        ['cancel', (d) => ({ path: `/api/declarations/${d.id}/cancel`, body: { reason: 'lodged twice' } })],
      ];
      const supervisorOnly = new Set(['assign', 'reroute', 'cancel']);
      for (const [verb, build] of actions) {
        test(`a supervisor of office 020 may not ${verb} the work of office 030, and is told why`, async () => {
          const d = await onFresh();
          const call = build(d);
          const res = await server.request('POST', call.path, {
            token: elsewhere.supervisor,
            body: call.body,
          });
          assert.deepEqual(
            [res.status, res.body.error],
            [409, 'action_not_allowed'],
            JSON.stringify(res.body),
          );
          assert.equal(
            res.body.message,
            `you cannot ${verb} declaration ${d.id}: it is at office 030, and you work at office 020`,
          );
        });
        test(`an officer of office 020 may not ${verb} the work of office 030`, async () => {
          const d = await onFresh();
          const call = build(d);
          const res = await server.request('POST', call.path, { token: elsewhere.officer, body: call.body });
          assert.equal(res.status, supervisorOnly.has(verb) ? 403 : 409, JSON.stringify(res.body));
        });
        test(`a supervisor of offices 020 and 030 may ${verb} the work of office 030`, async () => {
          const d = await onFresh();
          const call = build(d);
          const res = await server.request('POST', call.path, {
            token: elsewhere.bothOffices,
            body: call.body,
          });
          assert.equal(
            res.status,
            verb === 'record a control result for' ? 201 : 200,
            JSON.stringify(res.body),
          );
        });
      }

      test('the work of office 030 offers nothing to the officials of office 020, and everything to those of 030', async () => {
        const d = await onFresh();
        const allowedTo = async (token: string) =>
          (await server.request('GET', `/api/declarations/${d.id}`, { token })).body.allowed;
        assert.deepEqual(await allowedTo(elsewhere.supervisor), []);
        assert.deepEqual(await allowedTo(elsewhere.officer), []);
        assert.deepEqual(await allowedTo(tokens.officer), ['take', 'record_control']);
        assert.ok(((await allowedTo(tokens.supervisor)) as string[]).includes('cancel'));
        assert.deepEqual(await allowedTo(tokens.risk_analyst), []);
        assert.deepEqual(await allowedTo(tokens.auditor), []);
      });

      test('a legal hold on the work of office 030 is refused to a supervisor of office 020', async () => {
        const d = await onFresh();
        const res = await server.request('POST', `/api/declarations/${d.id}/legal-hold`, {
          token: elsewhere.supervisor,
          body: { reason: 'case 2026/1' },
        });
        assert.deepEqual([res.status, res.body.error], [409, 'action_not_allowed']);
        const hold = await server.request('GET', `/api/declarations/${d.id}/legal-hold`, {
          token: elsewhere.supervisor,
        });
        assert.deepEqual(hold.body, { hold: null, allowed: [] });
      });

      const parties: [who: string, token: () => string, may: boolean][] = [
        ['the trader', () => tokens.trader, true],
        [`the declarant of record (${testDeclarant})`, () => tokens.declarant, true],
        ['another declarant of the same trader (BROKER-B)', () => elsewhere.otherDeclarant, false],
      ];
      for (const [party, token, may] of parties) {
        for (const verb of ['amend', 'cancel'] as const) {
          test(`${party} ${may ? 'may' : 'may not'} ${verb} a declaration lodged by ${testDeclarant}`, async () => {
            const d = await onFresh();
            const body =
              verb === 'cancel'
                ? { reason: 'lodged twice' }
                : { declaration: { ...d.body, invoiceTotal: 1300, items: [anItem({ value: 1300 })] } };
            const res = await server.request('POST', `/api/declarations/${d.id}/${verb}`, {
              token: token(),
              body,
            });
            if (may) assert.equal(res.status, 200, JSON.stringify(res.body));
            else {
              assert.deepEqual([res.status, res.body.error], [409, 'action_not_allowed']);
              assert.equal(
                res.body.message,
                `you cannot ${verb} declaration ${d.id}: declarant ${testDeclarant} lodged it for trader ${testTrader}, and only they may ${verb} it`,
              );
            }
          });
        }
      }
    });

    describe('declarations are scoped by trader', () => {
      const readsOfAnother = [
        ['GET', '', 'read'],
        ['GET', '/events', 'read the history of'],
        ['POST', '/cancel', 'cancel'],
      ] as const;
      for (const [method, suffix, verb] of readsOfAnother) {
        test(`a trader cannot ${verb} another trader's declaration, which looks as if it did not exist`, async () => {
          const body = method === 'POST' ? { reason: 'not mine' } : undefined;
          const response = await server.request(method, `/api/declarations/${fixture.sharedId}${suffix}`, {
            token: otherTraderToken,
            body,
          });
          assert.equal(response.status, 404, JSON.stringify(response.body));
          assert.equal(response.body.error, 'declaration_not_found');
        });
      }

      test("a trader does not see another trader's declarations in the list", async () => {
        // the page that starts at the shared declaration, whatever was lodged since
        const from = `/api/declarations?before=${fixture.sharedId + 1}`;
        const mine = await server.request('GET', from, { token: tokens.trader });
        assert.ok(listedIds(mine.body).includes(fixture.sharedId));
        const theirs = await server.request('GET', from, { token: otherTraderToken });
        assert.equal(theirs.status, 200);
        assert.ok(!listedIds(theirs.body).includes(fixture.sharedId));
      });

      test('a declarant sees the declarations of the traders it represents', async () => {
        const one = await server.request('GET', `/api/declarations/${fixture.sharedId}`, {
          token: tokens.declarant,
        });
        assert.equal(one.status, 200);
        const list = await server.request('GET', `/api/declarations?before=${fixture.sharedId + 1}`, {
          token: tokens.declarant,
        });
        assert.ok(listedIds(list.body).includes(fixture.sharedId));
      });

      const refusedLodgings = [
        [
          'a declarant may not lodge for a trader it does not represent',
          Role.Declarant,
          { trader: otherTrader },
        ],
        ['a declarant may not lodge as another declarant', Role.Declarant, { declarant: 'BROKER-B' }],
        ["a trader may not lodge with another trader's identifier", Role.Trader, { trader: otherTrader }],
      ] as const;
      for (const [name, role, overrides] of refusedLodgings) {
        test(name, async () => {
          const response = await server.request('POST', '/api/declarations', {
            token: tokens[role],
            body: aDeclaration(overrides),
          });
          assert.equal(response.status, 403, JSON.stringify(response.body));
          assert.equal(response.body.error, 'not_authorized_for_trader');
        });
      }
    });
  });
}
