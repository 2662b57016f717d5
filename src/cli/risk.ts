/**
 * `clearway risk train|evaluate|assess`: trains the learned risk model on labelled declarations,
 * measures it, and risk-assesses the declarations waiting for a lane. These command forms are fixed: other tools call them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { openAppContext, openFileValidation } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { importFormats, type ImportFormat } from '../declarations/prepare.ts';
import { evaluateScores } from '../risk/evaluate.ts';
import { readLabelledFile } from '../risk/labelled-file.ts';
import { minimumControls, trainOnControls } from '../risk/retrain.ts';
import { holdoutShare, loadRiskModel, serializeRiskModel, trainRiskModel } from '../risk/risk-model.ts';
import { parse, readableFile, required, subCommand, UsageError, writableFile } from './usage.ts';

function formatOf(value: string | undefined): ImportFormat {
  const format = required(value, 'format');
  if (!(format in importFormats))
    throw new UsageError(`--format must be one of ${Object.keys(importFormats).join(', ')}`);
  return format as ImportFormat;
}

export async function riskCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const chosen = subCommand(sub, ['train', 'evaluate', 'assess'] as const);
  return chosen === 'train' ? train(rest) : chosen === 'evaluate' ? evaluate(rest) : assess(rest);
}

async function train(args: string[]): Promise<number> {
  const { values } = parse(args, {
    input: { type: 'string' },
    format: { type: 'string' },
    valid: { type: 'string' },
    out: { type: 'string' },
    'from-db': { type: 'boolean', default: false },
  });
  if (values['from-db']) {
    if (values.input || values.valid || values.format) {
      throw new UsageError('--from-db trains on the database: leave out --input, --valid and --format');
    }
    return trainFromDatabase(values.out);
  }
  const input = required(values.input, 'input');
  const out = required(values.out, 'out');
  const format = formatOf(values.format);
  await readableFile(input, 'input');
  if (values.valid !== undefined) await readableFile(values.valid, 'validation file');
  await writableFile(out, 'model file');
  const validation = await openFileValidation(loadConfig());
  const started = performance.now();
  const trainRows = await readLabelledFile(input, format, validation);
  const validRows = values.valid ? await readLabelledFile(values.valid, format, validation) : undefined;
  // without --valid, the latest tenth of the input chooses the number of trees
  const model = trainRiskModel(trainRows.rows, validRows?.rows);
  await writeFile(out, JSON.stringify(serializeRiskModel(model)));
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const stopping = validRows
    ? ''
    : `; the latest ${holdoutShare * 100}% held out to choose the trees, then refitted on all`;
  process.stderr.write(
    `trained on ${model.window.rows} declarations (${model.window.positives} positive, ${model.window.from}..${model.window.to}; ${trainRows.skipped} skipped): ` +
      `${model.fraud.treeCount} + ${model.critical.treeCount} trees${stopping} in ${seconds} s, written to ${out}\n`,
  );
  return 0;
}

/** Trains on the control results in the database, the latest tenth in time held out; registers the model. */
async function trainFromDatabase(out: string | undefined): Promise<number> {
  const ctx = await openAppContext(loadConfig());
  try {
    const started = performance.now();
    const trained = await trainOnControls(ctx.db, 'cli', await ctx.classification());
    if (!trained.ok) {
      process.stderr.write(
        `clearway risk train: only ${trained.controls} controlled declarations in the database; at least ${minimumControls} are needed\n`,
      );
      return 1;
    }
    const { model, metrics, registered } = trained;
    if (out) await writeFile(out, JSON.stringify(serializeRiskModel(model)));
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    process.stderr.write(
      `trained on ${model.window.rows} controlled declarations (${model.window.from}..${model.window.to}) in ${seconds} s; ` +
        `on the latest ${trained.holdout} (held out, and used to stop training): AUC ${metrics.auc}, precision@5% ${metrics.precisionAt['5']}, precision@10% ${metrics.precisionAt['10']}, Brier ${metrics.brier}\n`,
    );
    process.stdout.write(`registered model ${registered.id} (inactive: a risk analyst activates it)\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}

/** Risk-assesses the accepted declarations that have no lane yet. */
async function assess(args: string[]): Promise<number> {
  parse(args, {});
  const ctx = await openAppContext(loadConfig());
  try {
    const { assessed, lanes } = await ctx.risk.assessPending('selectivity');
    process.stdout.write(JSON.stringify({ assessed, lanes }) + '\n');
    return 0;
  } finally {
    await ctx.close();
  }
}

async function evaluate(args: string[]): Promise<number> {
  const { values } = parse(args, {
    model: { type: 'string' },
    input: { type: 'string' },
    format: { type: 'string' },
  });
  const modelFile = required(values.model, 'model');
  const input = required(values.input, 'input');
  const format = formatOf(values.format);
  await readableFile(modelFile, 'model');
  await readableFile(input, 'input');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(modelFile, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `cannot read the model ${modelFile}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let model;
  try {
    model = loadRiskModel(json);
  } catch (error) {
    throw new UsageError(`${modelFile}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const rows = await readLabelledFile(input, format, await openFileValidation(loadConfig()));
  const scores = model.fraud.predictMany(model.encoder.encodeMany(rows.rows.map((r) => r.declaration)));
  const result = evaluateScores(
    scores,
    Float64Array.from(rows.rows, (r) => r.fraud),
  );
  process.stdout.write(JSON.stringify(result) + '\n');
  return 0;
}
