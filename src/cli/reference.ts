/**
 * `clearway reference search LIST QUERY [--date DAY] [--limit N] [--json]`: a code list searched by
 * code and by words as in force on a day, as the lodging form's pickers search it; one code and its
 * description per line (tab-separated), or the answer as one JSON line. `clearway reference search
 * hs --codes A,B,C [--date DAY]`: exactly those HS subheadings (up to 200) that are in the edition in
 * force, as `GET /api/reference/hs?codes=` answers.
 */
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { openReferenceSearch, searchLimits, searchLists } from '../reference/reference-search.ts';
import { isSupportedDay, supportedDayText } from '../shared/day.ts';
import { parse, positiveInt, subCommand, UsageError } from './usage.ts';

const usage =
  `usage: clearway reference search LIST QUERY [--date DAY] [--limit N] [--json] (LIST: ${searchLists.join(', ')}), ` +
  'or clearway reference search hs --codes A,B,C [--date DAY] [--json]';

export async function referenceCommand(args: string[]): Promise<number> {
  const [given, ...rest] = args;
  subCommand(given, ['search'] as const);
  const { values, positionals } = parse(
    rest,
    {
      date: { type: 'string' },
      limit: { type: 'string' },
      codes: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    true,
  );
  const [list, ...words] = positionals;
  if (list === undefined) throw new UsageError(usage);
  if (!(searchLists as readonly string[]).includes(list))
    throw new UsageError(`there is no code list "${list}"; the lists are ${searchLists.join(', ')}`);
  const query = words.join(' ');
  if (query.length > searchLimits.query)
    throw new UsageError(`the query must be at most ${searchLimits.query} characters`);
  // as the API's default: today's UTC day
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  if (!isSupportedDay(date)) throw new UsageError(`--date must be ${supportedDayText}, got "${date}"`);
  const limit = positiveInt(values.limit, 'limit', searchLimits.defaultLimit);
  if (limit > searchLimits.limit) throw new UsageError(`--limit must be at most ${searchLimits.limit}`);

  const ctx = await openAppContext(loadConfig());
  try {
    const search = await openReferenceSearch(ctx.config.referenceDir, ctx.reference, () => ctx.offices());
    const codes = values.codes === undefined ? {} : { codes: values.codes.split(',') };
    const result = search.search({ list, query, date, limit, ...codes });
    if (!result.ok) throw new UsageError(result.error.message);
    const answer = result.value;
    if (values.json) process.stdout.write(JSON.stringify(answer) + '\n');
    else for (const item of answer.items) process.stdout.write(`${item.code}\t${item.description}\n`);
    if (!values.json && answer.edition === null)
      process.stderr.write(`no HS edition is in force on ${date}\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}
