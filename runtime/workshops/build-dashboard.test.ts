import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDashboard, STUCK_MIN_MS } from './build-dashboard';
import { resultsCsv } from './export-results';

const steps = [
  { key: 'demo/one', labId: 'demo', stepId: 'one', title: 'One' },
  { key: 'demo/two', labId: 'demo', stepId: 'two', title: 'Two' },
];
const t0 = new Date('2026-11-30T09:00:00Z');
const at = (min: number) => new Date(t0.getTime() + min * 60_000);
const session = (id: string) => ({ id, status: 'ready', expiresAt: at(120), lastActiveAt: at(1) });
const person = (id: string, seat: number) => ({ id, displayName: id, email: null, seat, joinedAt: t0, session: session(`s${seat}`) });
const ev = (attendeeId: string, stepId: string, passed: boolean, min: number, message = passed ? 'Done.' : `${stepId} hint`) =>
  ({ attendeeId, labId: 'demo', stepId, passed, message, createdAt: at(min) });

test('cells, current step, completion counts and time left follow the events', () => {
  const d = buildDashboard({
    steps, now: at(10),
    attendees: [person('passer', 1), person('failer', 2), person('idler', 3)],
    events: [ev('passer', 'one', true, 2), ev('passer', 'two', false, 3), { ...ev('passer', 'two', false, 3.1), kind: 'hint' }, ev('passer', 'two', true, 4), ev('failer', 'one', false, 5), ev('failer', 'one', false, 6)],
  });
  const [passer, failer, idler] = d.rows;
  assert.deepEqual(passer.cells['demo/two'], { state: 'passed', hint: 'two hint', attempts: 2, failures: 1, hintsShown: 1, firstPassedAt: at(4).toISOString() });
  assert.equal(passer.currentStep, null, 'all done');
  assert.deepEqual([failer.cells['demo/one'].state, failer.cells['demo/one'].hint, failer.cells['demo/one'].attempts, failer.cells['demo/one'].hintsShown], ['failing', 'one hint', 2, 0], 'failed checks whose hint was never shown count no hints');
  assert.equal(failer.currentStep, 'demo/one');
  assert.equal(idler.cells['demo/one'].state, 'untried');
  assert.deepEqual(d.completions, { 'demo/one': 1, 'demo/two': 1 });
  assert.equal(idler.timeLeftSeconds, 110 * 60);
  assert.equal(failer.lastActivityAt, at(6).toISOString());
  assert.equal(d.rows.filter((r) => r.stuck).length, 0, 'two failures and ten minutes are not stuck yet');
});

test('stuck: three failures on a step, or far longer than the cohort median (never in the first minutes)', () => {
  const quick = [1, 2, 3].map((i) => person(`q${i}`, i));
  const events = [ev('q1', 'one', true, 2), ev('q2', 'one', true, 2), ev('q3', 'one', true, 3)];
  const slow = person('slow', 4);
  const failing = person('failing', 5);
  const failures = [7, 8, 9].map((m) => ev('failing', 'one', false, m));
  const early = buildDashboard({ steps, attendees: [...quick, slow], events, now: at(4) });
  assert.equal(early.rows[3].stuck, null, `under ${STUCK_MIN_MS / 60_000} min nobody is stuck however fast the others were`);
  const d = buildDashboard({ steps, attendees: [...quick, slow, failing], events: [...events, ...failures], now: at(12) });
  assert.match(d.rows[3].stuck ?? '', /12 min on One \(cohort median 2 min\)/);
  assert.match(d.rows[4].stuck ?? '', /failed One 3 times/);
  assert.equal(d.rows[0].stuck, null);
  const ended = buildDashboard({ steps, attendees: [{ ...slow, session: { ...session('s4'), status: 'ended' } }, ...quick], events, now: at(60) });
  assert.equal(ended.rows.find((r) => r.attendeeId === 'slow')?.stuck, null, 'an ended session is not stuck');
});

test('CSV has a header, one row per attendee and step, and defuses spreadsheet formulas', () => {
  const csv = resultsCsv([
    { attendee: '=HYPERLINK("http://evil")', email: 'a@b.c', seat: 1, lab: 'demo', step: 'one', passed: true, firstPassedAt: 'x', attempts: 2, hintsShown: 1 },
    { attendee: 'Bo, Jr.', email: '', seat: 2, lab: 'demo', step: 'one', passed: false, firstPassedAt: '', attempts: 0, hintsShown: 0 },
  ]);
  const lines = csv.trim().split('\n');
  assert.equal(lines[0], 'attendee,email,seat,lab,step,passed,first_passed_at,attempts,hints_shown');
  assert.equal(lines[1], `"'=HYPERLINK(""http://evil"")",a@b.c,1,demo,one,yes,x,2,1`);
  assert.equal(lines[2], '"Bo, Jr.",,2,demo,one,no,,0,0');
});

test('several labs: the current step is in the lab the attendee is on, and the row names that lab\'s nodes', () => {
  const two = [...steps, { key: 'demo2/one', labId: 'demo2', stepId: 'one', title: 'Box one', labTitle: 'Demo two' }];
  const mover = { ...person('mover', 1), session: { ...session('s1'), labId: 'demo2' } };
  const stayer = { ...person('stayer', 2), session: { ...session('s2'), labId: 'demo' } };
  const d = buildDashboard({
    steps: two, now: at(10), nodesOf: { demo: ['node1'], demo2: ['box'] },
    // The mover skipped demo's second step and moved on.
    attendees: [mover, stayer], events: [ev('mover', 'one', true, 2)],
  });
  assert.deepEqual([d.rows[0].currentStep, d.rows[0].labId, d.rows[0].nodes], ['demo2/one', 'demo2', ['box']]);
  assert.deepEqual([d.rows[1].currentStep, d.rows[1].nodes], ['demo/one', ['node1']]);
  assert.deepEqual(Object.keys(d.rows[0].cells), ['demo/one', 'demo/two', 'demo2/one'], 'a column for every lab\'s steps');
});
