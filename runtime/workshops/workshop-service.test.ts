/**
 * Step events from real checks: the session service's hook feeds the workshop
 * service; only claimed sessions count; results survive the session's end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workshopFixture, skipWithoutBwrap as skip } from './test-fixture';
import { createCapacity } from '../admission/capacity';
import { createWorkshopService } from './workshop-service';

test('checks in an attendee\'s session become step events, the dashboard and results follow, and outlive the session', { skip }, async (t) => {
  const f = await workshopFixture(t);
  const workshops = createWorkshopService({
    db: f.db, labs: f.labs, sessions: f.sessions, capacity: createCapacity({ totalMemoryMb: 10_000, maxContainers: 1000, maxSessions: 20, nextFreeInSeconds: () => 30 }),
    costOf: async () => ({ memoryMb: 64, containers: 1 }), config: { poolMax: 2 },
  });
  f.hooks.onCheck = async (id, step, o) => void (await workshops.recordCheck(id, step, o));
  let pushes = 0;
  const w = await f.workshop({ seats: 2 });
  workshops.events.on(w.id, () => pushes++);
  const joined = await workshops.join({ code: w.joinCode, displayName: 'Ada' }, null);
  await f.sessions.settle();
  // A session outside the workshop checks too: it must not appear.
  const stranger = await f.sessions.create('demo', { wait: true });
  await f.sessions.check(stranger.view.id, 'one');

  const failed = await f.sessions.check(joined.sessionId, 'one');
  assert.equal(failed.passed, false);
  // The player showed that hint (twice: a reload shows it again); then a second failure whose hint was never shown.
  assert.equal(await workshops.recordHint(joined.sessionId, 'one', failed.message), true);
  assert.equal(await workshops.recordHint(joined.sessionId, 'one', failed.message), false, 'one hint per failed check');
  assert.equal(await workshops.recordHint(joined.sessionId, 'two', 'made up'), false, 'a step that never failed has no hint to show');
  await f.sessions.check(joined.sessionId, 'one');
  assert.equal(await workshops.recordHint(joined.sessionId, 'one', 'not what the check said'), false, 'only the check\'s own message counts');
  assert.equal(await workshops.recordHint(stranger.view.id, 'one', (await f.sessions.view(stranger.view.id))!.steps[0].message), false, 'a session outside a workshop counts nothing');
  await f.sessions.solve(joined.sessionId, 'one');
  assert.equal((await f.sessions.check(joined.sessionId, 'one')).passed, true);
  assert.ok(pushes >= 4, 'the join and every check told the dashboard');

  const d = await workshops.dashboard(w.id);
  assert.deepEqual(d?.rows.map((r) => [r.displayName, r.cells['demo/one'].state, r.cells['demo/one'].attempts, r.currentStep]), [['Ada', 'passed', 3, 'demo/two']]);
  assert.equal(await f.db.stepEvent.count({ where: { kind: 'check' } }), 3, 'the stranger\'s check is not a workshop event');

  await workshops.act(w.id, d!.rows[0].attendeeId, 'end');
  assert.equal((await f.sessions.view(joined.sessionId))?.status, 'ended');
  const results = await workshops.results(w.id);
  assert.deepEqual(results?.map((r) => [r.attendee, r.step, r.passed, r.attempts, r.hintsShown]), [['Ada', 'one', true, 3, 1], ['Ada', 'two', false, 0, 0]], 'two failed checks, one hint shown');
});

test('extend adds a quarter hour; reset starts progress over; another workshop\'s attendee is not reachable', { skip }, async (t) => {
  const f = await workshopFixture(t);
  const workshops = createWorkshopService({
    db: f.db, labs: f.labs, sessions: f.sessions, capacity: createCapacity({ totalMemoryMb: 10_000, maxContainers: 1000, maxSessions: 20, nextFreeInSeconds: () => 30 }),
    costOf: async () => ({ memoryMb: 64, containers: 1 }), config: { poolMax: 2 },
  });
  f.hooks.onCheck = async (id, step, o) => void (await workshops.recordCheck(id, step, o));
  const w = await f.workshop({ seats: 2 });
  const other = await f.workshop({ seats: 2 });
  const j = await workshops.join({ code: w.joinCode, displayName: 'Ada' }, null);
  await f.sessions.settle();
  const attendee = (await f.db.attendee.findFirstOrThrow({ where: { workshopId: w.id } })).id;
  const before = Date.parse((await f.sessions.view(j.sessionId))!.expiresAt);
  await workshops.act(w.id, attendee, 'extend');
  assert.equal(Date.parse((await f.sessions.view(j.sessionId))!.expiresAt) - before, 15 * 60_000);
  await f.sessions.check(j.sessionId, 'one');
  await workshops.act(w.id, attendee, 'reset');
  await f.sessions.settle();
  assert.equal((await workshops.dashboard(w.id))?.rows[0].cells['demo/one'].state, 'untried');
  await assert.rejects(workshops.act(other.id, attendee, 'end'), /no such attendee/);
  assert.equal((await f.sessions.view(j.sessionId))?.status, 'ready');
});

test('attendees extend their own session only where the workshop allows it, and never past its close', { skip }, async (t) => {
  const f = await workshopFixture(t);
  const workshops = createWorkshopService({
    db: f.db, labs: f.labs, sessions: f.sessions, capacity: createCapacity({ totalMemoryMb: 10_000, maxContainers: 1000, maxSessions: 20, nextFreeInSeconds: () => 30 }),
    costOf: async () => ({ memoryMb: 64, containers: 1 }), config: { poolMax: 2 },
  });
  const w = await f.workshop({ seats: 2, closesAt: new Date(Date.now() + 70 * 60_000) });
  await workshops.join({ code: w.joinCode, displayName: 'Ada' }, null);
  await f.sessions.settle();
  const ada = await f.db.attendee.findFirstOrThrow({ where: { workshopId: w.id } });
  await assert.rejects(workshops.extendOwn(w.id, ada.id), /does not let attendees extend/);
  await f.db.workshop.update({ where: { id: w.id }, data: { mayExtend: true } });
  assert.equal((await workshops.attendeeView(w.id, ada.id)).mayExtend, true);
  const once = await workshops.extendOwn(w.id, ada.id);
  assert.equal(Date.parse(once.expiresAt), w.closesAt.getTime(), '60 min + 15 would pass the close at 70 min: capped there');
  await assert.rejects(workshops.extendOwn(w.id, ada.id), /already lasts until the workshop closes/);
});

test('an attendee moves on to the next lab: a new session, the old one ended, both labs\' results kept', { skip }, async (t) => {
  const f = await workshopFixture(t);
  const workshops = createWorkshopService({
    db: f.db, labs: f.labs, sessions: f.sessions, capacity: createCapacity({ totalMemoryMb: 10_000, maxContainers: 1000, maxSessions: 20, nextFreeInSeconds: () => 30 }),
    costOf: async () => ({ memoryMb: 64, containers: 1 }), config: { poolMax: 2 },
  });
  f.hooks.onCheck = async (id, step, o) => void (await workshops.recordCheck(id, step, o));
  const w = await f.workshop({ seats: 2 });
  await f.db.workshop.update({ where: { id: w.id }, data: { labIds: JSON.stringify(['demo', 'flaky']) } });
  const first = await workshops.join({ code: w.joinCode, displayName: 'Ada' }, null);
  await f.sessions.settle();
  await f.sessions.solve(first.sessionId, 'one');
  await f.sessions.check(first.sessionId, 'one');
  const ada = await f.db.attendee.findFirstOrThrow({ where: { workshopId: w.id } });
  assert.deepEqual((await workshops.attendeeView(w.id, ada.id)).nextLab, { id: 'flaky', title: 'Demo' });

  const moved = await workshops.nextLab(w.id, ada.id);
  await f.sessions.settle();
  assert.equal(moved.labId, 'flaky');
  assert.notEqual(moved.sessionId, first.sessionId);
  assert.equal((await f.sessions.view(first.sessionId))?.status, 'ended');
  assert.ok(await f.sessions.authorize(moved.sessionId, { token: moved.token, via: 'cookie' }));
  assert.equal((await workshops.attendeeView(w.id, ada.id)).nextLab, null, 'the last lab has no next');
  await assert.rejects(workshops.nextLab(w.id, ada.id), /last lab/);
  const again = await workshops.join({ code: w.joinCode, displayName: 'x' }, first.browserSecret);
  assert.equal(again.sessionId, moved.sessionId, 'rejoining finds the new lab\'s session');
  const results = await workshops.results(w.id);
  assert.deepEqual(results?.map((r) => [r.lab, r.step, r.passed]), [['demo', 'one', true], ['demo', 'two', false], ['flaky', 'one', false], ['flaky', 'two', false]]);
});

test('watching follows the attendee to the next lab: its nodes are listed and may be watched, the old lab\'s are not', { skip }, async (t) => {
  const f = await workshopFixture(t);
  const workshops = createWorkshopService({
    db: f.db, labs: f.labs, sessions: f.sessions, capacity: createCapacity({ totalMemoryMb: 10_000, maxContainers: 1000, maxSessions: 20, nextFreeInSeconds: () => 30 }),
    costOf: async () => ({ memoryMb: 64, containers: 1 }), config: { poolMax: 2 },
  });
  const w = await f.workshop({ labs: ['demo', 'demo2'], seats: 2 });
  const admin = { id: f.owner.id, role: 'instructor' };
  await workshops.join({ code: w.joinCode, displayName: 'Ada' }, null);
  await f.sessions.settle();
  const ada = await f.db.attendee.findFirstOrThrow({ where: { workshopId: w.id } });
  let row = (await workshops.dashboard(w.id))!.rows[0];
  assert.deepEqual([row.labId, row.nodes], ['demo', ['node1']]);
  const moved = await workshops.nextLab(w.id, ada.id);
  await f.sessions.settle();
  const d = (await workshops.dashboard(w.id))!;
  row = d.rows[0];
  assert.deepEqual([row.sessionId, row.labId, row.nodes, row.currentStep], [moved.sessionId, 'demo2', ['box'], 'demo2/one']);
  assert.deepEqual([...new Set(d.steps.map((s) => s.labTitle))], ['Demo', 'Demo two'], 'columns of both labs, titled by lab');
  assert.deepEqual(await workshops.authorizeWatch(admin, moved.sessionId, 'box'), { ok: true });
  assert.equal((await workshops.authorizeWatch(admin, moved.sessionId, 'node1')).ok, false);
});
