import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Role } from '../governance/roles.ts';
import {
  aDeclaration,
  anItem,
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  testPassword,
  testTrader,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';

for (const target of storageTargets()) {
  describe(`the declarations API (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    before(async () => {
      ctx = await openTestContext(target, { CLEARWAY_BODY_LIMIT: '65536', CLEARWAY_LOGIN_RATE: '5' });
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });
    const asTrader = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      server.request(method, path, { token: tokens.trader, body, ...(headers ? { headers } : {}) });

    test('lodging a valid declaration returns 201 with its status, findings and what may be done next', async () => {
      const res = await asTrader(
        'POST',
        '/api/declarations',
        aDeclaration({ items: [anItem({ description: 'gift' })] }),
      );
      assert.equal(res.status, 201);
      assert.equal(res.body.status, 'accepted');
      assert.deepEqual(res.body.allowed, ['amend', 'cancel']);
      assert.ok(['red', 'yellow', 'blue', 'green'].includes(String(res.body.lane)), 'the lane is returned');
      assert.deepEqual(
        (res.body.findings as { code: string }[]).map((f) => f.code),
        ['vague_description'],
      );
      const events = await asTrader('GET', `/api/declarations/${res.body.id}/events`);
      assert.deepEqual(
        (events.body.events as { kind: string; actor: string }[]).map((e) => [e.kind, e.actor]),
        [
          ['lodged', 'trader'],
          ['accepted', 'trader'],
          ['assessed', 'selectivity'],
          ['duties_assessed', 'system'],
        ],
      );
    });

    test('the response to lodging is the declaration as a read of it gives, for a trader and a declarant', async () => {
      const lodged = [
        await asTrader(
          'POST',
          '/api/declarations',
          aDeclaration({
            functionalReference: 'AS-READ-1',
            invoiceTotal: 1234.5,
            items: [
              anItem({ description: 'gift', value: 234.5, netMass: 12.125, grossMass: 13.5 }),
              anItem({ sequence: 2, hsCode: '620342', originCountry: 'BD', value: 1000 }),
            ],
          }),
        ),
        await server.request('POST', '/api/declarations', {
          token: tokens.declarant,
          body: { ...aDeclaration({ functionalReference: 'AS-READ-2' }), declarant: undefined },
        }),
      ];
      for (const [k, res] of lodged.entries()) {
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const token = k === 0 ? tokens.trader : tokens.declarant;
        const read = await server.request('GET', `/api/declarations/${res.body.id}`, { token });
        assert.equal(read.status, 200);
        assert.deepEqual(res.body, read.body);
      }
      const [first] = lodged;
      assert.deepEqual(
        (first?.body.items as { sequence: number; netMass?: number }[]).map((i) => [i.sequence, i.netMass]),
        [
          [1, 12.125],
          [2, 12.5],
        ],
      );
      assert.ok(first?.body.lane, 'the lane the assessment gave');
    });

    test('an invalid declaration is rejected with 422 listing every finding, and nothing is stored', async () => {
      const before = await asTrader('GET', '/api/declarations?limit=500');
      const res = await asTrader(
        'POST',
        '/api/declarations',
        aDeclaration({ currency: 'XYZ', items: [anItem({ hsCode: '999999', netMass: -2 })] }),
      );
      assert.equal(res.status, 422);
      assert.equal(res.body.error, 'validation_failed');
      const findings = (res.body.details as { findings: { path: string; code: string; wcoId: string }[] })
        .findings;
      assert.deepEqual(findings.map((f) => `${f.path}:${f.code}`).sort(), [
        'currency:unknown_currency',
        'items[0].hsCode:unknown_hs_code',
        'items[0].netMass:negative',
      ]);
      assert.ok(findings.every((f) => f.wcoId));
      const afterwards = await asTrader('GET', '/api/declarations?limit=500');
      assert.equal((afterwards.body.items as unknown[]).length, (before.body.items as unknown[]).length);
    });

    const badRequests: [
      string,
      { raw?: string; body?: unknown; headers?: Record<string, string> },
      number,
      string,
    ][] = [
      ['malformed JSON', { raw: '{"type": "IM",' }, 400, 'malformed_json'],
      ['a wrong type', { body: aDeclaration({ invoiceTotal: '100' }) }, 400, 'invalid_request'],
      ['an unknown field', { body: aDeclaration({ colour: 'blue' }) }, 400, 'invalid_request'],
      [
        'an unknown item field',
        { body: aDeclaration({ items: [{ ...anItem(), weight: 3 }] }) },
        400,
        'invalid_request',
      ],
      [
        'an oversized body',
        {
          body: aDeclaration({
            items: Array.from({ length: 400 }, (_, i) =>
              anItem({ sequence: i + 1, description: 'x'.repeat(200) }),
            ),
          }),
        },
        413,
        'body_too_large',
      ],
      [
        'a non-JSON content type',
        { raw: 'type=IM', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        415,
        'unsupported_media_type',
      ],
    ];
    for (const [name, request, status, code] of badRequests) {
      test(`${name} gets ${status} ${code}, never a 500`, async () => {
        const res = await server.request('POST', '/api/declarations', { token: tokens.trader, ...request });
        assert.equal(res.status, status, JSON.stringify(res.body));
        assert.equal(res.body.error, code);
        assert.equal(typeof res.body.message, 'string');
      });
    }

    test('an unknown field is named in the error', async () => {
      const res = await asTrader('POST', '/api/declarations', aDeclaration({ colour: 'blue' }));
      assert.match(String(res.body.message), /colour/);
    });

    test('resubmitting the same functional reference and content returns the original, never a duplicate', async () => {
      const body = aDeclaration();
      const first = await asTrader('POST', '/api/declarations', body);
      const again = await asTrader('POST', '/api/declarations', body);
      assert.deepEqual([first.status, again.status], [201, 200]);
      assert.equal(again.body.id, first.body.id);
      const changed = await asTrader('POST', '/api/declarations', {
        ...body,
        invoiceTotal: 1201,
        items: [anItem({ value: 1201 })],
      });
      assert.equal(changed.status, 409);
      assert.equal(changed.body.error, 'functional_reference_conflict');
    });

    test('an Idempotency-Key replays the first response and refuses a different body', async () => {
      const key = { 'idempotency-key': `k-${Date.now()}` };
      const body = aDeclaration();
      const first = await asTrader('POST', '/api/declarations', body, key);
      const replay = await asTrader('POST', '/api/declarations', body, key);
      assert.equal(first.status, 201);
      assert.equal(replay.status, 201);
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      assert.equal(replay.body.id, first.body.id);
      const other = await asTrader('POST', '/api/declarations', aDeclaration(), key);
      assert.deepEqual([other.status, other.body.error], [422, 'idempotency_key_reused']);
    });

    test('a batch accepts, recognises duplicates and rejects each declaration on its own', async () => {
      const ok = aDeclaration();
      const res = await asTrader('POST', '/api/declarations/batch', {
        declarations: [ok, ok, aDeclaration({ date: '2026-02-30' })],
      });
      assert.equal(res.status, 200);
      assert.deepEqual([res.body.accepted, res.body.duplicates, res.body.rejected], [1, 1, 1]);
      assert.deepEqual(
        (res.body.results as { outcome: string }[]).map((r) => r.outcome),
        ['accepted', 'duplicate', 'rejected'],
      );
    });

    test('an amendment replaces the content, adds an event and bumps the version; a stale version conflicts', async () => {
      const created = await asTrader('POST', '/api/declarations', aDeclaration());
      const id = created.body.id;
      const amended = await asTrader('POST', `/api/declarations/${id}/amend`, {
        version: 1,
        declaration: { invoiceTotal: 900, items: [anItem({ value: 900 })], ...pick(created.body) },
      });
      assert.equal(amended.status, 200, JSON.stringify(amended.body));
      assert.deepEqual(
        [amended.body.status, amended.body.version, amended.body.invoiceTotal],
        ['amended', 2, 900],
      );
      const stale = await asTrader('POST', `/api/declarations/${id}/amend`, {
        version: 1,
        declaration: { ...pick(created.body), items: [anItem()] },
      });
      assert.deepEqual([stale.status, stale.body.error], [409, 'version_conflict']);
      const kinds = (await asTrader('GET', `/api/declarations/${id}/events`)).body.events as {
        kind: string;
      }[];
      assert.deepEqual(
        kinds.map((e) => e.kind),
        ['lodged', 'accepted', 'assessed', 'duties_assessed', 'amended', 'assessed', 'duties_assessed'],
      );
    });

    test('a cancelled declaration can be neither amended nor cancelled again', async () => {
      const created = await asTrader('POST', '/api/declarations', aDeclaration());
      const id = created.body.id;
      const cancelled = await asTrader('POST', `/api/declarations/${id}/cancel`, {
        reason: 'lodged by mistake',
      });
      assert.deepEqual(
        [cancelled.status, cancelled.body.status, cancelled.body.allowed],
        [200, 'cancelled', []],
      );
      const again = await asTrader('POST', `/api/declarations/${id}/cancel`, { reason: 'again' });
      assert.deepEqual([again.status, again.body.error], [409, 'action_not_allowed']);
      const amend = await asTrader('POST', `/api/declarations/${id}/amend`, {
        declaration: { ...pick(created.body), items: [anItem()] },
      });
      assert.equal(amend.status, 409);
    });

    test('lists paginate by keyset, newest first, without gaps or repeats', async () => {
      for (let i = 0; i < 5; i++)
        await asTrader('POST', '/api/declarations', aDeclaration({ office: '020' }));
      const seen: number[] = [];
      let cursor: unknown = undefined;
      do {
        const res = await asTrader(
          'GET',
          `/api/declarations?office=020&limit=2${cursor ? `&before=${cursor}` : ''}`,
        );
        seen.push(...(res.body.items as { id: number }[]).map((d) => d.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      assert.equal(seen.length, 5);
      assert.deepEqual(
        seen,
        [...seen].sort((a, b) => b - a),
      );
    });

    test('a bad query parameter is a 400 naming it', async () => {
      const res = await asTrader('GET', '/api/declarations?limit=100000');
      assert.deepEqual([res.status, res.body.error], [400, 'invalid_request']);
      assert.match(String(res.body.message), /limit/);
      const id = await asTrader('GET', '/api/declarations/abc');
      assert.equal(id.status, 400);
    });

    test('signing in sets a session cookie that authenticates, and signing out ends it', async () => {
      const login = await server.request('POST', '/api/auth/login', {
        body: { username: 'officer', password: testPassword },
      });
      assert.equal(login.status, 200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      assert.match(login.headers.get('set-cookie') ?? '', /HttpOnly; SameSite=Strict/);
      const me = await server.request('GET', '/api/auth/me', { headers: { cookie } });
      assert.equal((me.body.user as { role: string }).role, 'officer');
      await server.request('POST', '/api/auth/logout', { headers: { cookie } });
      assert.equal((await server.request('GET', '/api/auth/me', { headers: { cookie } })).status, 401);
    });

    test('a wrong password is refused, and repeated attempts are rate-limited', async () => {
      const attempts = [];
      for (let i = 0; i < 7; i++)
        attempts.push(
          (
            await server.request('POST', '/api/auth/login', {
              body: { username: 'trader', password: 'wrong password' },
            })
          ).status,
        );
      assert.equal(attempts[0], 401);
      assert.ok(attempts.includes(429), `statuses: ${attempts.join(',')}`);
    });

    test('the data dictionary gives every field its WCO ID and definition', async () => {
      const res = await asTrader('GET', '/api/catalog');
      const fields = res.body.fields as { path: string; wcoId: string; definition: string }[];
      const hs = fields.find((f) => f.path === 'items[].hsCode');
      assert.equal(hs?.wcoId, '145');
      assert.ok(fields.every((f) => f.wcoId && f.definition));
    });

    test('HS codes are looked up in the edition in force on a date', async () => {
      const old = await asTrader('GET', '/api/reference/hs/040310?date=2021-06-01');
      assert.deepEqual([old.status, old.body.edition], [200, 'HS2017']);
      const gone = await asTrader('GET', '/api/reference/hs/040310?date=2022-06-01');
      assert.equal(gone.status, 404);
    });

    test('health, OpenAPI and metrics answer', async () => {
      assert.equal((await server.request('GET', '/health')).body.status, 'ok');
      const openapi = await server.request('GET', '/api/openapi.json');
      assert.equal(openapi.body.openapi, '3.1.0');
      assert.ok((openapi.body.paths as Record<string, unknown>)['/api/declarations']);
      const metrics = await server.request('GET', '/metrics', { token: tokens.administrator });
      assert.match(
        String(metrics.body.text),
        /http_requests_total\{method="POST",route="\/api\/declarations",status="201"\} \d+/,
      );
      assert.equal(
        (await server.request('GET', '/api/nowhere', { token: tokens.trader })).body.error,
        'not_found',
      );
    });

    test('a declarant lodges for a trader it represents, as itself', async () => {
      const body = aDeclaration();
      delete body.declarant;
      const res = await server.request('POST', '/api/declarations', { token: tokens.declarant, body });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual([res.body.declarant, res.body.trader], ['BROKER-A', testTrader]);
    });
  });
}

/** The identifying header fields of a stored declaration, to build an amendment from. */
function pick(d: Record<string, unknown>) {
  const { type, functionalReference, date, office, declarant, trader, currency } = d;
  return { type, functionalReference, date, office, declarant, trader, currency };
}
