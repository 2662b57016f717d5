/**
 * Cost of a WCO DEC-DMS 2 message per declaration, in process: writing it, reading it safely
 * (saxes), checking it against the XSD (libxml2-wasm, schemas compiled once) and mapping it.
 * Usage: npx tsx bench/wco-xml.ts [--count N]
 */
import { parseArgs } from 'node:util';
import { generateDeclarations } from '../src/demo/generate.ts';
import { declarationToXml, parseWcoMessage } from '../src/declarations/formats/wco-xml/index.ts';
import { readMessage } from '../src/declarations/formats/wco-xml/read.ts';
import { schemaViolations } from '../src/declarations/formats/wco-xml/xsd.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '2000' } } });
const inputs = [
  ...generateDeclarations({ count: Number(values.count), seed: 1, from: '2025-01-01', to: '2025-12-31' }),
].map((d) => d.input);

const compileStart = performance.now();
const first = inputs[0];
if (!first) throw new Error('the demo generator gave no declaration');
schemaViolations(declarationToXml(first));
const compileMs = performance.now() - compileStart;

function time(label: string, run: () => void, n: number) {
  const start = performance.now();
  run();
  const perMessage = (performance.now() - start) / n;
  process.stdout.write(`${label.padEnd(34)} ${(perMessage * 1000).toFixed(0).padStart(6)} µs per message\n`);
}

const messages: string[] = [];
time(
  'write (declarationToXml)',
  () => inputs.forEach((d) => messages.push(declarationToXml(d))),
  inputs.length,
);
time('read safely (saxes)', () => messages.forEach((m) => readMessage(m)), messages.length);
time('XSD validation (libxml2-wasm)', () => messages.forEach((m) => schemaViolations(m)), messages.length);
time('read + validate + map (parse)', () => messages.forEach((m) => parseWcoMessage(m)), messages.length);
const bytes = messages.reduce((sum, m) => sum + m.length, 0) / messages.length;
process.stdout.write(
  `${messages.length} messages, ${bytes.toFixed(0)} bytes on average; schemas compiled once in ${compileMs.toFixed(0)} ms\n`,
);
