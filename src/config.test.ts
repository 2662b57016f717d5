import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test("defaults serve port 8080 from the embedded database in ./.clearway, with the repository's reference data", () => {
  const config = loadConfig({});
  assert.equal(config.port, 8080);
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.dataDir, path.resolve('.clearway'));
  assert.equal(config.referenceDir, path.resolve(import.meta.dirname, '../data/reference'));
});

test('uploaded files are kept in the data folder unless CLEARWAY_UPLOAD_DIR says otherwise, and never held', () => {
  assert.equal(loadConfig({ CLEARWAY_DATA_DIR: '/tmp/x' }).uploadDir, '/tmp/x/uploads');
  assert.equal(loadConfig({ CLEARWAY_UPLOAD_DIR: '/srv/uploads' }).uploadDir, '/srv/uploads');
  assert.equal(loadConfig({}).uploadTestHold, undefined);
});

test('settings come from the environment', () => {
  const config = loadConfig({
    PORT: '9000',
    HOST: '127.0.0.1',
    CLEARWAY_DATA_DIR: '/tmp/x',
    DATABASE_URL: 'postgres://u@h/db',
    CLEARWAY_DEMO: 'false',
  });
  assert.deepEqual(
    [config.port, config.host, config.dataDir, config.databaseUrl, config.seedDemo],
    [9000, '127.0.0.1', '/tmp/x', 'postgres://u@h/db', false],
  );
});

const invalid: [string, Record<string, string>, RegExp][] = [
  [
    'a mirror window of no days',
    { CLEARWAY_MIRROR_WINDOW_DAYS: '0' },
    /CLEARWAY_MIRROR_WINDOW_DAYS must be an integer between 1 and 3650/,
  ],
  [
    'a mirror margin that is not a number',
    { CLEARWAY_MIRROR_MARGIN: '10%' },
    /CLEARWAY_MIRROR_MARGIN must be a number/,
  ],
  [
    'a low value bound above 1',
    { CLEARWAY_MIRROR_VALUE_LOW: '1.2' },
    /CLEARWAY_MIRROR_VALUE_LOW must be a number between 0 and 1/,
  ],
  [
    'a high value bound below 1',
    { CLEARWAY_MIRROR_VALUE_HIGH: '0.9' },
    /CLEARWAY_MIRROR_VALUE_HIGH must be a number between 1 and 100/,
  ],
  ['a negative mass tolerance', { CLEARWAY_MIRROR_MASS_TOLERANCE: '-0.1' }, /CLEARWAY_MIRROR_MASS_TOLERANCE/],
  ['a port that is not a number', { PORT: 'eighty' }, /PORT must be an integer/],
  ['a port out of range', { PORT: '70000' }, /PORT must be an integer between 0 and 65535/],
  ['a database URL of another kind', { DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
  ['a yes/no setting that is neither', { CLEARWAY_DEMO: 'maybe' }, /CLEARWAY_DEMO must be true or false/],
  ['a tiny body limit', { CLEARWAY_BODY_LIMIT: '10' }, /CLEARWAY_BODY_LIMIT/],
  [
    'an administration code in lower case',
    { CLEARWAY_ADMINISTRATION: 'kr' },
    /CLEARWAY_ADMINISTRATION must be/,
  ],
  [
    'an administration code of one letter',
    { CLEARWAY_ADMINISTRATION: 'K' },
    /CLEARWAY_ADMINISTRATION must be/,
  ],
  ['an administration code with a space', { CLEARWAY_ADMINISTRATION: 'KR CS' }, /CLEARWAY_ADMINISTRATION/],
  [
    'a clock window of none',
    { CLEARWAY_EXCHANGE_CLOCK_SKEW_SECONDS: '0' },
    /CLEARWAY_EXCHANGE_CLOCK_SKEW_SECONDS/,
  ],
  [
    'a default token lifetime above the longest',
    { CLEARWAY_TOKEN_DAYS: '400' },
    /CLEARWAY_TOKEN_DAYS \(400\) must not exceed CLEARWAY_TOKEN_MAX_DAYS \(365\)/,
  ],
  [
    'a proxy that is no address',
    { CLEARWAY_TRUST_PROXY: 'proxy.local' },
    /CLEARWAY_TRUST_PROXY .*"proxy.local"/,
  ],
  ['a CIDR range too wide', { CLEARWAY_TRUST_PROXY: '10.0.0.0/33' }, /"10.0.0.0\/33"/],
  [
    'an upload hold of no stage',
    { CLEARWAY_TEST_UPLOAD_HOLD: 'receiving', NODE_ENV: 'test' },
    /CLEARWAY_TEST_UPLOAD_HOLD must be importing or assessing, got "receiving"/,
  ],
  [
    'an upload hold outside a test',
    { CLEARWAY_TEST_UPLOAD_HOLD: 'importing', NODE_ENV: 'production' },
    /CLEARWAY_TEST_UPLOAD_HOLD is for crash tests and needs NODE_ENV=test/,
  ],
];

test('API tokens live 90 days unless asked, 365 at most, and both may be set', () => {
  assert.deepEqual(loadConfig({}).tokenLifetime, { defaultDays: 90, maxDays: 365 });
  assert.deepEqual(loadConfig({ CLEARWAY_TOKEN_MAX_DAYS: '30' }).tokenLifetime, {
    defaultDays: 30,
    maxDays: 30,
  });
  assert.deepEqual(loadConfig({ CLEARWAY_TOKEN_DAYS: '7', CLEARWAY_TOKEN_MAX_DAYS: '14' }).tokenLifetime, {
    defaultDays: 7,
    maxDays: 14,
  });
});

test('proxies are trusted only when configured: all, a number of hops, or addresses and ranges', () => {
  const trust = (value: string) => loadConfig({ CLEARWAY_TRUST_PROXY: value }).trustProxy;
  assert.equal(loadConfig({}).trustProxy, false);
  assert.deepEqual(['false', 'true', '2', '10.0.0.0/8, 127.0.0.1,::1'].map(trust), [
    false,
    true,
    2,
    ['10.0.0.0/8', '127.0.0.1', '::1'],
  ]);
});
test('the administration is unset unless given: a country code or a code of its choosing', () => {
  assert.equal(loadConfig({}).administration, undefined);
  assert.equal(loadConfig({ CLEARWAY_ADMINISTRATION: 'KR' }).administration, 'KR');
  assert.equal(loadConfig({ CLEARWAY_ADMINISTRATION: 'EUTAXUD1' }).administration, 'EUTAXUD1');
  const config = loadConfig({ CLEARWAY_DATA_DIR: '/srv/cw' });
  assert.equal(config.exchangeKeyFile, '/srv/cw/exchange-key.pem');
  assert.equal(config.exchangeClockSkewSeconds, 300);
  assert.equal(config.exchangeRetrySeconds, 30);
});
test('mirror analysis has written-down defaults, each configurable', () => {
  assert.deepEqual(loadConfig({}).mirror, {
    windowDays: 60,
    margin: 0.1,
    valueLow: 0.7,
    valueHigh: 1.5,
    quantityTolerance: 0.05,
    massTolerance: 0.1,
  });
  const set = loadConfig({ CLEARWAY_MIRROR_WINDOW_DAYS: '90', CLEARWAY_MIRROR_MARGIN: '0.15' }).mirror;
  assert.deepEqual([set.windowDays, set.margin], [90, 0.15]);
});

for (const [name, env, message] of invalid) {
  test(`refuses ${name}, naming the setting`, () => {
    assert.throws(
      () => loadConfig(env),
      (e: unknown) => e instanceof ConfigError && message.test(e.message),
    );
  });
}
