import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planInspections } from './inspection-queue.ts';
import { addWorking, nextOpen, profileOf } from './office-hours.ts';
import {
  simulateClearance,
  StageKind,
  type ClearanceSubject,
  type SimulatedClearance,
} from './clearance-times.ts';

const hour = 3_600_000;
const day = 24 * hour;
const at = (iso: string) => Date.parse(iso);
const later = at('2027-06-01T00:00:00Z');
const noDuty = { amount: 0, currency: 'EUR' };

function aSubject(overrides: Partial<ClearanceSubject> = {}): ClearanceSubject {
  return {
    id: 1,
    date: '2026-03-03',
    office: '020',
    lane: 'green',
    transportMode: '3',
    duty: noDuty,
    truth: { outcome: 'compliant', irregularity: null },
    ...overrides,
  };
}

/** `n` subjects numbered from `first`, built by `f`. */
const many = (n: number, f: (id: number) => Partial<ClearanceSubject>, first = 1) =>
  Array.from({ length: n }, (_, k) => aSubject({ id: first + k, ...f(first + k) }));

const eventOf = (c: SimulatedClearance, kind: string) => c.events.find((e) => e.kind === kind);
const timeOf = (c: SimulatedClearance, kind: string) => {
  const e = eventOf(c, kind);
  if (!e) throw new Error(`declaration ${c.id} has no ${kind} event`);
  return e.at;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

describe('office hours', () => {
  test('a step started on Friday evening resumes on Monday morning at an office closed at weekends', () => {
    const p = profileOf('020'); // weekdays 8 to 18
    assert.equal(nextOpen(at('2026-03-06T19:00:00Z'), p), at('2026-03-09T08:00:00Z'));
    assert.equal(addWorking(at('2026-03-06T17:00:00Z'), 90, p), at('2026-03-09T08:30:00Z'));
    assert.equal(addWorking(at('2026-03-04T10:00:00Z'), 60, p), at('2026-03-04T11:00:00Z'));
  });

  test('an office open every day around the clock counts every hour', () => {
    const p = profileOf('010');
    assert.equal(addWorking(at('2026-03-07T23:00:00Z'), 120, p), at('2026-03-08T01:00:00Z'));
  });
});

describe('the inspection queue', () => {
  const p = profileOf('020');
  // ten declarations ready each weekday morning for two weeks
  const weekdays = ['02', '03', '04', '05', '06', '09', '10', '11', '12', '13'];
  const waiting = weekdays.flatMap((d, i) =>
    Array.from({ length: 10 }, (_, k) => ({ id: i * 10 + k + 1, readyAt: at(`2026-03-${d}T07:00:00Z`) })),
  );
  const waitsByDay = (perDay: number) => {
    const plan = planInspections(waiting, perDay, p);
    return weekdays.map((_, i) =>
      Math.max(...waiting.slice(i * 10, i * 10 + 10).map((w) => (plan.get(w.id) ?? NaN) - w.readyAt)),
    );
  };

  test('waits grow day after day when more arrive than the office can inspect', () => {
    const waits = waitsByDay(5);
    for (let i = 1; i < waits.length; i++) assert.ok((waits[i] ?? 0) >= (waits[i - 1] ?? 0), `day ${i}`);
    assert.ok((waits.at(-1) ?? 0) > 7 * day, `the last day's wait is ${(waits.at(-1) ?? 0) / day} days`);
  });

  test('with enough places every declaration is inspected the day it is ready', () => {
    for (const wait of waitsByDay(12)) assert.ok(wait < 12 * hour, `a wait of ${wait / hour} hours`);
  });

  test('first come, first served, never before the goods are ready', () => {
    const plan = planInspections(waiting, 3, p);
    for (const w of waiting) assert.ok((plan.get(w.id) ?? 0) >= w.readyAt);
    const order = [...plan.entries()].sort((a, b) => a[1] - b[1] || a[0] - b[0]).map(([id]) => id);
    assert.deepEqual(
      order,
      waiting.map((w) => w.id),
    );
  });
});

describe('simulated clearance', () => {
  test('a green declaration with nothing to pay is released by the system at assessment', () => {
    for (const c of simulateClearance(
      many(50, () => ({ lane: 'green' })),
      { seed: 1, until: later },
    )) {
      const released = eventOf(c, StageKind.Released);
      assert.equal(released?.at, c.assessedAt);
      assert.deepEqual(released?.data, { automatic: true });
      assert.equal(c.status, 'released');
      // the assessment's duty, nothing to pay, comes first
      assert.deepEqual(c.events[0], {
        kind: StageKind.DutiesAssessed,
        at: c.assessedAt,
        actor: 'system',
        data: { currency: 'EUR', duty: 0 },
      });
    }
  });

  test('a green declaration with duty is released when it is paid or guaranteed, mostly not at weekends', () => {
    const duty = { amount: 1234.5, currency: 'EUR' };
    const cleared = simulateClearance(
      many(300, () => ({ lane: 'green', duty })),
      { seed: 2, until: later },
    );
    let weekend = 0;
    for (const c of cleared) {
      const settled = c.events.find((e) => e.kind === StageKind.Paid || e.kind === StageKind.Guaranteed);
      assert.ok(settled, `declaration ${c.id} is settled`);
      assert.deepEqual(settled.data, { amount: 1234.5, currency: 'EUR', reference: `D${c.id}-P` });
      assert.equal(timeOf(c, StageKind.Released), settled.at);
      assert.ok(settled.at > c.assessedAt);
      assert.deepEqual(eventOf(c, StageKind.DutiesAssessed)?.data, { currency: 'EUR', duty: 1234.5 });
      const weekday = new Date(settled.at).getUTCDay();
      if (weekday === 0 || weekday === 6) weekend += 1;
    }
    assert.ok(weekend < 0.15 * cleared.length, `${weekend} of ${cleared.length} paid at weekends`);
  });

  test('documents come back after about a day', () => {
    const cleared = simulateClearance(
      many(300, () => ({ lane: 'yellow' })),
      { seed: 3, until: later },
    );
    const hours = cleared.map(
      (c) => (timeOf(c, StageKind.DocumentsProvided) - timeOf(c, StageKind.DocumentsRequested)) / hour,
    );
    const m = median(hours);
    assert.ok(m > 16 && m < 32, `median ${m} hours`);
    assert.ok(hours.some((h) => h > 40) && hours.some((h) => h < 12), 'spread out, log-normally');
  });

  test('inspections take hours', () => {
    const cleared = simulateClearance(
      many(200, () => ({ lane: 'red', office: '010' })),
      {
        seed: 4,
        until: later,
        inspectionsPerDay: { '010': 1000 },
      },
    );
    const m = median(
      cleared.map(
        (c) => (timeOf(c, StageKind.InspectionCompleted) - timeOf(c, StageKind.InspectionStarted)) / hour,
      ),
    );
    assert.ok(m > 1.5 && m < 4, `median ${m} hours`);
  });

  test('weekends add time to the steps that wait for staff', () => {
    // yellow declarations lodged on Fridays and on Tuesdays at an office closed at weekends
    const fridays = many(200, () => ({ lane: 'yellow', date: '2026-03-06' }));
    const tuesdays = many(200, () => ({ lane: 'yellow', date: '2026-03-03' }), 1001);
    const cleared = simulateClearance([...fridays, ...tuesdays], { seed: 5, until: later });
    const toRelease = (c: SimulatedClearance) => (timeOf(c, StageKind.Released) - c.assessedAt) / hour;
    const friday = median(cleared.filter((c) => c.id <= 200).map(toRelease));
    const tuesday = median(cleared.filter((c) => c.id > 1000).map(toRelease));
    assert.ok(friday > tuesday + 24, `Friday ${friday} h, Tuesday ${tuesday} h`);
  });

  test('red queues grow at an office whose inspections per day are exceeded', () => {
    // twenty red declarations every day of March at an office with places for five a day
    const dates = Array.from({ length: 31 }, (_, i) => `2026-03-${String(i + 1).padStart(2, '0')}`);
    const subjects = dates.flatMap((date, i) =>
      many(20, () => ({ lane: 'red', office: '020', date }), i * 100 + 1),
    );
    const wait = (c: SimulatedClearance) =>
      timeOf(c, StageKind.InspectionStarted) - timeOf(c, StageKind.InspectionScheduled);
    const full = simulateClearance(subjects, { seed: 6, until: later, inspectionsPerDay: { '020': 5 } });
    const early = median(full.filter((c) => c.id < 500).map(wait));
    const late = median(full.filter((c) => c.id > 2500).map(wait));
    assert.ok(late > early + 10 * day, `early ${early / day} days, late ${late / day} days`);
    const ample = simulateClearance(subjects, { seed: 6, until: later, inspectionsPerDay: { '020': 40 } });
    assert.ok(median(ample.filter((c) => c.id > 2500).map(wait)) < 3 * day);
  });

  test('every release comes after every other stage, arrival included', () => {
    const lanes = ['green', 'blue', 'yellow', 'red'];
    const modes = ['1', '3', '4', '5'];
    const subjects = many(800, (id) => ({
      lane: lanes[id % 4],
      transportMode: modes[Math.floor(id / 4) % 4] ?? null,
      office: ['020', '040', '013', '030'][id % 3] ?? '020',
      date: `2026-03-${String(1 + (id % 28)).padStart(2, '0')}`,
      duty: id % 5 === 0 ? noDuty : { amount: 10 + id, currency: 'USD' },
      truth: id % 3 === 0 ? { outcome: 'non_compliant', irregularity: 'undervaluation' } : null,
    }));
    const cleared = simulateClearance(subjects, { seed: 7, until: later });
    const statuses = new Set<string>();
    for (const c of cleared) {
      statuses.add(c.status);
      const final = c.events.at(-1);
      assert.ok(final && ['released', 'seized', 'refused'].includes(final.kind), `declaration ${c.id} ended`);
      assert.ok(c.lodgedAt < c.acceptedAt && c.acceptedAt < c.assessedAt);
      for (let i = 1; i < c.events.length; i++)
        assert.ok((c.events[i]?.at ?? 0) >= (c.events[i - 1]?.at ?? 0), `declaration ${c.id} in time order`);
      for (const e of c.events) assert.ok(e.at >= c.assessedAt, `${e.kind} after assessment`);
      const arrivedAt = Date.parse(String(eventOf(c, StageKind.Arrived)?.data.arrivedAt));
      assert.ok(final.at >= arrivedAt, `declaration ${c.id} ends after its goods arrive`);
      if (eventOf(c, StageKind.InspectionStarted))
        assert.ok(timeOf(c, StageKind.InspectionStarted) >= arrivedAt);
      // the yellow and red lanes end only after an officer's control result
      if (c.events.some((e) => e.kind.startsWith('documents_') || e.kind.startsWith('inspection_')))
        assert.ok(c.control && timeOf(c, StageKind.Controlled) <= final.at);
    }
    assert.deepEqual([...statuses].sort(), ['refused', 'released', 'seized']);
  });

  test('arrival is sometimes before lodging and sometimes after, for sea and air', () => {
    const cleared = simulateClearance(
      many(200, (id) => ({ lane: id % 2 ? 'red' : 'yellow', transportMode: '1' })),
      {
        seed: 8,
        until: later,
      },
    );
    const before = cleared.filter(
      (c) => Date.parse(String(eventOf(c, StageKind.Arrived)?.data.arrivedAt)) < c.lodgedAt,
    );
    assert.ok(before.length > 40 && before.length < 160, `${before.length} of 200 arrived before lodging`);
  });

  test('a seizure follows a non-compliant, critical control result; compliant ones are released', () => {
    const subjects = many(400, (id) => ({
      lane: 'red',
      office: '040',
      truth: id % 2 ? { outcome: 'non_compliant', irregularity: 'false_origin' } : null,
    }));
    for (const c of simulateClearance(subjects, { seed: 9, until: later })) {
      assert.ok(c.control);
      if (c.status === 'seized') assert.deepEqual([c.control.severity, c.control.seizure], [2, true]);
      else assert.equal(c.control.seizure, false);
      if (c.id % 2 === 0)
        assert.deepEqual([c.status, c.control.outcome, c.control.severity], ['released', 'compliant', 0]);
    }
  });

  test('declarations still in progress at `until` stop at the stage they reached', () => {
    const subjects = many(60, (id) => ({ lane: id % 2 ? 'red' : 'yellow', date: '2026-03-03' }));
    const until = at('2026-03-04T12:00:00Z');
    const cleared = simulateClearance([...subjects, aSubject({ id: 999, date: '2026-03-05' })], {
      seed: 10,
      until,
    });
    assert.equal(cleared.length, 60, 'a declaration dated after `until` is left out');
    for (const c of cleared) {
      assert.ok(c.events.every((e) => e.at <= until));
      assert.equal(
        c.control !== null,
        c.events.some((e) => e.kind === StageKind.Controlled),
      );
    }
    const count = (status: string) => cleared.filter((c) => c.status === status).length;
    assert.ok(count('accepted') > 20 && count('controlled') > 0, 'waiting for documents and inspections');
    assert.ok(count('released') < 30, `${count('released')} of 60 released within a day and a half`);
  });

  test("each office's latest controls are left for its officers, open and without their checks", () => {
    const subjects = many(90, (id) => ({
      lane: ['green', 'yellow', 'red'][id % 3] ?? 'green',
      office: id % 2 ? '020' : '040',
      date: `2026-03-${String(1 + (id % 28)).padStart(2, '0')}`,
      // by sea, goods are often declared before they arrive, and documents checked before then
      transportMode: '1',
    }));
    const cleared = simulateClearance(subjects, { seed: 13, until: later, awaitingOfficers: 4 });
    const open = cleared.filter((c) => c.status === 'accepted');
    for (const office of ['020', '040']) {
      const controlled = subjects.filter((s) => s.office === office && s.lane !== 'green');
      const left = open.filter((c) => controlled.some((s) => s.id === c.id));
      assert.equal(left.length, 4, `office ${office}`);
      // the latest of the office's controls, by lodging
      const lodged = (id: number) => cleared.find((c) => c.id === id)?.lodgedAt ?? NaN;
      const earliestLeft = Math.min(...left.map((c) => c.lodgedAt));
      for (const s of controlled)
        if (!left.some((c) => c.id === s.id)) assert.ok(lodged(s.id) <= earliestLeft, `${s.id} is older`);
    }
    for (const c of open) {
      assert.equal(c.control, null);
      for (const kind of [StageKind.Controlled, StageKind.DocumentsChecked, StageKind.InspectionStarted])
        assert.equal(eventOf(c, kind), undefined, `${c.id} has no ${kind}`);
      // the goods arrive when they do, whether or not an officer has looked at them yet
      assert.equal(c.events.filter((e) => e.kind === StageKind.Arrived).length, 1, `${c.id} arrived`);
    }
    assert.equal(open.length, 8, 'every green declaration and every other control went to its end');
  });

  test('the same seed gives the same times, another seed others', () => {
    const subjects = many(100, (id) => ({
      lane: ['green', 'yellow', 'red'][id % 3] ?? 'green',
      transportMode: '1',
    }));
    const a = simulateClearance(subjects, { seed: 11, until: later });
    assert.deepEqual(simulateClearance(subjects, { seed: 11, until: later }), a);
    assert.notDeepEqual(simulateClearance(subjects, { seed: 12, until: later }), a);
  });
});
