import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointProblem, isForbiddenAddress, resolvedEndpointProblem } from './endpoint.ts';

const strict = { allowHttp: false, allowPrivate: false };

test('a partner endpoint must be https unless plain http is allowed', () => {
  assert.equal(endpointProblem('https://customs.example/api/exchange/inbox', strict), null);
  assert.match(endpointProblem('http://customs.example/inbox', strict) ?? '', /must be an https URL/);
  assert.equal(endpointProblem('http://customs.example/inbox', { ...strict, allowHttp: true }), null);
  assert.match(
    endpointProblem('ftp://customs.example/inbox', { ...strict, allowHttp: true }) ?? '',
    /http\(s\)/,
  );
  assert.match(endpointProblem('https://u:p@customs.example/', strict) ?? '', /user name or password/);
});

test('loopback, link-local and private hosts are refused unless allowed', () => {
  for (const host of [
    '127.0.0.1',
    'localhost',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '[::1]',
    '[fe80::1]',
    '[fd00::1]',
    '[::ffff:127.0.0.1]',
    '0.0.0.0',
  ])
    assert.match(
      endpointProblem(`https://${host}/inbox`, strict) ?? '',
      /loopback, link-local or private/,
      host,
    );
  for (const host of ['172.32.0.1', '8.8.8.8', '[2001:db8::1]', 'customs.example'])
    assert.equal(endpointProblem(`https://${host}/inbox`, strict), null, host);
  assert.equal(endpointProblem('https://127.0.0.1/inbox', { ...strict, allowPrivate: true }), null);
  assert.equal(isForbiddenAddress('not an address'), true);
});

test('a name is resolved and each of its addresses checked', async () => {
  assert.match((await resolvedEndpointProblem('https://localhost/inbox', strict)) ?? '', /loopback/);
  assert.equal(
    await resolvedEndpointProblem('https://localhost/inbox', { ...strict, allowPrivate: true }),
    null,
  );
});
