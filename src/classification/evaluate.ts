/**
 * Measuring the classification aid: a CSV of descriptions with their expected HS6 code, and the
 * share of them whose code is among the first 1, 3 and 5 suggestions, at chapter (HS2), heading
 * (HS4) and subheading (HS6) level.
 */
import { parse } from 'csv-parse/sync';
import { err, ok, type Result } from '../shared/result.ts';
import { classify, type Classifier } from './classifier.ts';

export interface EvaluationCase {
  text: string;
  /** Six digits. */
  expected: string;
}

export interface Shares {
  hs2: number;
  hs4: number;
  hs6: number;
}

export interface ClassificationEvaluation {
  n: number;
  top1: Shares;
  top3: Shares;
  top5: Shares;
}

export interface EvaluationFileError {
  code: 'invalid_evaluation_file';
  message: string;
}

/** A record as csv-parse gives it with `info`: its cells and the line it ends on. */
interface Row {
  record: string[];
  info: { lines: number };
}

function isRow(x: unknown): x is Row {
  if (typeof x !== 'object' || x === null || !('record' in x) || !('info' in x)) return false;
  const { record, info } = x;
  return (
    Array.isArray(record) &&
    typeof info === 'object' &&
    info !== null &&
    'lines' in info &&
    typeof info.lines === 'number'
  );
}

const refuse = (message: string): Result<never, EvaluationFileError> =>
  err({ code: 'invalid_evaluation_file', message });

/**
 * The cases of a CSV whose header has the columns `text` and `expected_hs_code` (any order, other
 * columns ignored). A code may carry dots (0306.17) but must be six digits; a row without text or
 * with another code is refused with its line number.
 */
export function readEvaluationCsv(csv: string): Result<EvaluationCase[], EvaluationFileError> {
  let records: Row[];
  try {
    const parsed: unknown = parse(csv, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    });
    records = Array.isArray(parsed) ? parsed.filter(isRow) : [];
  } catch (error) {
    return refuse(`not a readable CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [header, ...rows] = records;
  if (header === undefined) return refuse('the file is empty');
  const names = header.record.map((name) => name.trim().toLowerCase());
  const textColumn = names.indexOf('text');
  const codeColumn = names.indexOf('expected_hs_code');
  if (textColumn < 0 || codeColumn < 0) {
    return refuse('the header must have the columns text and expected_hs_code');
  }
  const cases: EvaluationCase[] = [];
  for (const { record, info } of rows) {
    const text = (record[textColumn] ?? '').trim();
    const raw = (record[codeColumn] ?? '').trim();
    const expected = raw.replace(/\./g, '');
    if (text === '') return refuse(`line ${info.lines}: the text is empty`);
    if (!/^\d{6}$/.test(expected)) {
      return refuse(
        `line ${info.lines}: expected_hs_code "${raw}" is not an HS6 code (six digits, dots allowed)`,
      );
    }
    cases.push({ text, expected });
  }
  return ok(cases);
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/** The share of cases whose expected code is among the first 1, 3 and 5 suggestions, per level. */
export function evaluateClassifier(
  model: Classifier,
  cases: readonly EvaluationCase[],
): ClassificationEvaluation {
  const hits = { top1: [0, 0, 0], top3: [0, 0, 0], top5: [0, 0, 0] };
  const levels = [2, 4, 6];
  for (const { text, expected } of cases) {
    const codes = classify(model, text, { limit: 5 }).map((s) => s.hs6);
    for (const [key, k] of [
      ['top1', 1],
      ['top3', 3],
      ['top5', 5],
    ] as const) {
      levels.forEach((digits, level) => {
        const want = expected.slice(0, digits);
        if (codes.slice(0, k).some((code) => code.slice(0, digits) === want))
          hits[key][level] = (hits[key][level] ?? 0) + 1;
      });
    }
  }
  const shares = (counts: number[]): Shares => {
    const n = Math.max(1, cases.length);
    return {
      hs2: round((counts[0] ?? 0) / n),
      hs4: round((counts[1] ?? 0) / n),
      hs6: round((counts[2] ?? 0) / n),
    };
  };
  return { n: cases.length, top1: shares(hits.top1), top3: shares(hits.top3), top5: shares(hits.top5) };
}
