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
  ['a port that is not a number', { PORT: 'eighty' }, /PORT must be an integer/],
  ['a port out of range', { PORT: '70000' }, /PORT must be an integer between 0 and 65535/],
  ['a database URL of another kind', { DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
  ['a yes/no setting that is neither', { CLEARWAY_DEMO: 'maybe' }, /CLEARWAY_DEMO must be true or false/],
  ['a tiny body limit', { CLEARWAY_BODY_LIMIT: '10' }, /CLEARWAY_BODY_LIMIT/],
];
for (const [name, env, message] of invalid) {
  test(`refuses ${name}, naming the setting`, () => {
    assert.throws(
      () => loadConfig(env),
      (e: unknown) => e instanceof ConfigError && message.test(e.message),
    );
  });
}
