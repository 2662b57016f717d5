import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateDeclarations } from '../demo/generate.ts';
import { declarationToXml, wcoXmlMapping } from '../declarations/formats/wco-xml/index.ts';
import { wcoIdOfElement } from '../declarations/formats/wco-xml/elements.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import { declarationVariants } from '../testing/declaration-variants.ts';
import { Role } from '../governance/roles.ts';
import {
  aDeclaration,
  createRoleUsers,
  createUserToken,
  openTestContext,
  startTestServer,
  storageTargets,
  testDeclarant,
  testTrader,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';

const xmlHeaders = { 'content-type': 'application/xml' };

/** The mapped header fields (`items` and the item fields are compared whole). */
const headerFields = wcoXmlMapping.flatMap((m) => (/^[a-zA-Z]+$/.test(m.field) ? [m.field] : []));

/** Lodged as the test trader's: the parties and the reference are the only change. */
const asTestTrader = (d: DeclarationInput, i: number, prefix: string): DeclarationInput => ({
  ...(JSON.parse(JSON.stringify(d)) as DeclarationInput),
  trader: testTrader,
  declarant: testDeclarant,
  functionalReference: `${prefix}-${process.pid}-${i}`,
});

const demo: DeclarationInput[] = [
  ...generateDeclarations({ count: 90, seed: 5, from: '2025-06-01', to: '2025-06-30' }),
].map((d, i) => asTestTrader(d.input, i, 'WCO'));

/** Demo declarations whose optional fields are each kept, dropped or set at random. */
const variants: DeclarationInput[] = [
  ...declarationVariants({ count: 120, seed: 23, from: '2025-06-01', to: '2025-06-30' }),
].map((d, i) => asTestTrader(d, i, 'VAR'));

interface Located {
  path: string;
  code: string;
  wcoId?: string;
  xmlPath?: string;
  line?: number;
  column?: number;
}

for (const target of storageTargets()) {
  describe(`WCO DEC-DMS 2 XML over HTTP (${target})`, () => {
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

    const lodgeXml = (xml: string, path = '/api/declarations') =>
      server.request('POST', path, { token: tokens.declarant, raw: xml, headers: xmlHeaders });

    test('every demo declaration and every variant of its optional fields goes XML → stored → XML unchanged, and JSON reads back every field', async () => {
      assert.ok(demo.length >= 20 && variants.length >= 30);
      for (const input of [...demo, ...variants]) {
        const xml = declarationToXml(input);
        const lodged = await lodgeXml(xml);
        assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
        const id = String(lodged.body.id);
        const back = await fetch(`${server.url}/api/declarations/${id}`, {
          headers: { authorization: `Bearer ${tokens.declarant}`, accept: 'application/xml' },
        });
        assert.equal(back.status, 200);
        assert.match(back.headers.get('content-type') ?? '', /^application\/xml/);
        assert.equal(await back.text(), xml, input.functionalReference);
        const json = await server.request('GET', `/api/declarations/${id}`, { token: tokens.declarant });
        for (const [field, value] of Object.entries(input)) {
          assert.deepEqual(json.body[field], value, `${input.functionalReference} ${field}`);
        }
        for (const field of headerFields.filter((f) => !Object.hasOwn(input, f))) {
          assert.equal(json.body[field], undefined, `${input.functionalReference} ${field} stays absent`);
        }
      }
    });

    test('a lodged message is the same declaration when sent again (200, not stored twice)', async () => {
      const first = demo[0];
      assert.ok(first);
      const again = await lodgeXml(declarationToXml(first));
      assert.equal(again.status, 200, JSON.stringify(again.body));
    });

    test('layer findings of a message name the field, the element, its WCO ID, line and column', async () => {
      const input = {
        ...aDeclaration({ incoterm: 'XYZ', destinationCountry: 'QQ' }),
      } as unknown as DeclarationInput;
      const xml = declarationToXml(input);
      const checked = await lodgeXml(xml, '/api/declarations/validate');
      assert.equal(checked.status, 200, JSON.stringify(checked.body));
      assert.equal(checked.body.valid, false);
      const findings = checked.body.findings as Located[];
      const incoterm = findings.find((f) => f.path === 'incoterm');
      assert.equal(incoterm?.code, 'unknown_incoterm');
      assert.equal(incoterm?.wcoId, '090');
      assert.equal(incoterm?.xmlPath, 'Declaration/GoodsShipment/TradeTerms/ConditionCode');
      const line = xml.split('\n').findIndex((l) => l.includes('<ConditionCode>')) + 1;
      assert.equal(incoterm?.line, line);
      assert.ok((incoterm?.column ?? 0) > 1);
      const destination = findings.find((f) => f.path === 'destinationCountry');
      assert.equal(destination?.code, 'unknown_country');
      assert.equal(destination?.wcoId, '465');

      const lodged = await lodgeXml(xml);
      assert.equal(lodged.status, 422);
      const details = lodged.body as { details?: { findings?: Located[] } };
      assert.ok(details.details?.findings?.some((f) => f.path === 'incoterm' && f.xmlPath !== undefined));
    });

    test('schema violations come back as findings with the element path, line and column', async () => {
      const xml = declarationToXml(aDeclaration() as unknown as DeclarationInput).replace(
        '<TypeCode>IM</TypeCode>',
        '<TypeCode>IMPORT</TypeCode>',
      );
      for (const path of ['/api/declarations/validate', '/api/declarations']) {
        const res = await lodgeXml(xml, path);
        const findings = path.endsWith('validate')
          ? (res.body.findings as Located[])
          : (res.body.details as { findings: Located[] }).findings;
        assert.equal(res.status, path.endsWith('validate') ? 200 : 422);
        const [finding] = findings;
        assert.equal(finding?.code, 'xml_schema_invalid');
        assert.equal(finding?.xmlPath, 'Declaration/TypeCode');
        assert.equal(finding?.line, xml.split('\n').findIndex((l) => l.includes('<TypeCode>IMPORT')) + 1);
        assert.equal(finding?.column, 3);
      }
    });

    const refusals: [string, string, string, number][] = [
      [
        'billion laughs',
        `<?xml version="1.0"?>\n<!DOCTYPE Declaration [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"><FunctionalReferenceID>&c;</FunctionalReferenceID></Declaration>`,
        'xml_doctype_refused',
        2,
      ],
      [
        'external entity',
        `<?xml version="1.0"?>\n<!DOCTYPE Declaration [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"><FunctionalReferenceID>&xxe;</FunctionalReferenceID></Declaration>`,
        'xml_doctype_refused',
        2,
      ],
      [
        'wrong namespace',
        '<?xml version="1.0"?>\n<Declaration xmlns="urn:example:other"/>',
        'xml_wrong_namespace',
        2,
      ],
      [
        'malformed',
        '<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2">\n\n<TypeCode>IM</Typo>',
        'xml_malformed',
        3,
      ],
    ];
    for (const [name, xml, code, line] of refusals) {
      test(`refuses a message: ${name}, with a 400 naming line and column`, async () => {
        for (const path of ['/api/declarations', '/api/declarations/validate']) {
          const res = await lodgeXml(xml, path);
          assert.equal(res.status, 400, JSON.stringify(res.body));
          assert.equal(res.body.error, code);
          const where = res.body.details as { line: number; column: number };
          assert.equal(where.line, line);
          assert.ok(where.column > 0);
          assert.doesNotMatch(JSON.stringify(res.body), /aaaaaaaaaa|root:/);
        }
      });
    }

    test('refuses an oversize message before reading it', async () => {
      const xml = `<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2">${' '.repeat(4 * 1024 * 1024 + 1)}</Declaration>`;
      const res = await lodgeXml(xml);
      assert.equal(res.status, 413);
      assert.equal(res.body.error, 'body_too_large');
    });

    test('XML reads are authorized as JSON reads: another trader gets 404, no token 401, the officer of the office 200', async () => {
      const first = demo[0];
      assert.ok(first);
      const listed = await server.request(
        'GET',
        `/api/declarations?reference=${first.functionalReference}&referenceMatch=exact`,
        {
          token: tokens.declarant,
        },
      );
      const [item] = listed.body.items as { id: number }[];
      assert.ok(item);
      const otherTrader = await createUserToken(ctx, {
        username: 'trader-b',
        role: Role.Trader,
        partyId: 'TRADER-B',
      });
      const foreign = await fetch(`${server.url}/api/declarations/${item.id}`, {
        headers: { authorization: `Bearer ${otherTrader}`, accept: 'application/xml' },
      });
      assert.equal(foreign.status, 404);
      assert.doesNotMatch(await foreign.text(), /Declaration/);
      const anonymous = await fetch(`${server.url}/api/declarations/${item.id}`, {
        headers: { accept: 'application/xml' },
      });
      assert.equal(anonymous.status, 401);
      const officer = await fetch(`${server.url}/api/declarations/${item.id}`, {
        headers: { authorization: `Bearer ${tokens.officer}`, accept: 'application/xml' },
      });
      assert.equal(officer.status, 200, 'officers of the office read its declarations');
    });

    test('GET /api/catalog gives each field the element and WCO ID the XML mapping uses', async () => {
      const res = await server.request('GET', '/api/catalog', { token: tokens.trader });
      assert.equal(res.status, 200);
      const fields = res.body.fields as { path: string; xmlPath: string; wcoId: string }[];
      const served = new Map(fields.map((f) => [f.path, f]));
      assert.equal(served.size, wcoXmlMapping.length);
      for (const m of wcoXmlMapping) {
        const entry = served.get(m.field);
        assert.equal(entry?.xmlPath, m.xmlPath.replace('ds:', ''), m.field);
        assert.equal(entry?.wcoId, wcoIdOfElement(m.xmlPath), m.field);
      }
      assert.equal(served.get('incoterm')?.wcoId, '090');
      assert.equal(served.get('ucr')?.wcoId, '016');
    });

    test('refuses a flood of elements and deep nesting with a 400 naming the limit, at once', async () => {
      const open = '<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2">';
      const bodies: [string, string, RegExp][] = [
        [
          `${open}${'<Note/>'.repeat(200_000)}</Declaration>`,
          'xml_too_many_elements',
          /more than 100000 elements/,
        ],
        [
          `${open}${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</Declaration>`,
          'xml_too_deep',
          /more than 64 levels/,
        ],
      ];
      for (const [xml, code, message] of bodies) {
        const res = await lodgeXml(xml, '/api/declarations/validate');
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.error, code);
        assert.match(String(res.body.message), message);
      }
    });

    test('a message declared in a charset other than UTF-8 is a 415 naming the charset', async () => {
      const xml = declarationToXml(aDeclaration() as unknown as DeclarationInput);
      for (const charset of ['utf-16', '"ISO-8859-1"']) {
        const res = await server.request('POST', '/api/declarations/validate', {
          token: tokens.declarant,
          raw: xml,
          headers: { 'content-type': `application/xml; charset=${charset}` },
        });
        assert.equal(res.status, 415, JSON.stringify(res.body));
        assert.equal(res.body.error, 'unsupported_media_type');
        assert.match(String(res.body.message), new RegExp(charset.replaceAll('"', ''), 'i'));
      }
      for (const charset of ['utf-8', 'UTF-8', 'us-ascii']) {
        const res = await server.request('POST', '/api/declarations/validate', {
          token: tokens.declarant,
          raw: xml,
          headers: { 'content-type': `application/xml; charset=${charset}` },
        });
        assert.equal(res.status, 200, `${charset}: ${JSON.stringify(res.body)}`);
      }
    });

    test('Accept: XML only when preferred to JSON by quality; a browser gets JSON', async () => {
      const first = demo[0];
      assert.ok(first);
      const listed = await server.request(
        'GET',
        `/api/declarations?reference=${first.functionalReference}&referenceMatch=exact`,
        { token: tokens.declarant },
      );
      const [item] = listed.body.items as { id: number }[];
      assert.ok(item);
      const cases: [string, 'xml' | 'json'][] = [
        ['text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8', 'json'],
        ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'json'],
        ['application/xml', 'xml'],
        ['text/xml', 'xml'],
        ['application/xml, */*;q=0.1', 'xml'],
        ['application/json;q=0.5, application/xml', 'xml'],
        ['application/xml;q=0.5, application/json', 'json'],
        ['application/xml, application/json', 'json'],
        ['application/xml;q=0.9, */*', 'json'],
        ['application/xml;q=0', 'json'],
        ['*/*', 'json'],
      ];
      for (const [accept, expected] of cases) {
        const res = await fetch(`${server.url}/api/declarations/${item.id}`, {
          headers: { authorization: `Bearer ${tokens.declarant}`, accept },
        });
        assert.equal(res.status, 200, accept);
        const type = res.headers.get('content-type') ?? '';
        assert.match(type, expected === 'xml' ? /^application\/xml/ : /^application\/json/, accept);
        await res.arrayBuffer();
      }
    });

    test('other declaration routes refuse an XML body', async () => {
      const res = await server.request('POST', '/api/declarations/batch', {
        token: tokens.declarant,
        raw: declarationToXml(aDeclaration() as unknown as DeclarationInput),
        headers: xmlHeaders,
      });
      assert.equal(res.status, 415);
    });
  });
}
