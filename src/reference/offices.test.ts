import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Role } from '../governance/roles.ts';
import { clearway } from '../testing/cli-process.ts';
import { aClearwayRow, clearwayCsv } from '../testing/clearway-csv.ts';
import {
  aDeclaration,
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';
import { sealPending } from '../governance/ledger/seal.ts';

interface Office {
  code: string;
  name: string;
  country: string;
  validFrom: string | null;
  validTo: string | null;
}

for (const target of storageTargets()) {
  describe(`customs offices as reference data (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });
    const admin = (method: string, path: string, body?: unknown) =>
      server.request(method, path, { token: tokens.administrator, body });
    const lodge = (office: string, date = '2026-03-02') =>
      server.request('POST', '/api/declarations', {
        token: tokens.trader,
        body: aDeclaration({ office, date }),
      });
    const officeFindings = (res: { body: Record<string, unknown> }) =>
      (
        (res.body.details as { findings?: { path: string; code: string; message: string }[] } | undefined)
          ?.findings ?? []
      )
        .filter((f) => f.path === 'office')
        .map((f) => [f.code, f.message]);

    test('the shipped list is loaded at first start: the demo and KCS offices of Korea and the British offices', async () => {
      const res = await server.request('GET', '/api/offices', { token: tokens.trader });
      assert.equal(res.status, 200);
      const offices = res.body.offices as Office[];
      const byCode = new Map(offices.map((o) => [o.code, o]));
      for (const code of ['010', '013', '016', '020', '030', '040', '062', '080', '100', '154'])
        assert.equal(byCode.get(code)?.country, 'KR', code);
      assert.deepEqual(byCode.get('GBABD001'), {
        code: 'GBABD001',
        name: 'Aberdeen, Ruby House',
        country: 'GB',
        validFrom: null,
        validTo: null,
      });
      assert.equal(offices.length, 42 + 143);
      assert.deepEqual(res.body.allowed, []);
      await sealPending(ctx.db);
      const [loaded] = await ctx.db.query<{ data: unknown }>(
        "SELECT data FROM ledger WHERE action = 'customs_offices.loaded'",
      );
      assert.deepEqual(loaded?.data, JSON.stringify({ offices: 185 }));
    });

    test('a declaration at NaN, 0x10 or 2026-02-30 is refused at office, naming the code; one at 030 is accepted', async () => {
      for (const office of ['NaN', '0x10', '2026-02-30']) {
        const res = await lodge(office);
        assert.deepEqual([res.status, res.body.error], [422, 'validation_failed'], office);
        assert.deepEqual(officeFindings(res), [
          ['unknown_office', `office "${office}" is not a customs office`],
        ]);
      }
      assert.equal((await lodge('030')).status, 201);
    });

    test('an administrator adds an office and closes it; validation follows at once, by the declaration date', async () => {
      const added = await admin('POST', '/api/offices', {
        code: 'KR777',
        name: 'Test port office',
        country: 'KR',
        validFrom: '2026-01-01',
      });
      assert.deepEqual(
        [added.status, added.body],
        [
          201,
          { code: 'KR777', name: 'Test port office', country: 'KR', validFrom: '2026-01-01', validTo: null },
        ],
      );
      assert.equal((await lodge('KR777')).status, 201);
      const early = await lodge('KR777', '2025-12-31');
      assert.deepEqual(officeFindings(early), [
        ['office_not_in_force', 'customs office KR777 is in force from 2026-01-01, not on 2025-12-31'],
      ]);

      const closed = await admin('PATCH', '/api/offices/KR777', { validTo: '2026-02-28' });
      assert.deepEqual([closed.status, closed.body.validTo], [200, '2026-02-28']);
      assert.deepEqual(officeFindings(await lodge('KR777')), [
        [
          'office_not_in_force',
          'customs office KR777 is in force from 2026-01-01 until 2026-02-28, not on 2026-03-02',
        ],
      ]);
      assert.equal((await lodge('KR777', '2026-02-28')).status, 201);

      await sealPending(ctx.db);
      const changes = await ctx.db.query<{ action: string; actor: string; subject: string }>(
        `SELECT action, actor, subject_id AS subject FROM ledger WHERE action LIKE 'customs_office.%' ORDER BY seq`,
      );
      assert.deepEqual(changes, [
        { action: 'customs_office.added', actor: 'administrator', subject: 'customs_office:KR777' },
        { action: 'customs_office.updated', actor: 'administrator', subject: 'customs_office:KR777' },
      ]);
    });

    test('an uploaded file is checked in the import worker against the offices as they are now', async () => {
      const added = await admin('POST', '/api/offices', { code: 'KR779', name: 'New depot', country: 'KR' });
      assert.equal(added.status, 201);
      const ref = (n: number) => `OFFICE-UPLOAD-${process.pid}-${n}`;
      const sent = await server.request('POST', '/api/imports?format=clearway', {
        token: tokens.trader,
        raw: clearwayCsv([
          aClearwayRow(ref(1), { office: 'KR779' }),
          aClearwayRow(ref(2), { office: '0x10' }),
          aClearwayRow(ref(3)),
        ]),
        headers: { 'content-type': 'text/csv' },
      });
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
      let job: Record<string, unknown> = sent.body;
      for (let i = 0; i < 300 && job.status !== 'done' && job.status !== 'failed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        job = (await server.request('GET', `/api/imports/${String(sent.body.id)}`, { token: tokens.trader }))
          .body;
      }
      assert.deepEqual([job.status, job.accepted, job.rejected], ['done', 2, 1]);
      const rejects = await server.request('GET', `/api/imports/${String(sent.body.id)}/rejects`, {
        token: tokens.trader,
      });
      assert.deepEqual(
        (rejects.body.items as { reference: string; path: string; code: string }[]).map((r) => [
          r.reference,
          r.path,
          r.code,
        ]),
        [[ref(2), 'office', 'unknown_office']],
      );
    });

    test('an administrator creates an officer working at two offices; offices that are not on the list are refused', async () => {
      const user = (username: string, role: string, offices: string[]) => ({
        username,
        password: 'a long enough pass phrase',
        role,
        offices,
      });
      const made = await admin('POST', '/api/users', user('officer-two', 'officer', ['030', '020', '030']));
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.deepEqual((made.body.user as { offices: string[] }).offices, ['020', '030']);
      const cases: [Record<string, unknown>, RegExp][] = [
        [user('officer-nan', 'officer', ['030', 'NaN']), /office "NaN" is not an office code/],
        [user('officer-unknown', 'officer', ['999']), /not a customs office: 999/],
        [
          user('analyst-office', 'risk_analyst', ['030']),
          /only officers and supervisors belong to customs offices/,
        ],
      ];
      for (const [body, message] of cases) {
        const res = await admin('POST', '/api/users', body);
        assert.deepEqual([res.status, res.body.error], [422, 'invalid_user'], JSON.stringify(res.body));
        assert.match(String(res.body.message), message);
      }
      const names = await ctx.db.query<{ username: string }>(
        `SELECT username FROM users WHERE username IN ('officer-nan', 'officer-unknown', 'analyst-office')`,
      );
      assert.deepEqual(names, []);
    });

    const refused: [string, string, string, unknown, number, string, RegExp][] = [
      [
        'a code that is NaN',
        'POST',
        '/api/offices',
        { code: 'NaN', name: 'x', country: 'KR' },
        422,
        'invalid_office',
        /code must be 2 to 17 capital letters or digits, got "NaN"/,
      ],
      [
        'a code written in hexadecimal',
        'POST',
        '/api/offices',
        { code: '0x10', name: 'x', country: 'KR' },
        422,
        'invalid_office',
        /code must be/,
      ],
      [
        'a code that is a date',
        'POST',
        '/api/offices',
        { code: '2026-02-30', name: 'x', country: 'KR' },
        422,
        'invalid_office',
        /code must be/,
      ],
      [
        'an office that exists',
        'POST',
        '/api/offices',
        { code: '030', name: 'again', country: 'KR' },
        409,
        'office_exists',
        /office 030 exists already/,
      ],
      [
        'an unknown country',
        'POST',
        '/api/offices',
        { code: 'XX1', name: 'x', country: 'QQ' },
        422,
        'invalid_office',
        /country "QQ" is not an ISO 3166 country code/,
      ],
      [
        'a day that does not exist',
        'POST',
        '/api/offices',
        { code: 'XX2', name: 'x', country: 'KR', validFrom: '2026-02-30' },
        422,
        'invalid_office',
        /validFrom must be a calendar day/,
      ],
      [
        'an end before the start',
        'PATCH',
        '/api/offices/030',
        { validFrom: '2026-02-01', validTo: '2026-01-31' },
        422,
        'invalid_office',
        /validTo 2026-01-31 is before validFrom 2026-02-01/,
      ],
      [
        'an empty name',
        'PATCH',
        '/api/offices/030',
        { name: '  ' },
        422,
        'invalid_office',
        /name must be 1 to 200 characters/,
      ],
      [
        'an office that does not exist',
        'PATCH',
        '/api/offices/999',
        { name: 'x' },
        404,
        'office_not_found',
        /there is no customs office 999/,
      ],
      [
        'a change of nothing',
        'PATCH',
        '/api/offices/030',
        {},
        400,
        'invalid_request',
        /The body must hold at least 1 field/,
      ],
      ['a change of the code', 'PATCH', '/api/offices/030', { code: '031' }, 400, 'invalid_request', /code/],
    ];
    for (const [name, method, path, body, status, error, message] of refused) {
      test(`refuses ${name}, and changes nothing`, async () => {
        const before = await ctx.db.query('SELECT * FROM customs_offices ORDER BY code');
        const res = await admin(method, path, body);
        assert.deepEqual([res.status, res.body.error], [status, error], JSON.stringify(res.body));
        assert.match(String(res.body.message), message);
        assert.deepEqual(await ctx.db.query('SELECT * FROM customs_offices ORDER BY code'), before);
      });
    }

    test('only administrators change offices', async () => {
      for (const role of [Role.Supervisor, Role.RiskAnalyst, Role.Trader]) {
        const add = await server.request('POST', '/api/offices', {
          token: tokens[role],
          body: { code: 'XX3', name: 'x', country: 'KR' },
        });
        assert.equal(add.status, 403, role);
        const change = await server.request('PATCH', '/api/offices/030', {
          token: tokens[role],
          body: { name: 'x' },
        });
        assert.equal(change.status, 403, role);
      }
    });
  });

  describe(`clearway offices and users offices (${target})`, () => {
    let store: EmptyStore;
    before(async () => {
      store = await emptyStore(target);
    });
    after(() => store.dispose());
    const run = (args: string[]) => clearway(store.env, args);

    test('administrators list, add and update offices and set the offices of officials from the command line', async () => {
      const added = await run([
        'offices',
        'add',
        '--code',
        'KR778',
        '--name',
        'Inland depot',
        '--country',
        'KR',
        '--from',
        '2026-01-01',
      ]);
      assert.deepEqual([added.code, added.stdout, added.stderr], [0, 'added KR778 Inland depot (KR)\n', '']);
      const updated = await run(['offices', 'update', '--code', 'KR778', '--to', '2026-12-31']);
      assert.deepEqual([updated.code, updated.stderr], [0, '']);
      const listed = await run(['offices', 'list']);
      assert.equal(listed.code, 0, listed.stderr);
      const lines = listed.stdout.trim().split('\n');
      assert.equal(lines.length, 186);
      assert.ok(lines.includes('KR778\tKR\t2026-01-01\t2026-12-31\tInland depot'), listed.stdout);
      assert.ok(lines.includes('030\tKR\t-\t-\tKCS office 030 (demo: sea cargo)'));

      const bad = await run(['offices', 'add', '--code', '0x10', '--name', 'x', '--country', 'KR']);
      assert.deepEqual(
        [bad.code, bad.stderr],
        [1, 'clearway offices add: code must be 2 to 17 capital letters or digits, got "0x10"\n'],
      );

      const created = await run([
        'users',
        'create',
        '--username',
        'sup-x',
        '--role',
        'supervisor',
        '--office',
        '030',
        '--office',
        '020,KR778',
      ]);
      assert.equal(created.code, 0, created.stderr);
      const set = await run(['users', 'offices', 'sup-x', '040', '030']);
      assert.deepEqual([set.code, set.stdout], [0, 'sup-x works at 030, 040\n']);
      const users = await run(['users', 'list']);
      assert.match(users.stdout, /^sup-x\tsupervisor\t-\t030,040$/m);
      const unknown = await run(['users', 'offices', 'sup-x', 'NOPE1']);
      assert.deepEqual(
        [unknown.code, unknown.stderr],
        [1, 'clearway users offices: not a customs office: NOPE1\n'],
      );

      const db = await store.open();
      try {
        const actions = await db.query<{ action: string }>(
          `SELECT action FROM ledger WHERE action LIKE 'customs_office%' OR action IN ('user.created', 'user.offices_set') ORDER BY seq`,
        );
        assert.deepEqual(
          actions.map((a) => a.action),
          [
            'customs_offices.loaded',
            'customs_office.added',
            'customs_office.updated',
            'user.created',
            'user.offices_set',
          ],
        );
      } finally {
        await db.close();
      }
    });
  });
}
