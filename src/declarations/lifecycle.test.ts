import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Role, type Actor } from '../governance/roles.ts';
import { allowedActions, deriveStatus, type ActionSubject, type EventKind } from './lifecycle.ts';
import type { Status } from './model.ts';

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

const at = (status: Status, more: Partial<ActionSubject> = {}): ActionSubject => ({
  status,
  office: '040',
  lane: 'red',
  ...more,
});

test('traders and declarants may amend or cancel an open declaration; a supervisor may cancel it', () => {
  assert.deepEqual(allowedActions(at('accepted'), actor(Role.Trader)), ['amend', 'cancel']);
  assert.deepEqual(allowedActions(at('amended'), actor(Role.Declarant)), ['amend', 'cancel']);
  assert.deepEqual(allowedActions(at('accepted'), actor(Role.RiskAnalyst)), []);
});

test('a supervisor takes, assigns, reroutes, controls and cancels open work', () => {
  const supervisor = actor(Role.Supervisor);
  assert.deepEqual(allowedActions(at('accepted'), supervisor), [
    'take',
    'assign',
    'reroute',
    'record_control',
    'cancel',
  ]);
  assert.deepEqual(allowedActions(at('accepted', { assignedTo: 'officer-1' }), supervisor), [
    'assign',
    'reroute',
    'record_control',
    'cancel',
  ]);
  // a declaration not yet assessed has no lane to move it from
  assert.ok(!allowedActions(at('accepted', { lane: undefined }), supervisor).includes('reroute'));
  assert.deepEqual(allowedActions(at('controlled'), supervisor), ['record_control']);
});

test('officers take and control work at their own office, unless a colleague has it', () => {
  const officer = { ...actor(Role.Officer), username: 'officer-1', office: '040' };
  assert.deepEqual(allowedActions(at('accepted'), officer), ['take', 'record_control']);
  assert.deepEqual(allowedActions(at('accepted', { assignedTo: 'officer-1' }), officer), ['record_control']);
  assert.deepEqual(allowedActions(at('accepted', { assignedTo: 'officer-2' }), officer), []);
  assert.deepEqual(allowedActions(at('accepted', { office: '030' }), officer), []);
  assert.deepEqual(allowedActions(at('controlled'), officer), ['record_control']);
  assert.deepEqual(allowedActions(at('controlled'), { ...officer, office: null }), ['record_control']);
});

test('a controlled declaration is no longer amended; assignment and rerouting only while it is open', () => {
  assert.deepEqual(allowedActions(at('controlled'), actor(Role.Trader)), []);
  assert.equal(deriveStatus(events('lodged', 'accepted', 'controlled', 'controlled')), 'controlled');
  assert.throws(() => deriveStatus(events('lodged', 'accepted', 'controlled', 'amended')));
  assert.equal(
    deriveStatus(events('lodged', 'accepted', 'assigned', 'rerouted', 'controlled')),
    'controlled',
  );
  assert.throws(() => deriveStatus(events('lodged', 'accepted', 'controlled', 'assigned')));
  assert.throws(() => deriveStatus(events('lodged', 'accepted', 'cancelled', 'rerouted')));
});

test('nothing may be done with a cancelled declaration', () => {
  for (const role of Object.values(Role)) assert.deepEqual(allowedActions(at('cancelled'), actor(role)), []);
});
