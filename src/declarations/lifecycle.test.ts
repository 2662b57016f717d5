import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Role, type Actor } from '../governance/roles.ts';
import {
  actsOn,
  allowedActions,
  clearanceActions,
  deriveStatus,
  noProgress,
  progressOf,
  whyNotAllowed,
  type ActionSubject,
  type EventKind,
} from './lifecycle.ts';
import type { Status } from './model.ts';

const events = (...kinds: EventKind[]) => kinds.map((kind) => ({ kind }));
/** The actions of the work before clearance (the clearance actions are tested on their own). */
const work = (actions: string[]) => actions.filter((a) => !(a in clearanceActions));
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
  assert.deepEqual(work(allowedActions(at('accepted'), actor(Role.Trader))), ['amend', 'cancel']);
  assert.deepEqual(work(allowedActions(at('amended'), actor(Role.Declarant))), ['amend', 'cancel']);
  assert.deepEqual(work(allowedActions(at('accepted'), actor(Role.RiskAnalyst))), []);
  assert.deepEqual(work(allowedActions(at('accepted'), actor(Role.Auditor))), []);
});

test('another declarant representing the same trader reads the declaration but may not change it', () => {
  const other = { ...actor(Role.Declarant), partyId: 'D2' };
  assert.deepEqual(work(allowedActions(at('accepted'), other)), []);
  assert.equal(
    whyNotAllowed(at('accepted'), other, 'cancel'),
    'you cannot cancel declaration 7: declarant D lodged it for trader T, and only they may cancel it',
  );
  // the trader may change its own declaration whoever lodged it, and nobody else's
  assert.deepEqual(work(allowedActions(at('accepted', { declarant: 'D2' }), actor(Role.Trader))), [
    'amend',
    'cancel',
  ]);
  assert.deepEqual(work(allowedActions(at('accepted', { trader: 'T2' }), actor(Role.Trader))), []);
});

test('a supervisor takes, assigns, reroutes, controls and cancels open work, and corrects a control result', () => {
  const supervisor = actor(Role.Supervisor);
  assert.deepEqual(work(allowedActions(at('accepted'), supervisor)), [
    'take',
    'assign',
    'reroute',
    'record_control',
    'cancel',
  ]);
  assert.deepEqual(work(allowedActions(at('accepted', { assignedTo: 'officer-1' }), supervisor)), [
    'assign',
    'reroute',
    'record_control',
    'cancel',
  ]);
  // a declaration not yet assessed has no lane to move it from
  assert.ok(!allowedActions(at('accepted', { lane: undefined }), supervisor).includes('reroute'));
  assert.deepEqual(work(allowedActions(at('controlled'), supervisor)), ['correct_control']);
});

test('officers take and control work at their own office, unless a colleague has it', () => {
  const officer = { ...actor(Role.Officer), username: 'officer-1' };
  assert.deepEqual(work(allowedActions(at('accepted'), officer)), ['take', 'record_control']);
  assert.deepEqual(work(allowedActions(at('accepted', { assignedTo: 'officer-1' }), officer)), [
    'record_control',
  ]);
  assert.deepEqual(work(allowedActions(at('accepted', { assignedTo: 'officer-2' }), officer)), []);
  assert.deepEqual(work(allowedActions(at('accepted', { office: '030' }), officer)), []);
  // a declaration has one result: an officer does not record another nor correct it
  assert.deepEqual(work(allowedActions(at('controlled'), officer)), []);
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
    assert.deepEqual(work(allowedActions(at('accepted'), elsewhere)), [], role);
    assert.deepEqual(work(allowedActions(at('controlled'), elsewhere)), [], role);
    assert.deepEqual(work(allowedActions(at('accepted'), none)), [], role);
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
  assert.deepEqual(work(allowedActions(at('controlled'), actor(Role.Trader))), []);
  assert.equal(deriveStatus(events('lodged', 'accepted', 'controlled', 'controlled')), 'controlled');
  assert.equal(
    deriveStatus(events('lodged', 'accepted', 'assigned', 'rerouted', 'controlled')),
    'controlled',
  );
});

test('nothing may be done with a cancelled declaration', () => {
  for (const role of Object.values(Role)) assert.deepEqual(allowedActions(at('cancelled'), actor(role)), []);
});

test('clearance: stages follow their order, and the final statuses end the life of a declaration', () => {
  const released = deriveStatus(
    events(
      'lodged',
      'accepted',
      'arrived',
      'assessed',
      'duties_assessed',
      'documents_requested',
      'documents_provided',
      'documents_checked',
      'inspection_scheduled',
      'inspection_started',
      'inspection_completed',
      'controlled',
      'paid',
      'released',
    ),
  );
  assert.equal(released, 'released');
  assert.equal(
    deriveStatus(events('lodged', 'accepted', 'assessed', 'duties_assessed', 'released')),
    'released',
  );
  assert.equal(deriveStatus(events('lodged', 'accepted', 'controlled', 'detained')), 'detained');
  for (const end of ['released', 'seized', 'refused'] as const)
    assert.equal(deriveStatus(events('lodged', 'accepted', 'detained', end)), end);
  // a new request or inspection may follow a finished one
  assert.equal(
    deriveStatus(
      events(
        'lodged',
        'accepted',
        'documents_requested',
        'documents_provided',
        'documents_checked',
        'documents_requested',
        'inspection_scheduled',
        'inspection_started',
        'inspection_completed',
        'inspection_scheduled',
      ),
    ),
    'accepted',
  );
  // a control result is corrected after the release too
  assert.equal(
    deriveStatus(events('lodged', 'accepted', 'controlled', 'released', 'control_corrected')),
    'released',
  );
});

const outOfOrder: [string, EventKind[], RegExp][] = [
  [
    'arrival twice',
    ['lodged', 'accepted', 'arrived', 'arrived'],
    /arrival of its goods was reported already/,
  ],
  ['documents provided unasked', ['lodged', 'accepted', 'documents_provided'], /no documents were requested/],
  [
    'documents checked before provided',
    ['lodged', 'accepted', 'documents_requested', 'documents_checked'],
    /not provided yet/,
  ],
  [
    'an inspection started unscheduled',
    ['lodged', 'accepted', 'inspection_started'],
    /no inspection is scheduled/,
  ],
  [
    'an inspection completed before started',
    ['lodged', 'accepted', 'inspection_scheduled', 'inspection_completed'],
    /has not started/,
  ],
  [
    'a correction without a result',
    ['lodged', 'accepted', 'released', 'control_corrected'],
    /no control result/,
  ],
];
for (const [name, kinds, message] of outOfOrder) {
  test(`refuses a history with ${name}`, () => {
    assert.throws(() => deriveStatus(events(...kinds)), message);
  });
}

const afterEnd: [string, EventKind[], RegExp][] = [
  [
    'an amendment after release',
    ['lodged', 'accepted', 'released', 'amended'],
    /amended cannot follow released/,
  ],
  ['a payment after seizure', ['lodged', 'accepted', 'seized', 'paid'], /paid cannot follow seized/],
  [
    'a release after refusal',
    ['lodged', 'accepted', 'refused', 'released'],
    /released cannot follow refused/,
  ],
  [
    'an arrival after cancellation',
    ['lodged', 'accepted', 'cancelled', 'arrived'],
    /arrived cannot follow cancelled/,
  ],
  ['a detention twice', ['lodged', 'accepted', 'detained', 'detained'], /detained cannot follow detained/],
  [
    'a duty assessed after release',
    ['lodged', 'accepted', 'released', 'duties_assessed'],
    /cannot follow released/,
  ],
];
for (const [name, kinds, message] of afterEnd) {
  test(`refuses a history with ${name}`, () => {
    assert.throws(() => deriveStatus(events(...kinds)), message);
  });
}

test('clearance actions: parties report arrival and provide documents asked for; officials do the rest', () => {
  const stages = (...kinds: EventKind[]) => progressOf(events(...kinds));
  const trader = actor(Role.Trader);
  const officer = { ...actor(Role.Officer), username: 'officer-1' };
  const clearance = (list: string[]) => list.filter((a) => a in clearanceActions);
  assert.deepEqual(clearance(allowedActions(at('accepted', { progress: noProgress }), trader)), [
    'report_arrival',
  ]);
  const requested = at('accepted', { progress: stages('documents_requested') });
  assert.deepEqual(clearance(allowedActions(requested, trader)), ['report_arrival', 'provide_documents']);
  assert.ok(!allowedActions(requested, officer).includes('check_documents'));
  assert.equal(
    whyNotAllowed(requested, officer, 'check_documents'),
    'you cannot check the documents of declaration 7: the documents requested are not provided yet',
  );
  assert.ok(
    allowedActions(
      at('accepted', { progress: stages('documents_requested', 'documents_provided') }),
      officer,
    ).includes('check_documents'),
  );
  assert.deepEqual(clearance(allowedActions(at('accepted', { progress: noProgress }), officer)), [
    'report_arrival',
    'request_documents',
    'schedule_inspection',
    'record_payment',
    'record_guarantee',
    'release',
    'detain',
    'seize',
    'refuse',
  ]);
  // a colleague's work: arrival and payments only
  assert.deepEqual(
    clearance(allowedActions(at('accepted', { progress: noProgress, assignedTo: 'officer-2' }), officer)),
    ['report_arrival', 'record_payment', 'record_guarantee'],
  );
  // detained: released, seized or refused, no second detention; final: nothing
  const detained = clearance(allowedActions(at('detained', { progress: noProgress }), officer));
  assert.ok(detained.includes('release') && detained.includes('seize') && !detained.includes('detain'));
  for (const end of ['released', 'seized', 'refused', 'cancelled'] as const)
    for (const who of [trader, officer, actor(Role.Supervisor)])
      assert.deepEqual(
        clearance(allowedActions(at(end, { progress: noProgress }), who)),
        [],
        `${end} ${who.role}`,
      );
  assert.equal(
    whyNotAllowed(at('released'), trader, 'report_arrival'),
    'you cannot report the arrival of the goods of declaration 7: it is released',
  );
  // who could ever take the action (403) and who cannot now (409)
  assert.equal(actsOn(at('released'), officer, 'release'), true);
  assert.equal(actsOn(at('accepted', { office: '030' }), officer, 'release'), false);
  assert.equal(actsOn(at('accepted'), trader, 'release'), false);
  assert.equal(actsOn(at('accepted', { trader: 'T2' }), trader, 'report_arrival'), false);
  assert.equal(
    whyNotAllowed(at('accepted'), trader, 'release'),
    'you cannot release declaration 7: not in the trader role',
  );
  assert.equal(
    whyNotAllowed(at('accepted'), officer, 'provide_documents'),
    'you cannot provide documents for declaration 7: not in the officer role',
  );
});
