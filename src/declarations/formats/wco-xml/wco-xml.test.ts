import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { openFileValidation } from '../../../app-context.ts';
import { loadConfig } from '../../../config.ts';
import { generateDeclarations, seededDemoOptions } from '../../../demo/generate.ts';
import { loadCatalog } from '../../catalog.ts';
import { defaultReferenceDir } from '../../../reference/reference-dir.ts';
import { declarationVariants } from '../../../testing/declaration-variants.ts';
import { aDeclaration, anItem } from '../../../testing/harness.ts';
import type { DeclarationInput } from '../../model.ts';
import { validateDeclaration } from '../../validate/index.ts';
import {
  declarationToXml,
  maxMessageDepth,
  maxMessageElements,
  maxSchemaFindings,
  parseWcoMessage,
  wcoXmlMapping,
} from './index.ts';
import { mappingDocument } from './mapping-doc.ts';
import { readMessage } from './read.ts';
import { schemaViolations } from './xsd.ts';

const demo = [...generateDeclarations({ count: 600, seed: 11, from: '2024-01-01', to: '2024-12-31' })].map(
  (d) => JSON.parse(JSON.stringify(d.input)) as DeclarationInput,
);

/** The declarations a server seeds at its first start, as of today. */
const seeded = () =>
  [
    ...generateDeclarations(
      seededDemoOptions(loadConfig({}).demoCount, new Date().toISOString().slice(0, 10)),
    ),
  ].map((d) => JSON.parse(JSON.stringify(d.input)) as DeclarationInput);

/** Demo declarations whose optional fields are each kept, dropped or set at random. */
const variants = [...declarationVariants({ count: 900, seed: 17, from: '2025-01-01', to: '2025-12-31' })];

/** The declaration's XML is valid, reads back without findings, and is the same declaration. */
function assertRoundTrip(input: DeclarationInput) {
  const xml = declarationToXml(input);
  assert.deepEqual(schemaViolations(xml), [], `${input.functionalReference} is invalid`);
  const parsed = parseWcoMessage(xml);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.value.findings, []);
  assert.deepEqual(parsed.value.draft, input, input.functionalReference);
}

/** A message written by hand, as another administration's software might send it. */
const handWritten = `<?xml version="1.0" encoding="UTF-8"?>
<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2" xmlns:ds="urn:wco:datamodel:WCO:Declaration_DS:DMS:2">
  <FunctionCode>9</FunctionCode>
  <FunctionalReferenceID>CN-EXP-0001</FunctionalReferenceID>
  <IssueDateTime><ds:DateTimeString formatCode="102">20241105</ds:DateTimeString></IssueDateTime>
  <TypeCode>EX</TypeCode>
  <DeclarationOfficeID>030</DeclarationOfficeID>
  <CurrencyExchange><CurrencyTypeCode>USD</CurrencyTypeCode></CurrencyExchange>
  <Declarant><ID>DCL001</ID></Declarant>
  <Exporter><ID>CN91310000X</ID></Exporter>
  <GoodsShipment>
    <Destination><CountryCode>KR</CountryCode></Destination>
    <GovernmentAgencyGoodsItem>
      <CustomsValueAmount>12000.5</CustomsValueAmount>
      <SequenceNumeric>1</SequenceNumeric>
      <Commodity>
        <Description>Steel bolts</Description>
        <Classification><ID>731815</ID></Classification>
        <GoodsMeasure><NetNetWeightMeasure unitCode="KGM">800</NetNetWeightMeasure><TariffQuantity unitCode="KGM">800</TariffQuantity></GoodsMeasure>
      </Commodity>
      <Origin><CountryCode>CN</CountryCode></Origin>
    </GovernmentAgencyGoodsItem>
    <PreviousDocument><CategoryCode>N</CategoryCode><ID>MSKU1234567</ID><TypeCode>705</TypeCode></PreviousDocument>
    <TradeTerms><ConditionCode>FOB</ConditionCode></TradeTerms>
    <UCR><ID>4CN91310000X-0001</ID></UCR>
  </GoodsShipment>
</Declaration>`;

describe('WCO DEC-DMS 2 XML', () => {
  test('every demo declaration survives JSON → XML → JSON, and its XML validates against the XSD', () => {
    assert.ok(demo.length > 100);
    for (const input of demo) assertRoundTrip(input);
  });

  test('every declaration of the seeded demo set survives JSON → XML → JSON', () => {
    const set = seeded();
    assert.ok(set.length > 1000, `${set.length} declarations`);
    for (const input of set) assertRoundTrip(input);
  });

  test('every variant of the optional fields is valid and survives JSON → XML → JSON', async () => {
    const validation = await openFileValidation(loadConfig({}));
    assert.ok(variants.length > 300);
    for (const input of variants) {
      const checked = validateDeclaration(structuredClone(input), validation);
      assert.ok(checked.ok, `${input.functionalReference}: ${JSON.stringify(!checked.ok && checked.error)}`);
      assertRoundTrip(input);
    }
  });

  test('the variants have each optional field both present and absent, and the shapes the demo lacks', async () => {
    const catalog = await loadCatalog(process.env.CLEARWAY_REFERENCE_DIR ?? defaultReferenceDir());
    const required = new Set(catalog.entries.filter((e) => e.required).map((e) => e.path));
    const has = (o: object, field: string) => Object.hasOwn(o, field);
    const items = variants.flatMap((v) => v.items);
    for (const { field } of wcoXmlMapping) {
      const [rows, name] = field.startsWith('items[].') ? [items, field.slice(8)] : [variants, field];
      assert.ok(
        rows.some((r) => has(r, name)),
        `${field} present`,
      );
      if (!required.has(field))
        assert.ok(
          rows.some((r) => !has(r, name)),
          `${field} absent`,
        );
    }
    const shapes: [string, (v: DeclarationInput) => boolean][] = [
      [
        'a header origin with no item origin',
        (v) => !!v.originCountry && v.items.every((it) => !it.originCountry),
      ],
      [
        'a header origin beside items of another',
        (v) =>
          !!v.originCountry && v.items.some((it) => it.originCountry && it.originCountry !== v.originCountry),
      ],
      [
        'items of one origin and no header origin',
        (v) =>
          !v.originCountry &&
          v.items.every((it) => it.originCountry === v.items[0]?.originCountry && it.originCountry),
      ],
      ['an exporter on an export', (v) => v.type === 'EX' && !!v.exporter],
      ['an additional procedure without a procedure', (v) => !v.procedure && !!v.additionalProcedure],
    ];
    for (const [shape, test] of shapes) assert.ok(variants.some(test), shape);
  });

  test('writes what has no element of its own where the mapping says, and reads it back from there', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        "a header origin alone: an empty first Origin, the declaration's second",
        { originCountry: 'CN', items: [anItem({ originCountry: undefined })] },
        /<Origin><\/Origin>\s*<Origin>\s*<CountryCode>CN<\/CountryCode>\s*<\/Origin>/,
      ],
      [
        "a header origin beside the item's own",
        { originCountry: 'CN', items: [anItem({ originCountry: 'VN' })] },
        /<Origin>\s*<CountryCode>VN<\/CountryCode>\s*<\/Origin>\s*<Origin>\s*<CountryCode>CN<\/CountryCode>/,
      ],
      [
        'the exporter on an export, as the consignor',
        { type: 'EX', exporter: 'EXP9', destinationCountry: 'US', seller: undefined },
        /<Consignor>\s*<ID>EXP9<\/ID>\s*<\/Consignor>/,
      ],
      [
        'an additional procedure alone: an empty first GovernmentProcedure',
        { procedure: undefined, additionalProcedure: '0000' },
        /<GovernmentProcedure><\/GovernmentProcedure>\s*<GovernmentProcedure>\s*<CurrentCode>0000</,
      ],
    ];
    for (const [name, overrides, element] of cases) {
      const input = JSON.parse(JSON.stringify(aDeclaration(overrides))) as DeclarationInput;
      const xml = declarationToXml(input);
      assert.match(xml, element, name);
      assertRoundTrip(input);
    }
  });

  test('the demo declarations exercise every exchange field', () => {
    for (const field of [
      'ucr',
      'transportDocument',
      'transportDocumentType',
      'exporter',
      'destinationCountry',
      'incoterm',
    ] as const) {
      assert.ok(
        demo.some((d) => d[field] !== undefined),
        field,
      );
    }
    assert.ok(demo.some((d) => d.type === 'EX') && demo.some((d) => d.type === 'IM'));
  });

  test('reads a hand-written export message, field by field, with where each came from', () => {
    const parsed = parseWcoMessage(handWritten);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value.findings, []);
    const { draft, origins } = parsed.value;
    assert.equal(draft.type, 'EX');
    assert.equal(draft.trader, 'CN91310000X', 'on an export the exporter is the trader');
    assert.equal(draft.exporter, undefined);
    assert.equal(draft.date, '2024-11-05');
    assert.equal(draft.transportDocument, 'MSKU1234567');
    assert.equal(draft.transportDocumentType, 'N705');
    assert.equal(draft.incoterm, 'FOB');
    assert.equal(draft.destinationCountry, 'KR');
    assert.equal(draft.ucr, '4CN91310000X-0001');
    assert.equal(draft.originCountry, undefined, "one Origin per item is the item's own");
    assert.deepEqual(draft.items, [
      {
        sequence: 1,
        hsCode: '731815',
        description: 'Steel bolts',
        originCountry: 'CN',
        netMass: 800,
        supplementaryQuantity: 800,
        supplementaryUnit: 'KGM',
        value: 12000.5,
      },
    ]);
    assert.deepEqual(origins.get('items[0].hsCode'), {
      xmlPath: 'Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Commodity/Classification/ID',
      wcoId: '145',
      line: 18,
      column: 25,
    });
    assert.deepEqual(origins.get('incoterm'), {
      xmlPath: 'Declaration/GoodsShipment/TradeTerms/ConditionCode',
      wcoId: '090',
      line: 24,
      column: 17,
    });
  });

  test('a schema violation is a finding at the element, with its field, WCO ID, line and column', () => {
    const xml = handWritten.replace('<TypeCode>EX</TypeCode>', '<TypeCode>EXPORT</TypeCode>');
    const parsed = parseWcoMessage(xml);
    assert.ok(parsed.ok);
    const [finding, ...rest] = parsed.value.findings;
    assert.equal(rest.length, 0);
    assert.equal(finding?.code, 'xml_schema_invalid');
    assert.equal(finding?.path, 'type');
    assert.equal(finding?.xmlPath, 'Declaration/TypeCode');
    assert.equal(finding?.wcoId, 'D013');
    assert.equal(finding?.line, 6);
    assert.equal(finding?.column, 3);
    assert.match(finding?.message ?? '', /maximum length of '3'/);
  });

  test('an element the schema does not know is a finding where it stands', () => {
    const xml = handWritten.replace(
      '<DeclarationOfficeID>',
      '<Smuggled>x</Smuggled>\n  <DeclarationOfficeID>',
    );
    const parsed = parseWcoMessage(xml);
    assert.ok(parsed.ok);
    const finding = parsed.value.findings.find((f) => f.xmlPath === 'Declaration/Smuggled');
    assert.equal(finding?.line, 7);
    assert.match(finding?.message ?? '', /Smuggled.*not expected/);
  });

  test('refuses a DOCTYPE: the billion laughs expand nothing', () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE Declaration [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"><FunctionalReferenceID>&lol3;</FunctionalReferenceID></Declaration>`;
    const read = readMessage(laughs);
    assert.ok(!read.ok);
    assert.equal(read.error.code, 'xml_doctype_refused');
    assert.equal(read.error.line, 6);
  });

  test('refuses an external entity (XXE): no file is read', () => {
    const xxe = `<?xml version="1.0"?>
<!DOCTYPE Declaration [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"><FunctionalReferenceID>&xxe;</FunctionalReferenceID></Declaration>`;
    const parsed = parseWcoMessage(xxe);
    assert.ok(!parsed.ok);
    assert.equal(parsed.error.code, 'xml_doctype_refused');
    assert.doesNotMatch(JSON.stringify(parsed), /root:/);
  });

  test('an entity that was never declared is malformed, not looked up', () => {
    const read = readMessage(
      '<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2">\n  <FunctionalReferenceID>&xxe;</FunctionalReferenceID></Declaration>',
    );
    assert.ok(!read.ok);
    assert.equal(read.error.code, 'xml_malformed');
    assert.equal(read.error.line, 2);
  });

  test('refuses another namespace, another root, malformed XML and an oversize message, each with where', () => {
    const cases: [string, string, number][] = [
      ['<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:3"/>', 'xml_wrong_namespace', 1],
      ['<?xml version="1.0"?>\n<Invoice xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"/>', 'xml_wrong_root', 2],
      [
        '<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2">\n<TypeCode>IM</Type></Declaration>',
        'xml_malformed',
        2,
      ],
    ];
    for (const [xml, code, line] of cases) {
      const read = readMessage(xml);
      assert.ok(!read.ok, code);
      assert.equal(read.error.code, code);
      assert.equal(read.error.line, line, code);
      assert.ok((read.error.column ?? 0) > 0, code);
    }
    const big = readMessage(
      `<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2">${' '.repeat(5 * 1024 * 1024)}</Declaration>`,
    );
    assert.ok(!big.ok);
    assert.equal(big.error.code, 'xml_too_large');
  });

  test('refuses 200,000 sibling elements at the element cap, without reading past it', () => {
    // what follows the cap is not well-formed: a reader that went on would report that instead
    const xml = `<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2">\n${'<Note/>'.repeat(200_000)}<bad =</Declaration>`;
    const read = readMessage(xml);
    assert.ok(!read.ok);
    assert.equal(read.error.code, 'xml_too_many_elements');
    assert.match(read.error.message, new RegExp(`more than ${maxMessageElements} elements`));
    assert.equal(read.error.line, 2);
    // the root is the first element, so the refused one is the cap-th Note
    assert.equal(read.error.column, 1 + (maxMessageElements - 1) * '<Note/>'.length);
  });

  test('a maximal declaration (999 items, every field) is well under the element cap', () => {
    const input = demo.find((d) => d.items.length > 0);
    assert.ok(input);
    const [first] = input.items;
    assert.ok(first);
    const xml = declarationToXml({
      ...input,
      items: Array.from({ length: 999 }, (_, i) => ({ ...first, sequence: i + 1 })),
    });
    const elements = xml.match(/<[A-Za-z]/g)?.length ?? 0;
    assert.ok(elements > 999 * 10 && elements * 2 < maxMessageElements, `${elements} elements`);
    const read = readMessage(xml);
    assert.ok(read.ok);
    const shipment = read.root.children.find((c) => c.name === 'GoodsShipment');
    const items = shipment?.children.filter((c) => c.name === 'GovernmentAgencyGoodsItem');
    assert.equal(items?.at(-1)?.path, 'Declaration/GoodsShipment/GovernmentAgencyGoodsItem[999]');
  });

  test('refuses elements nested 100,000 deep at the depth cap, without reading past it', () => {
    const n = 100_000;
    // what follows the cap is not well-formed: a reader that went on would report that instead
    const xml = `<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2">${'<a>'.repeat(n)}<bad =${'</a>'.repeat(n)}</Declaration>`;
    const read = readMessage(xml);
    assert.ok(!read.ok);
    assert.equal(read.error.code, 'xml_too_deep');
    assert.match(read.error.message, new RegExp(`more than ${maxMessageDepth} levels`));
    const atCap = `<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2">${'<a>'.repeat(maxMessageDepth - 1)}${'</a>'.repeat(maxMessageDepth - 1)}</Declaration>`;
    assert.ok(readMessage(atCap).ok, 'the cap itself is accepted');
  });

  test('schema findings stop at the cap, and one more finding says how many were left out', () => {
    const attributes = Array.from({ length: 5000 }, (_, i) => `a${i}="1"`).join(' ');
    const parsed = parseWcoMessage(handWritten.replace('<FunctionCode>', `<FunctionCode ${attributes}>`));
    assert.ok(parsed.ok);
    const schema = parsed.value.findings.filter((f) => f.code === 'xml_schema_invalid');
    assert.equal(schema.length, maxSchemaFindings + 1);
    assert.equal(schema[0]?.xmlPath, 'Declaration/FunctionCode');
    assert.match(schema.at(-1)?.message ?? '', new RegExp(`at ${5000 - maxSchemaFindings} more places`));
  });

  test('schema findings keep their element when the message uses a namespace prefix', () => {
    const prefixed = handWritten
      .replace('<Declaration xmlns=', '<d:Declaration xmlns:d=')
      .replace('</Declaration>', '</d:Declaration>')
      .replace(/<(\/?)(?!ds:|\?|d:Declaration)([A-Za-z])/g, '<$1d:$2')
      .replace('<d:TypeCode>EX</d:TypeCode>', '<d:TypeCode>EXPORT</d:TypeCode>')
      .replace('<d:SequenceNumeric>1<', '<d:SequenceNumeric>x<');
    const parsed = parseWcoMessage(prefixed);
    assert.ok(parsed.ok);
    const schema = parsed.value.findings.filter((f) => f.code === 'xml_schema_invalid');
    assert.deepEqual(
      schema.map((f) => [f.path, f.xmlPath, f.wcoId, f.line]),
      [
        ['type', 'Declaration/TypeCode', 'D013', 6],
        [
          'items[0].sequence',
          'Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/SequenceNumeric',
          '006',
          15,
        ],
      ],
    );
  });

  test('the mapping and the data dictionary name the same element and WCO ID for every field', async () => {
    const catalog = await loadCatalog(process.env.CLEARWAY_REFERENCE_DIR ?? defaultReferenceDir());
    const mapped = new Map(wcoXmlMapping.map((m) => [m.field, m]));
    assert.deepEqual([...mapped.keys()].sort(), catalog.entries.map((e) => e.path).sort());
    for (const entry of catalog.entries) {
      assert.equal(mapped.get(entry.path)?.xmlPath.replace('ds:', ''), entry.xmlPath, entry.path);
    }
    // independent vector: the WCO IDs of the exchange fields, read from the DEC-DMS 2 element list by hand
    const expected = {
      ucr: '016',
      transportDocument: 'D018',
      transportDocumentType: 'D019',
      exporter: 'R032',
      destinationCountry: '465',
      incoterm: '090',
    };
    for (const [field, id] of Object.entries(expected)) assert.equal(catalog.wcoIdOf(field), id, field);
  });

  test('docs/wco-mapping.md is the mapping table as generated', async () => {
    const doc = await readFile(new URL('../../../../docs/wco-mapping.md', import.meta.url), 'utf8');
    assert.equal(
      doc,
      mappingDocument(),
      'regenerate with: npx tsx src/declarations/formats/wco-xml/mapping-doc.ts',
    );
  });
});
