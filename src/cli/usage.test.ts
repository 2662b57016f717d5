/**
 * Every `clearway` sub-command, run as an operator would, with the usage mistakes an operator
 * makes: a missing or unknown flag, a bad value, a file that is not there. Each must end with exit
 * code 2 and one line on standard error that names the problem, never a stack trace, and without
 * touching the database (the data folder stays empty).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clearway } from '../testing/cli-process.ts';

let dir = '';
/** A path in the work folder; the files named in `files` exist there. */
const at = (name: string) => path.join(dir, name);
const missing = 'missing.csv';

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'clearway-usage-'));
  await mkdir(at('folder'));
  await writeFile(at('empty.csv'), '');
  await writeFile(at('model.json'), '{"format":"clearway-risk-model"');
  await writeFile(at('key.pem'), 'not a key');
});
after(() => rm(dir, { recursive: true, force: true }));

/** [what the operator did wrong, the arguments (names of work files are resolved), the message]. */
const cases: [string, string[], RegExp][] = [
  ['no command at all', [], /give a command/],
  ['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],

  ['import without a file', ['import', '--format', 'kcs'], /give exactly one FILE to import/],
  ['import with two files', ['import', 'a.csv', 'b.csv', '--format', 'kcs'], /give exactly one FILE/],
  ['import without --format', ['import', 'empty.csv'], /--format must be one of kcs, clearway/],
  ['import with an unknown format', ['import', 'empty.csv', '--format', 'xml'], /--format must be one of/],
  ['import with an unknown option', ['import', 'empty.csv', '--bogus'], /Unknown option '--bogus'/],
  ['import of a missing file', ['import', missing, '--format', 'kcs'], /cannot read .*missing\.csv/],
  ['import of a folder', ['import', 'folder', '--format', 'kcs'], /folder is not a file/],
  [
    'import with rejects in a missing folder',
    ['import', 'empty.csv', '--format', 'kcs', '--rejects', 'nowhere/rejects.csv'],
    /cannot write the rejects file .*nowhere\/rejects\.csv/,
  ],

  ['users without a sub-command', ['users'], /usage: clearway users create\|list/],
  ['users with an unknown sub-command', ['users', 'delete'], /usage: clearway users create\|list/],
  ['users create without --username', ['users', 'create', '--role', 'officer'], /--username is required/],
  ['users create without --role', ['users', 'create', '--username', 'x'], /--role is required/],
  [
    'users create with an unknown role',
    ['users', 'create', '--username', 'pilot-x', '--role', 'pilot'],
    /role must be one of .*officer/,
  ],
  [
    'users create with a username that cannot be one',
    ['users', 'create', '--username', 'A B', '--role', 'officer'],
    /username: 3-64 lowercase letters/,
  ],
  [
    'users create of a trader without its identifier',
    ['users', 'create', '--username', 'trader-x', '--role', 'trader'],
    /a trader needs the trader identifier/,
  ],
  ['users create with an unknown option', ['users', 'create', '--admin'], /Unknown option '--admin'/],
  ['users list with an argument', ['users', 'list', 'all'], /Unexpected argument 'all'|unexpected/i],

  ['users offices without a username', ['users', 'offices'], /usage: clearway users offices USERNAME/],

  ['offices without a sub-command', ['offices'], /give a sub-command: one of list, add, update/],
  ['offices with an unknown sub-command', ['offices', 'remove'], /unknown sub-command "remove"/],
  ['offices list with an unknown option', ['offices', 'list', '--all'], /Unknown option '--all'/],
  [
    'offices add without --code',
    ['offices', 'add', '--name', 'Port', '--country', 'KR'],
    /--code is required/,
  ],
  [
    'offices add without --country',
    ['offices', 'add', '--code', '077', '--name', 'Port'],
    /--country is required/,
  ],
  ['offices update with nothing to change', ['offices', 'update', '--code', '077'], /nothing to change/],

  ['reference without a sub-command', ['reference'], /give a sub-command: one of search/],
  ['reference search without a list', ['reference', 'search'], /usage: clearway reference search LIST QUERY/],
  [
    'reference search of an unknown list',
    ['reference', 'search', 'planets', 'mars'],
    /no code list "planets"/,
  ],
  [
    'reference search with an impossible date',
    ['reference', 'search', 'hs', 'glass', '--date', '2025-02-30'],
    /--date must be/,
  ],
  [
    'reference search with --limit 0',
    ['reference', 'search', 'hs', 'glass', '--limit', '0'],
    /--limit must be/,
  ],
  [
    'reference search with --limit 51',
    ['reference', 'search', 'hs', 'glass', '--limit', '51'],
    /--limit must be at most 50/,
  ],

  ['tokens without a sub-command', ['tokens'], /usage: clearway tokens create/],
  ['tokens create without --user', ['tokens', 'create'], /--user is required/],
  ['tokens create with --days 0', ['tokens', 'create', '--user', 'u', '--days', '0'], /--days must be/],
  ['tokens create with --days 1.5', ['tokens', 'create', '--user', 'u', '--days', '1.5'], /--days must be/],
  ['tokens create with --days abc', ['tokens', 'create', '--user', 'u', '--days', 'abc'], /--days must be/],

  ['demo without a sub-command', ['demo'], /missing sub-command/],
  ['demo with an unknown sub-command', ['demo', 'play'], /unknown sub-command 'play'/],
  ['demo generate with --count 0', ['demo', 'generate', '--count', '0'], /--count must be an integer/],
  ['demo generate with --count x', ['demo', 'generate', '--count', 'x'], /--count must be an integer/],
  ['demo generate with an impossible date', ['demo', 'generate', '--from', '2025-02-30'], /--from must be/],
  [
    'demo generate with --from after --to',
    ['demo', 'generate', '--from', '2025-03-01', '--to', '2025-02-01'],
    /--from .* must not be after --to/,
  ],
  ['demo generate with an unknown option', ['demo', 'generate', '--size', '3'], /Unknown option '--size'/],
  ['demo pairs without --out', ['demo', 'pairs'], /--out DIR is required/],
  [
    'demo clearance with a seed that is no integer',
    ['demo', 'clearance', '--seed', 'x'],
    /--seed must be an integer/,
  ],
  [
    'demo clearance with an impossible day',
    ['demo', 'clearance', '--until', '2026-02-30'],
    /--until must be a date/,
  ],
  [
    'demo clearance with an unknown option',
    ['demo', 'clearance', '--count', '3'],
    /Unknown option '--count'/,
  ],
  [
    'demo pairs with --undervalued 1.5',
    ['demo', 'pairs', '--out', 'x', '--undervalued', '1.5'],
    /--undervalued must be a share/,
  ],

  ['risk without a sub-command', ['risk'], /sub-command.*train, evaluate, assess/],
  ['risk with an unknown sub-command', ['risk', 'score'], /unknown sub-command "score"/],
  [
    'risk train without --input',
    ['risk', 'train', '--format', 'kcs', '--out', 'm.json'],
    /--input is required/,
  ],
  ['risk train without --out', ['risk', 'train', '--input', 'x.csv', '--format', 'kcs'], /--out is required/],
  [
    'risk train with an unknown format',
    ['risk', 'train', '--input', 'empty.csv', '--format', 'xls', '--out', 'm.json'],
    /--format must be one of kcs, clearway/,
  ],
  [
    'risk train on a missing file',
    ['risk', 'train', '--input', missing, '--format', 'kcs', '--out', 'm.json'],
    /cannot read .*missing\.csv/,
  ],
  [
    'risk train on an empty file',
    ['risk', 'train', '--input', 'empty.csv', '--format', 'kcs', '--out', 'm.json'],
    /empty\.csv is empty/,
  ],
  [
    'risk train with a missing validation file',
    ['risk', 'train', '--input', 'empty.csv', '--valid', missing, '--format', 'kcs', '--out', 'm.json'],
    /cannot read .*missing\.csv/,
  ],
  [
    'risk train --from-db with an input file',
    ['risk', 'train', '--from-db', '--input', 'empty.csv'],
    /--from-db trains on the database/,
  ],
  [
    'risk train into a missing folder',
    ['risk', 'train', '--input', 'empty.csv', '--format', 'kcs', '--out', 'nowhere/m.json'],
    /cannot write the model file .*nowhere\/m\.json: no such file or folder/,
  ],
  ['risk train with an unknown option', ['risk', 'train', '--trees', '9'], /Unknown option '--trees'/],
  [
    'risk evaluate without --model',
    ['risk', 'evaluate', '--input', 'empty.csv', '--format', 'kcs'],
    /--model is required/,
  ],
  [
    'risk evaluate with a missing model',
    ['risk', 'evaluate', '--model', 'nomodel.json', '--input', 'empty.csv', '--format', 'kcs'],
    /cannot read the model .*nomodel\.json/,
  ],
  [
    'risk evaluate with a corrupt model',
    ['risk', 'evaluate', '--model', 'model.json', '--input', 'empty.csv', '--format', 'kcs'],
    /cannot read the model .*model\.json/,
  ],
  ['risk assess with an option', ['risk', 'assess', '--all'], /Unknown option '--all'/],

  ['ledger without a sub-command', ['ledger'], /usage: clearway ledger/],
  ['ledger export-checkpoint with a word', ['ledger', 'export-checkpoint', 'abc'], /whole number above 0/],
  [
    'ledger verify-checkpoint of a missing file',
    ['ledger', 'verify-checkpoint', missing, '--public-key', 'key.pem'],
    /cannot read the checkpoint file .*missing\.csv/,
  ],

  ['monitor without a sub-command', ['monitor'], /usage: clearway monitor run/],
  ['monitor run by year', ['monitor', 'run', '--period', 'year'], /--period must be one of week, month/],
  [
    'monitor run on a day that is not one',
    ['monitor', 'run', '--today', '2026-02-30'],
    /--today must be a calendar day/,
  ],
  ['quality without a sub-command', ['quality'], /usage: clearway quality report/],
  [
    'quality report by year',
    ['quality', 'report', '--period', 'year'],
    /--period must be one of day, week, month/,
  ],
  ['quality report by something unknown', ['quality', 'report', '--by', 'office'], /--by must be one of/],
  ['quality report with --limit 0', ['quality', 'report', '--limit', '0'], /--limit must be a whole number/],
  ['quality report from no date', ['quality', 'report', '--from', 'yesterday'], /from/],

  ['export without a sub-command', ['export'], /usage: clearway export analytics/],
  ['export analytics without --out', ['export', 'analytics'], /--out is required/],
  [
    'export analytics into a missing folder',
    ['export', 'analytics', '--out', 'nowhere/x.jsonl'],
    /cannot write the export .*nowhere\/x\.jsonl/,
  ],
  [
    'export analytics from an impossible day',
    ['export', 'analytics', '--out', 'x.jsonl', '--from', '2025-13-01'],
    /--from must be a calendar day/,
  ],
  [
    'export analytics with --from after --to',
    ['export', 'analytics', '--out', 'x.jsonl', '--from', '2025-03-01', '--to', '2025-01-01'],
    /--from 2025-03-01 is after --to 2025-01-01/,
  ],
  [
    'export analytics with a bad release label',
    ['export', 'analytics', '--out', 'x.jsonl', '--release', 'a b'],
    /--release must be letters/,
  ],

  ['backup without --out or --verify', ['backup'], /give either --out FILE .* or --verify FILE/],
  ['backup with both --out and --verify', ['backup', '--out', 'a', '--verify', 'b'], /give either/],
  [
    'backup --verify of a missing file',
    ['backup', '--verify', missing],
    /cannot read the backup .*missing\.csv/,
  ],

  ['restore without a file', ['restore'], /give exactly one backup FILE/],
  ['restore with two files', ['restore', 'a', 'b'], /give exactly one backup FILE/],
  ['restore of a missing file', ['restore', missing], /cannot read the backup .*missing\.csv/],

  ['archive with an argument', ['archive', 'now'], /Unexpected argument 'now'/],
  ['archive with --batch 0', ['archive', '--batch', '0'], /--batch must be a whole number above 0/],
  ['archive verify without a folder', ['archive', 'verify'], /usage: clearway archive verify FOLDER/],
  [
    'archive verify of a missing folder',
    ['archive', 'verify', 'nofolder'],
    /cannot read the archive folder .*nofolder/,
  ],

  ['retention without a sub-command', ['retention'], /usage: clearway retention list/],
  ['retention set without a period', ['retention', 'set', 'declarations'], /usage: clearway retention/],
  [
    'retention set of an unknown class',
    ['retention', 'set', 'photos', '1y'],
    /there is no data class "photos"/,
  ],
  [
    'retention set with a bad period',
    ['retention', 'set', 'declarations', 'long'],
    /"long" is not a retention period/,
  ],

  ['hold without a sub-command', ['hold'], /usage: clearway hold place ID/],
  ['hold place without an id', ['hold', 'place', '--reason', 'audit'], /give the declaration's id/],
  ['hold place with id 0', ['hold', 'place', '0', '--reason', 'audit'], /give the declaration's id/],
  ['hold place with id 1e3', ['hold', 'place', '1e3', '--reason', 'audit'], /give the declaration's id/],
  ['hold release without --reason', ['hold', 'release', '7'], /--reason is required/],
];

const workFiles = new Set([
  missing,
  'empty.csv',
  'folder',
  'model.json',
  'nomodel.json',
  'key.pem',
  'nofolder',
]);

describe(
  'clearway refuses bad usage with exit code 2 and one line naming the problem',
  {
    concurrency: 2,
  },
  () => {
    for (const [name, args, message] of cases) {
      test(name, async () => {
        const resolved = args.map((a) => (workFiles.has(a) || a.startsWith('nowhere/') ? at(a) : a));
        const data = at(`data-${cases.findIndex((c) => c[0] === name)}`);
        const run = await clearway(
          { CLEARWAY_DATA_DIR: data, DATABASE_URL: '', CLEARWAY_DEMO: 'false', LOG_LEVEL: 'silent' },
          resolved,
        );
        const lines = run.stderr.split('\n').filter((l) => l !== '');
        assert.equal(run.code, 2, `exit code; stderr: ${run.stderr}`);
        assert.equal(lines.length, 1, `one line on standard error, got:\n${run.stderr}`);
        assert.match(lines[0] ?? '', /^clearway[ :]/);
        assert.match(lines[0] ?? '', message);
        assert.equal(run.stdout, '');
        assert.deepEqual(await readdir(data).catch(() => []), [], 'the database was not opened');
      });
    }
  },
);
