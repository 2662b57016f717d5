import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Role, type Actor } from '../governance/roles.ts';
import {
  allowedActions,
  deriveStatus,
  whyNotAllowed,
  type ActionSubject,
  type EventKind,
} from './lifecycle.ts';
import type { Status } from './model.ts';

const events = (...kinds: EventKind[]) => kinds.map((kind) => ({ kind }));
/** A user of the role: trader T, declarant D, or an official at office 040. */
const actor = (role: Actor['role']): Actor => ({
  userId: 1,
  username: 'u',
  role,
  partyId: role === Role.Trader ? 'T' : role === Role.Declarant ? 'D' : null,
  offices: role === Role.Officer || role === Role.Supervisor ? ['040'] : [],
});

test('a lodged and accepted declaration is accepted', () => {
  assert.equal(deriveStatus(events('lodged', 'accepted')), 'accepted');
});

test('amendments and a cancellation change the status in order', () => {
  assert.equal(deriveStatus(events('lodged', 'accepted', 'amended')), 'amended');
  assert.equal(deriveStatus(events('lodged', 'accepted', 'amended', 'amended', 'cancelled')), 'cancelled');
});

test('an assessment, an assignment or a rerouting leaves the status as it was', () => {
  assert.equal(deriveStatus(events('lodged', 'accepted', 'assessed', 'assigned', 'rerouted')), 'accepted');
  assert.equal(deriveStatus(events('lodged', 'accepted', 'amended', 'assessed')), 'amended');
});

const impossible: [string, EventKind[], RegExp][] = [
  ['no events', [], /has no status before it is accepted/],
  ['only lodged', ['lodged'], /has no status before it is accepted/],
  ['accepted before lodged', ['accepted'], /event accepted cannot follow nothing \(position 0\)/],
  ['lodged twice', ['lodged', 'lodged', 'accepted'], /event lodged cannot follow nothing \(position 1\)/],
  [
    'amended after cancellation',
    ['lodged', 'accepted', 'cancelled', 'amended'],
    /event amended cannot follow cancelled \(position 3\)/,
  ],
  [
    'cancelled twice',
    ['lodged', 'accepted', 'cancelled', 'cancelled'],
    /event cancelled cannot follow cancelled \(position 3\)/,
  ],
  ['amended before acceptance', ['lodged', 'amended'], /event amended cannot follow nothing \(position 1\)/],
  // a control ends the work: an imported declaration controlled before it had a lane is not assessed
  [
    'an assessment after a control',
    ['lodged', 'accepted', 'controlled', 'assessed'],
    /event assessed cannot follow controlled \(position 3\)/,
  ],
  [
    'an assessment after a cancellation',
    ['lodged', 'accepted', 'cancelled', 'assessed'],
    /event assessed cannot follow cancelled \(position 3\)/,
  ],
  [
    'an amendment after a control',
    ['lodged', 'accepted', 'controlled', 'amended'],
    /event amended cannot follow controlled \(position 3\)/,
  ],
  [
    'an assignment after a control',
    ['lodged', 'accepted', 'controlled', 'assigned'],
    /event assigned cannot follow controlled \(position 3\)/,
  ],
  [
    'a rerouting after a cancellation',
    ['lodged', 'accepted', 'cancelled', 'rerouted'],
    /event rerouted cannot follow cancelled \(position 3\)/,
  ],
];
for (const [name, kinds, message] of impossible) {
  test(`refuses a history with ${name}`, () => {
    assert.throws(() => deriveStatus(events(...kinds)), message);
  });
}

/** Trader T's declaration, lodged by declarant D at office 040. */
const at = (status: Status, more: Partial<ActionSubject> = {}): ActionSubject & { id: number } => ({
  id: 7,
  status,
  office: '040',
  trader: 'T',
  declarant: 'D',
  lane: 'red',
  ...more,
});

test('the trader and the declarant of record may amend or cancel an open declaration', () => {
  assert.deepEqual(allowedActions(at('accepted'), actor(Role.Trader)), ['amend', 'cancel']);
  assert.deepEqual(allowedActions(at('amended'), actor(Role.Declarant)), ['amend', 'cancel']);
  assert.deepEqual(allowedActions(at('accepted'), actor(Role.RiskAnalyst)), []);
  assert.deepEqual(allowedActions(at('accepted'), actor(Role.Auditor)), []);
});

test('another declarant representing the same trader reads the declaration but may not change it', () => {
  const other = { ...actor(Role.Declarant), partyId: 'D2' };
  assert.deepEqual(allowedActions(at('accepted'), other), []);
  assert.equal(
    whyNotAllowed(at('accepted'), other, 'cancel'),
    'you cannot cancel declaration 7: declarant D lodged it for trader T, and only they may cancel it',
  );
  // the trader may change its own declaration whoever lodged it, and nobody else's
  assert.deepEqual(allowedActions(at('accepted', { declarant: 'D2' }), actor(Role.Trader)), [
    'amend',
    'cancel',
  ]);
  assert.deepEqual(allowedActions(at('accepted', { trader: 'T2' }), actor(Role.Trader)), []);
});

test('a supervisor takes, assigns, reroutes, controls and cancels open work, and corrects a control result', () => {
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
  assert.deepEqual(allowedActions(at('controlled'), supervisor), ['correct_control']);
});

test('officers take and control work at their own office, unless a colleague has it', () => {
  const officer = { ...actor(Role.Officer), username: 'officer-1' };
  assert.deepEqual(allowedActions(at('accepted'), officer), ['take', 'record_control']);
  assert.deepEqual(allowedActions(at('accepted', { assignedTo: 'officer-1' }), officer), ['record_control']);
  assert.deepEqual(allowedActions(at('accepted', { assignedTo: 'officer-2' }), officer), []);
  assert.deepEqual(allowedActions(at('accepted', { office: '030' }), officer), []);
  // a declaration has one result: an officer does not record another nor correct it
  assert.deepEqual(allowedActions(at('controlled'), officer), []);
  assert.equal(
    whyNotAllowed(at('controlled'), officer, 'correct_control'),
    'you cannot correct the control result of declaration 7: a supervisor does that',
  );
});

test('officials act only at the offices they belong to, one or several, and nowhere without one', () => {
  for (const role of [Role.Officer, Role.Supervisor]) {
    const elsewhere = { ...actor(role), offices: ['020'] };
    const both = { ...actor(role), offices: ['020', '040'] };
    const none = { ...actor(role), offices: [] };
    assert.deepEqual(allowedActions(at('accepted'), elsewhere), [], role);
    assert.deepEqual(allowedActions(at('controlled'), elsewhere), [], role);
    assert.deepEqual(allowedActions(at('accepted'), none), [], role);
    assert.ok(allowedActions(at('accepted'), both).includes('record_control'), role);
    assert.equal(
      whyNotAllowed(at('accepted'), elsewhere, 'take'),
      'you cannot take declaration 7: it is at office 040, and you work at office 020',
    );
    assert.equal(
      whyNotAllowed(at('accepted'), { ...elsewhere, offices: ['020', '062'] }, 'record_control'),
      'you cannot record a control result for declaration 7: it is at office 040, and you work at offices 020, 062',
    );
    assert.equal(
      whyNotAllowed(at('accepted'), none, 'take'),
      'you cannot take declaration 7: it is at office 040, and you belong to no customs office',
    );
  }
});

test('a controlled declaration is no longer amended; assignment and rerouting only while it is open', () => {
  assert.deepEqual(allowedActions(at('controlled'), actor(Role.Trader)), []);
  assert.equal(deriveStatus(events('lodged', 'accepted', 'controlled', 'controlled')), 'controlled');
  assert.equal(
    deriveStatus(events('lodged', 'accepted', 'assigned', 'rerouted', 'controlled')),
    'controlled',
  );
});

test('nothing may be done with a cancelled declaration', () => {
  for (const role of Object.values(Role)) assert.deepEqual(allowedActions(at('cancelled'), actor(role)), []);
});
