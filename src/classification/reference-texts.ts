/**
 * Where the classification aid's reference texts come from: the HS nomenclatures of the reference
 * data in use (CLEARWAY_REFERENCE_DIR or the repository's) and the US HTS statistical lines the
 * repository ships (data/hs-text, public domain).
 */
import path from 'node:path';
import type { Config } from '../config.ts';
import { dataFile } from '../reference/reference-dir.ts';
import { readReferenceTexts, type LabelledText } from './corpus.ts';

export const htsLinesFile = dataFile('hs-text/us-hts-2026-statistical-lines.csv');

export function referenceTextsFor(config: Pick<Config, 'referenceDir'>): Promise<LabelledText[]> {
  return readReferenceTexts({ hsDir: path.join(config.referenceDir, 'hs'), htsFile: htsLinesFile });
}
