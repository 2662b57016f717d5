/**
 * Hostile values for fuzzing the API: text PostgreSQL cannot store, numbers written loosely or
 * out of every column's range, days PostgreSQL cannot take, cursors out of range, long and odd
 * text, JSON numbers JSON.stringify cannot write (1e999), nested and polluting shapes.
 */
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A value placed in a JSON body as raw text: numbers JSON.stringify cannot write. */
export class RawJson {
  constructor(readonly text: string) {}
}
export type Hostile = Json | RawJson;

/** Text PostgreSQL cannot store. */
export const unstorable = ['a\u0000b', '\u0000', '\ud800', 'x\udfffy', '\udc00\ud800', 'ok\ud83d'];
/** Numbers written as Number() reads them but a column cannot take them, or not at all. */
export const looseNumbers = [
  ' 1',
  '1 ',
  '0x10',
  '1e3',
  '1e21',
  '-1',
  '0',
  '1.5',
  '1_000',
  'Infinity',
  '-Infinity',
  'NaN',
  '99999999999999999999',
  '9223372036854775808',
  '2147483648',
  '-2147483649',
  '9007199254740993',
];
/** Days PostgreSQL cannot take, or that are no days. */
export const farDays = [
  '0000-01-01',
  '1899-12-31',
  '9999-12-31',
  '10000-01-01',
  '2026-02-30',
  '-2026-01-01',
  '2026-1-1',
];
/** Cursors of the shapes the API writes (`score_id`, `line_seq`), out of range. */
const cursors = ['1_1000000000000000000000', '9999999999_1', '0.5_1e400', '1e999_1', '_', '1_'];
const oddText = [
  '',
  ' ',
  '%',
  '%00',
  '../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  'null',
  'true',
  '[]',
  '{}',
  '\u202e\u0301',
  '😀',
  'é'.repeat(3000),
];

const hostileNumbers: Hostile[] = [
  1e21,
  1e308,
  -1e308,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  -1,
  0,
  0.5,
  1.5,
  5e-324,
  new RawJson('1e999'),
  new RawJson('-1e999'),
  new RawJson('123456789012345678901234567890'),
  new RawJson('1E400'),
];

const nested = (depth: number): Json => (depth === 0 ? 'x' : [{ a: nested(depth - 1) }]);

const hostileShapes: Json[] = [
  null,
  true,
  false,
  [],
  {},
  [null],
  { a: 1 },
  nested(40),
  Array.from({ length: 2000 }, () => 0),
  JSON.parse('{"__proto__": {"polluted": true}}') as Json,
  { constructor: { prototype: { polluted: true } } },
];

/** A string that is over any limit the schema sets, or merely long. */
const longString = fc.integer({ min: 1, max: 20_000 }).map((n) => 'x'.repeat(n));

/** Each kind of hostile text about as often as the others. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.oneof(
    fc.constantFrom(...unstorable),
    fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...unstorable)).map(([a, b]) => a + b),
  ),
  fc.constantFrom(...looseNumbers),
  fc.oneof(
    fc.constantFrom(...farDays),
    fc
      .date({
        min: new Date(-8_640_000_000_000_000),
        max: new Date(8_640_000_000_000_000),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10)),
  ),
  fc.constantFrom(...cursors),
  fc.constantFrom(...oddText),
  longString,
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.oneof(
    fc.double().map((d) => String(d)),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  ),
);

export const hostileJson: fc.Arbitrary<Hostile> = fc.oneof(
  { weight: 4, arbitrary: hostileText },
  { weight: 2, arbitrary: fc.constantFrom(...hostileNumbers) },
  { weight: 1, arbitrary: fc.constantFrom(...hostileShapes) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.double().filter(Number.isFinite),
      fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
    ),
  },
);

const placeholder = (i: number) => `\u{10FFFF}raw${i}\u{10FFFF}`;

/** JSON text of a body that may hold RawJson values. */
export function serialize(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return placeholder(raws.length - 1);
    }
    return v;
  });
  return raws.reduce((t, raw, i) => t.replace(JSON.stringify(placeholder(i)), raw), text ?? 'null');
}

/** Percent-encodes every UTF-16 code unit, lone surrogates as the bytes of their code point. */
export function encode(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const bytes =
      cp >= 0xd800 && cp <= 0xdfff
        ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
        : [...Buffer.from(ch, 'utf8')];
    out += /^[A-Za-z0-9_.~-]$/.test(ch)
      ? ch
      : bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}
