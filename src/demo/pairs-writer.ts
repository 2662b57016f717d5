/**
 * Writes demo pairs (pairs.ts) into a folder, ready to load into two instances:
 *
 * - `A-exports.json`, `B-imports.json`: request bodies for `POST /api/declarations/batch`
 *   (`{"declarations": [...]}`), lodged by each side's broker, so that an accepted export is sent;
 * - `B-imports/`: the same imports as WCO DEC-DMS 2 message files, for `clearway import --format wco-xml`;
 * - `A-traders.txt`, `B-traders.txt`: each side's traders, comma-separated, for the broker's `--represents`;
 * - `labels.csv`: every consignment, which sides saw it and whether its import was undervalued.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { declarationToXml } from '../declarations/formats/wco-xml/index.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import { generatePairs, pairBroker, pairTraders, type PairOptions } from './pairs.ts';

/** The most declarations one batch request takes. */
export const maxPairs = 1000;

export interface PairsWritten {
  out: string;
  exports: number;
  imports: number;
  undervalued: number;
  exportOnly: number;
  importOnly: number;
  brokers: Record<string, string>;
}

export async function writeDemoPairs(options: PairOptions, out: string): Promise<PairsWritten> {
  if (options.pairs > maxPairs) throw new RangeError(`at most ${maxPairs} pairs, one batch request a side`);
  const { exporting: a, importing: b } = options;
  const xmlDir = path.join(out, `${b}-imports`);
  await mkdir(xmlDir, { recursive: true });
  const exports: DeclarationInput[] = [];
  const imports: DeclarationInput[] = [];
  const labels = [
    'ucr,transport_document,side,export_reference,import_reference,export_value,import_value,undervalued,ratio',
  ];
  const written: PairsWritten = {
    out,
    exports: 0,
    imports: 0,
    undervalued: 0,
    exportOnly: 0,
    importOnly: 0,
    brokers: { [a]: pairBroker(a), [b]: pairBroker(b) },
  };
  for (const pair of generatePairs(options)) {
    if (pair.export) exports.push(pair.export);
    if (pair.import) {
      imports.push(pair.import);
      await writeFile(
        path.join(xmlDir, `${pair.import.functionalReference}.xml`),
        declarationToXml(pair.import),
      );
    }
    if (pair.side === 'export_only') written.exportOnly++;
    if (pair.side === 'import_only') written.importOnly++;
    if (pair.undervaluedRatio !== undefined) written.undervalued++;
    labels.push(
      [
        pair.ucr,
        pair.transportDocument,
        pair.side,
        pair.export?.functionalReference ?? '',
        pair.import?.functionalReference ?? '',
        pair.export?.invoiceTotal ?? '',
        pair.import?.invoiceTotal ?? '',
        pair.undervaluedRatio !== undefined,
        pair.undervaluedRatio ?? '',
      ].join(','),
    );
  }
  written.exports = exports.length;
  written.imports = imports.length;
  await writeFile(path.join(out, `${a}-exports.json`), JSON.stringify({ declarations: exports }) + '\n');
  await writeFile(path.join(out, `${b}-imports.json`), JSON.stringify({ declarations: imports }) + '\n');
  await writeFile(path.join(out, `${a}-traders.txt`), pairTraders(a).join(',') + '\n');
  await writeFile(path.join(out, `${b}-traders.txt`), pairTraders(b).join(',') + '\n');
  await writeFile(path.join(out, 'labels.csv'), labels.join('\n') + '\n');
  return written;
}
