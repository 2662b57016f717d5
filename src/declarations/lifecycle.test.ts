import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Role, type Actor } from '../governance/roles.ts';
import { allowedActions, deriveStatus, type EventKind } from './lifecycle.ts';

const events = (...kinds: EventKind[]) => kinds.map((kind) => ({ kind }));
const actor = (role: Actor['role']): Actor => ({
  userId: 1,
  username: 'u',
  role,
  partyId: 'T',
  office: null,
});

test('a lodged and accepted declaration is accepted', () => {
  assert.equal(deriveStatus(events('lodged', 'accepted')), 'accepted');
});

test('amendments and a cancellation change the status in order', () => {
  assert.equal(deriveStatus(events('lodged', 'accepted', 'amended')), 'amended');
  assert.equal(deriveStatus(events('lodged', 'accepted', 'amended', 'amended', 'cancelled')), 'cancelled');
});

const impossible: [string, EventKind[]][] = [
  ['no events', []],
  ['only lodged', ['lodged']],
  ['accepted before lodged', ['accepted']],
  ['lodged twice', ['lodged', 'lodged', 'accepted']],
  ['amended after cancellation', ['lodged', 'accepted', 'cancelled', 'amended']],
  ['cancelled twice', ['lodged', 'accepted', 'cancelled', 'cancelled']],
  ['amended before acceptance', ['lodged', 'amended']],
];
for (const [name, kinds] of impossible) {
  test(`refuses a history with ${name}`, () => {
    assert.throws(() => deriveStatus(events(...kinds)));
  });
}

test('traders and declarants may amend or cancel an open declaration; a supervisor may cancel it', () => {
  assert.deepEqual(allowedActions('accepted', actor(Role.Trader)), ['amend', 'cancel']);
  assert.deepEqual(allowedActions('amended', actor(Role.Declarant)), ['amend', 'cancel']);
  assert.deepEqual(allowedActions('accepted', actor(Role.Supervisor)), ['cancel', 'record_control']);
  assert.deepEqual(allowedActions('accepted', actor(Role.RiskAnalyst)), []);
});

test('officers record controls at their own office; a controlled declaration is no longer amended', () => {
  const officer = { ...actor(Role.Officer), office: '040' };
  assert.deepEqual(allowedActions('accepted', officer, '040'), ['record_control']);
  assert.deepEqual(allowedActions('accepted', officer, '030'), []);
  assert.deepEqual(allowedActions('controlled', officer, '040'), ['record_control']);
  assert.deepEqual(allowedActions('controlled', actor(Role.Trader)), []);
  assert.equal(deriveStatus(events('lodged', 'accepted', 'controlled', 'controlled')), 'controlled');
  assert.throws(() => deriveStatus(events('lodged', 'accepted', 'controlled', 'amended')));
});

test('nothing may be done with a cancelled declaration', () => {
  for (const role of Object.values(Role)) assert.deepEqual(allowedActions('cancelled', actor(role)), []);
});
