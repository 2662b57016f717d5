/**
 * `clearway classify`: the HS classification aid from the command line.
 * - `suggest "TEXT" [--date DAY] [--origin CC] [--limit N] [--json]`: the most likely subheadings.
 * - `train [--json]`: a new version from the reference texts and the stored descriptions,
 *   registered inactive (a risk analyst activates it), recorded as made by `cli:USER`.
 * - `activate ID`: make a version the one that answers.
 * - `evaluate --input CASES.csv [--json]`: top-1/3/5 accuracy at HS2, HS4 and HS6 of the active
 *   version on a CSV with columns text and expected_hs_code.
 */
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { referenceTextsFor } from '../classification/reference-texts.ts';
import { evaluateClassifier, readEvaluationCsv } from '../classification/evaluate.ts';
import { activateClassifier, activeClassifier } from '../classification/registry.ts';
import { trainFromDatabase } from '../classification/train.ts';
import { suggestionLimit } from '../classification/aid.ts';
import { descriptionMax } from '../classification/schema.ts';
import { dotted } from '../declarations/description-codes.ts';
import { isSupportedDay, supportedDayText } from '../shared/day.ts';
import { withContext } from './with-context.ts';
import { parse, positiveInt, readableFile, subCommand, UsageError } from './usage.ts';

const subCommands = ['suggest', 'train', 'activate', 'evaluate'] as const;
const usage = `usage: clearway classify suggest "TEXT" [--date DAY] [--origin CC] [--limit N] [--json]
       clearway classify train [--json]
       clearway classify activate ID
       clearway classify evaluate --input CASES.csv [--json]`;

export async function classifyCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  let which: (typeof subCommands)[number];
  try {
    which = subCommand(sub, subCommands);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
  if (which === 'suggest') return suggest(rest);
  if (which === 'train') return train(rest);
  if (which === 'activate') return activate(rest);
  return evaluate(rest);
}

const noModel =
  'no classification model is active: run `clearway classify train`, then `clearway classify activate ID`';

async function suggest(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      date: { type: 'string' },
      origin: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    true,
  );
  const text = positionals.join(' ').trim();
  if (text === '') throw new UsageError(`give the goods description to classify\n${usage}`);
  if (text.length > descriptionMax)
    throw new UsageError(`the description is longer than ${descriptionMax} characters`);
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  if (!isSupportedDay(date)) throw new UsageError(`--date must be ${supportedDayText}, got "${date}"`);
  const origin = values.origin?.toUpperCase();
  const limit = positiveInt(values.limit, 'limit', suggestionLimit.default);
  if (limit > suggestionLimit.max) throw new UsageError(`--limit must be at most ${suggestionLimit.max}`);
  return withContext(async (ctx) => {
    if (origin !== undefined && !ctx.reference.isCountry(origin))
      throw new UsageError(`--origin must be a two-letter country code, got "${values.origin}"`);
    const edition = ctx.reference.hsEditionOn(date);
    if (!edition) throw new UsageError(`no HS edition is in force on ${date}`);
    const aid = await ctx.classification();
    if (aid.modelId() === null) {
      process.stderr.write(`clearway classify: ${noModel}\n`);
      return 1;
    }
    const found = aid.suggest(text, date, { limit, ...(origin ? { origin } : {}) });
    if (values.json) {
      process.stdout.write(
        JSON.stringify({
          model: aid.modelId(),
          edition,
          date,
          suggestions: found.map((s) => ({ ...s, code: dotted(s.hs6) })),
        }) + '\n',
      );
      return 0;
    }
    if (found.length === 0) process.stdout.write('No code found: describe the goods in more words.\n');
    for (const s of found)
      process.stdout.write(
        `${dotted(s.hs6)}  ${(s.confidence * 100).toFixed(0).padStart(3)}%  ${s.subheading.description}\n` +
          `         heading ${s.heading.code}: ${s.heading.description}\n` +
          (s.words.length ? `         from: ${s.words.join(', ')}\n` : ''),
      );
    return 0;
  });
}

async function train(args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean', default: false } });
  return withContext(async (ctx) => {
    const reference = await referenceTextsFor(ctx.config);
    const trained = await trainFromDatabase(ctx.db, reference, `cli:${userInfo().username}`);
    const v = trained.registered;
    if (values.json) {
      process.stdout.write(JSON.stringify({ ...v, id: Number(v.id), holdout: trained.holdout }) + '\n');
      return 0;
    }
    const m = trained.metrics;
    process.stdout.write(
      `Registered classification model ${v.id} (inactive): ${v.texts.reference} reference texts and ` +
        `${v.texts.declarations} declared descriptions, ${v.codes} subheadings.\n` +
        (m
          ? `On the latest ${m.n} descriptions, held out: top-1 HS4 ${pct(m.top1.hs4)}, top-3 HS4 ${pct(m.top3.hs4)}, top-5 HS6 ${pct(m.top5.hs6)}.\n`
          : 'Too few declared descriptions to measure it on a held-out part.\n') +
        `Activate it with: clearway classify activate ${v.id}\n`,
    );
    return 0;
  });
}

async function activate(args: string[]): Promise<number> {
  const { positionals } = parse(args, {}, true);
  const [id, extra] = positionals;
  if (id === undefined || extra !== undefined || !/^\d{1,15}$/.test(id))
    throw new UsageError(`give the id of one model version\n${usage}`);
  return withContext(async (ctx) => {
    const done = await activateClassifier(ctx.db, Number(id), `cli:${userInfo().username}`);
    if (!done) {
      process.stderr.write(`clearway classify: no classification model version ${id}\n`);
      return 1;
    }
    process.stdout.write(`Classification model ${id} is now the one that answers.\n`);
    return 0;
  });
}

async function evaluate(args: string[]): Promise<number> {
  const { values } = parse(args, { input: { type: 'string' }, json: { type: 'boolean', default: false } });
  if (!values.input) throw new UsageError(`--input is required\n${usage}`);
  const file = await readableFile(values.input, '--input');
  const cases = readEvaluationCsv(await readFile(file, 'utf8'));
  if (!cases.ok) {
    process.stderr.write(`clearway classify: ${values.input}: ${cases.error.message}\n`);
    return 1;
  }
  return withContext(async (ctx) => {
    const active = await activeClassifier(ctx.db);
    if (!active) {
      process.stderr.write(`clearway classify: ${noModel}\n`);
      return 1;
    }
    const result = evaluateClassifier(active.model, cases.value);
    if (values.json) {
      process.stdout.write(JSON.stringify(result) + '\n');
      return 0;
    }
    process.stdout.write(
      `${result.n} cases, model ${active.id}\n` +
        (['top1', 'top3', 'top5'] as const)
          .map((k) => `${k}: HS2 ${pct(result[k].hs2)}  HS4 ${pct(result[k].hs4)}  HS6 ${pct(result[k].hs6)}`)
          .join('\n') +
        '\n',
    );
    return 0;
  });
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
