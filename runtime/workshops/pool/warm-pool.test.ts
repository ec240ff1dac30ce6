/**
 * The warm pool against real parts: SQLite, the session service on the local
 * provisioner, and a real Capacity budget.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workshopFixture, skipWithoutBwrap as skip } from '../test-fixture';
import { createCapacity } from '../../admission/capacity';
import { createWarmPool } from './warm-pool';
import { claimPooledSession } from './claim-session';

const cost = async () => ({ memoryMb: 100, containers: 1 });

async function liveWarm(db: Awaited<ReturnType<typeof workshopFixture>>['db'], workshopId: string) {
  return db.workshopSession.count({ where: { workshopId, attendeeId: null, endedAt: null } });
}

async function attendee(db: Awaited<ReturnType<typeof workshopFixture>>['db'], workshopId: string, seat: number) {
  return db.attendee.create({ data: { workshopId, seat, displayName: `a${seat}`, browserHash: `h${seat}` } });
}

test('fills to the free seats, no further than capacity allows, and says why it stopped', { skip }, async (t) => {
  const f = await workshopFixture(t);
  const capacity = createCapacity({ totalMemoryMb: 250, maxContainers: 1000, maxSessions: 10, nextFreeInSeconds: () => 30 });
  const pool = createWarmPool({ db: f.db, sessions: f.sessions, capacity, costOf: cost, config: { poolMax: 10 } });
  const w = await f.workshop({ seats: 5 });
  await pool.tick();
  assert.equal(await liveWarm(f.db, w.id), 2, 'two sessions of 100 MB fit in 250 MB, a third does not');
  assert.equal(capacity.snapshot().usedMemoryMb, 200);
  assert.match((await pool.status(w.id)).refusedReason ?? '', /labdock is full/);
  await pool.tick();
  assert.equal(await liveWarm(f.db, w.id), 2, 'a second tick does not overfill');
});

test('does not warm before the lead time, warms on demand, refills as sessions are claimed', { skip }, async (t) => {
  const f = await workshopFixture(t);
  const capacity = createCapacity({ totalMemoryMb: 10_000, maxContainers: 1000, maxSessions: 20, nextFreeInSeconds: () => 30 });
  const pool = createWarmPool({ db: f.db, sessions: f.sessions, capacity, costOf: cost, config: { poolMax: 2 } });
  const w = await f.workshop({ seats: 4, opensAt: new Date(Date.now() + 3600_000), closesAt: new Date(Date.now() + 7200_000), poolLeadMinutes: 10 });
  await pool.tick();
  assert.equal(await liveWarm(f.db, w.id), 0, 'an hour before opening with a 10 min lead: nothing yet');
  await f.db.workshop.update({ where: { id: w.id }, data: { poolRequestedAt: new Date() } });
  await pool.tick();
  assert.equal(await liveWarm(f.db, w.id), 2, 'poolMax caps the warm sessions below the 4 seats');
  await f.sessions.settle();
  const a = await attendee(f.db, w.id, 1);
  const got = await claimPooledSession(f.db, w.id, 'demo', a.id);
  assert.ok(got);
  assert.equal((await f.sessions.view(got))?.status, 'ready', 'a settled pool hands out a ready session');
  assert.equal(await liveWarm(f.db, w.id), 1);
  await pool.tick();
  assert.equal(await liveWarm(f.db, w.id), 2, 'refilled after the claim');
  // Three seats left, one claimed: 3 attendees more fill the workshop and the pool stops warming.
  for (const seat of [2, 3, 4]) await attendee(f.db, w.id, seat);
  const before = await f.db.workshopSession.count({ where: { workshopId: w.id } });
  await pool.tick();
  assert.equal(await f.db.workshopSession.count({ where: { workshopId: w.id } }), before, 'no seats free: nothing new is started');
});

test('N parallel claims never hand one session to two attendees', { skip }, async (t) => {
  const f = await workshopFixture(t);
  const capacity = createCapacity({ totalMemoryMb: 10_000, maxContainers: 1000, maxSessions: 20, nextFreeInSeconds: () => 30 });
  const pool = createWarmPool({ db: f.db, sessions: f.sessions, capacity, costOf: cost, config: { poolMax: 5 } });
  const w = await f.workshop({ seats: 12 });
  await pool.tick();
  await f.sessions.settle();
  assert.equal(await liveWarm(f.db, w.id), 5);
  const attendees = await Promise.all(Array.from({ length: 12 }, (_, i) => attendee(f.db, w.id, i + 1)));
  const claims = await Promise.all(attendees.map((a) => claimPooledSession(f.db, w.id, 'demo', a.id)));
  const won = claims.filter((c): c is string => !!c);
  assert.equal(won.length, 5, 'exactly as many winners as warm sessions');
  assert.equal(new Set(won).size, 5, 'no session handed out twice');
  const rows = await f.db.workshopSession.findMany({ where: { workshopId: w.id } });
  for (const [i, a] of attendees.entries()) {
    const row = rows.find((r) => r.attendeeId === a.id);
    assert.equal(row?.sessionId ?? null, claims[i], `the database agrees with what attendee ${i} was told`);
  }
});

test('ended sessions are forgotten and replaced; closing tears down the unclaimed ones and frees capacity', { skip }, async (t) => {
  const f = await workshopFixture(t);
  const capacity = createCapacity({ totalMemoryMb: 10_000, maxContainers: 1000, maxSessions: 20, nextFreeInSeconds: () => 30 });
  const pool = createWarmPool({ db: f.db, sessions: f.sessions, capacity, costOf: cost, config: { poolMax: 3 } });
  const w = await f.workshop({ seats: 3 });
  await pool.tick();
  await f.sessions.settle();
  const [first] = await f.db.workshopSession.findMany({ where: { workshopId: w.id } });
  await f.sessions.end(first.sessionId, 'expired');
  await pool.tick();
  assert.ok((await f.db.workshopSession.findUnique({ where: { sessionId: first.sessionId } }))?.endedAt, 'the expired one is marked ended');
  assert.equal(await liveWarm(f.db, w.id), 3, 'and replaced');
  assert.equal(capacity.snapshot().sessions, 3, 'its reservation was given back');

  const a = await attendee(f.db, w.id, 1);
  const claimed = await claimPooledSession(f.db, w.id, 'demo', a.id);
  await f.db.workshop.update({ where: { id: w.id }, data: { closesAt: new Date(Date.now() - 1000) } });
  await pool.tick();
  await f.sessions.settle();
  assert.equal(await liveWarm(f.db, w.id), 0);
  assert.equal((await f.sessions.view(claimed!))?.status, 'ready', "an attendee's session outlives the pool");
  assert.equal(capacity.snapshot().sessions, 1, 'only the claimed session still holds capacity');
  assert.deepEqual((await f.local.listSessions()).sort(), [claimed], 'the torn-down sandboxes are gone from the engine');
});

test('failed sessions give their capacity back: unclaimed ones are ended and replaced, a claimed one stays for a reset', { skip }, async (t) => {
  const f = await workshopFixture(t);
  const capacity = createCapacity({ totalMemoryMb: 10_000, maxContainers: 1000, maxSessions: 20, nextFreeInSeconds: () => 30 });
  const pool = createWarmPool({ db: f.db, sessions: f.sessions, capacity, costOf: cost, config: { poolMax: 2 } });
  const w = await f.workshop({ lab: 'flaky', seats: 3 });
  await pool.tick();
  await f.sessions.settle();
  const first = await f.db.workshopSession.findMany({ where: { workshopId: w.id } });
  assert.deepEqual(await Promise.all(first.map(async (r) => (await f.sessions.view(r.sessionId))?.status)), ['failed', 'failed']);
  const a = await attendee(f.db, w.id, 1);
  assert.equal(await claimPooledSession(f.db, w.id, 'flaky', a.id), null, 'a failed session is never handed out');
  // A cold session of the attendee's that failed too.
  const { view } = await f.sessions.create('flaky', { wait: true });
  await f.db.workshopSession.create({ data: { sessionId: view.id, workshopId: w.id, labId: 'flaky', origin: 'cold', attendeeId: a.id } });
  const coldAdmit = capacity.reserve({ memoryMb: 100, containers: 1 }, { kind: 'learner' });
  assert.ok(coldAdmit.ok);
  pool.track(view.id, coldAdmit.release);
  await pool.tick();
  await f.sessions.settle();
  for (const r of first) {
    assert.ok((await f.db.workshopSession.findUnique({ where: { sessionId: r.sessionId } }))?.endedAt, 'an unclaimed failure is retired');
    assert.equal((await f.sessions.view(r.sessionId))?.status, 'ended');
  }
  assert.equal((await f.db.workshopSession.findUnique({ where: { sessionId: view.id } }))?.endedAt, null, "the attendee's failed session stays theirs");
  assert.equal((await f.sessions.view(view.id))?.status, 'failed');
  // The replacements (of a lab that always fails) failed too: the session service frees a failed session's room at once.
  assert.equal(capacity.snapshot().sessions, 0, 'no failed session holds capacity');
});

test('a workshop of two labs: the first lab is warmed for the seats, the next one ahead of attendees nearly through the first', { skip }, async (t) => {
  const f = await workshopFixture(t);
  const capacity = createCapacity({ totalMemoryMb: 10_000, maxContainers: 1000, maxSessions: 20, nextFreeInSeconds: () => 30 });
  const pool = createWarmPool({
    db: f.db, sessions: f.sessions, capacity, costOf: cost, config: { poolMax: 3 },
    stepsOf: async (id) => (await f.labs.get(id))!.steps.length,
  });
  const w = await f.workshop({ labs: ['demo', 'demo2'], seats: 2 });
  const warmOf = async (lab: string) => f.db.workshopSession.count({ where: { workshopId: w.id, labId: lab, attendeeId: null, endedAt: null } });
  await pool.tick();
  await f.sessions.settle();
  assert.deepEqual([await warmOf('demo'), await warmOf('demo2')], [2, 0], 'nobody is near the second lab yet');
  const a = await attendee(f.db, w.id, 1);
  const mine = await claimPooledSession(f.db, w.id, 'demo', a.id);
  assert.ok(mine);
  await pool.tick();
  assert.deepEqual([await warmOf('demo'), await warmOf('demo2')], [1, 0], 'one seat free: one of the first lab; the attendee has passed nothing');
  // The attendee passes step one of two: on the last step, nearly done.
  await f.db.stepEvent.create({ data: { workshopId: w.id, attendeeId: a.id, sessionId: mine, labId: 'demo', stepId: 'one', kind: 'check', passed: true, message: 'ok' } });
  await pool.tick();
  await f.sessions.settle();
  assert.deepEqual([await warmOf('demo'), await warmOf('demo2')], [1, 1], 'a session of the next lab waits for them');
  const b = await attendee(f.db, w.id, 2);
  assert.ok(await claimPooledSession(f.db, w.id, 'demo', b.id));
  await pool.tick();
  assert.deepEqual([await warmOf('demo'), await warmOf('demo2')], [0, 1], 'seats full: nothing new for the first lab; the next lab still waits');
  const poolMaxed = createWarmPool({ db: f.db, sessions: f.sessions, capacity, costOf: cost, config: { poolMax: 0 }, stepsOf: async () => 2 });
  const before = await f.db.workshopSession.count();
  await poolMaxed.tick();
  assert.equal(await f.db.workshopSession.count(), before, 'poolMax bounds the next lab\'s sessions too');
});
