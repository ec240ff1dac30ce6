/**
 * Joining against real parts (SQLite, session service on the local
 * provisioner, a real Capacity budget): seats, rejoin, name theft, the
 * allow-list, time windows, and a join storm that must not overfill.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workshopFixture, skipWithoutBwrap as skip } from './test-fixture';
import { createCapacity } from '../admission/capacity';
import { createWarmPool } from './pool/warm-pool';
import { joinWorkshop, type JoinDeps } from './join-workshop';

async function setup(t: import('node:test').TestContext, capacityMb = 10_000) {
  const f = await workshopFixture(t);
  const capacity = createCapacity({ totalMemoryMb: capacityMb, maxContainers: 1000, maxSessions: 50, nextFreeInSeconds: () => 30 });
  const costOf = async () => ({ memoryMb: 100, containers: 1 });
  const pool = createWarmPool({ db: f.db, sessions: f.sessions, capacity, costOf, config: { poolMax: 10 } });
  const changed: string[] = [];
  const deps: JoinDeps = { db: f.db, sessions: f.sessions, pool, capacity, costOf, changed: (id) => changed.push(id) };
  return { ...f, capacity, pool, deps, changed };
}

test('a join claims a warm session and hands its browser a working token; the same browser gets it back', { skip }, async (t) => {
  const s = await setup(t);
  const w = await s.workshop({ seats: 2 });
  await s.pool.tick();
  await s.sessions.settle();
  const first = await joinWorkshop(s.deps, { code: w.joinCode, displayName: 'Grace' }, null);
  assert.equal(first.origin, 'pool');
  assert.equal(first.labId, 'demo');
  assert.ok(await s.sessions.authorize(first.sessionId, { token: first.token, via: 'cookie' }), 'the new token opens the session');
  const row = await s.sessions.view(first.sessionId);
  assert.ok(Math.abs(Date.parse(row!.expiresAt) - (Date.now() + 60 * 60_000)) < 10_000, 'the session lasts the workshop\'s 60 minutes');
  assert.deepEqual(s.changed, [w.id]);

  const again = await joinWorkshop(s.deps, { code: w.joinCode, displayName: 'whatever' }, first.browserSecret);
  assert.equal(again.origin, 'rejoin');
  assert.equal(again.sessionId, first.sessionId);
  assert.equal(await s.sessions.authorize(first.sessionId, { token: first.token, via: 'cookie' }), null, 'the older token is replaced');

  await assert.rejects(joinWorkshop(s.deps, { code: w.joinCode, displayName: 'Grace' }, null), /already joined as “Grace”/);
  await assert.rejects(joinWorkshop(s.deps, { code: w.joinCode, displayName: 'Grace' }, 'a-guessed-secret'), /already joined/);
  assert.equal(await s.db.attendee.count(), 1, 'the refused browsers took no seat');
});

test('closed, not yet open, full, unknown code, and the allow-list are refused clearly', { skip }, async (t) => {
  const s = await setup(t);
  const later = await s.workshop({ opensAt: new Date(Date.now() + 3600_000), closesAt: new Date(Date.now() + 7200_000) });
  await assert.rejects(joinWorkshop(s.deps, { code: later.joinCode, displayName: 'A' }, null), /not opened yet/);
  const over = await s.workshop({ opensAt: new Date(Date.now() - 7200_000), closesAt: new Date(Date.now() - 3600_000) });
  await assert.rejects(joinWorkshop(s.deps, { code: over.joinCode, displayName: 'A' }, null), /has closed/);
  await assert.rejects(joinWorkshop(s.deps, { code: 'NOSUCH99', displayName: 'A' }, null), /No workshop has this code/);
  const listed = await s.workshop({ allowDomain: 'school.edu', allowEmails: ['guest@example.org'] });
  await assert.rejects(joinWorkshop(s.deps, { code: listed.joinCode, displayName: 'A' }, null), /asks for your email/);
  await assert.rejects(joinWorkshop(s.deps, { code: listed.joinCode, displayName: 'A', email: 'eve@evil.org' }, null), /not on the workshop's list/);
  await assert.rejects(joinWorkshop(s.deps, { code: listed.joinCode, displayName: 'A', email: 'eve@school.edu.evil.org' }, null), /not on the workshop's list/);
  assert.equal((await joinWorkshop(s.deps, { code: listed.joinCode, displayName: 'B', email: 'bo@school.edu' }, null)).origin, 'cold', 'no pool warmed: a cold start');
  assert.ok(await joinWorkshop(s.deps, { code: listed.joinCode, displayName: 'C', email: 'guest@example.org' }, null));
  const one = await s.workshop({ seats: 1 });
  await joinWorkshop(s.deps, { code: one.joinCode, displayName: 'A' }, null);
  await assert.rejects(joinWorkshop(s.deps, { code: one.joinCode, displayName: 'B' }, null), /full/);
});

test('a storm of 8 joins for 5 seats with 3 warm sessions: 5 seated, 3 from the pool, no session shared', { skip }, async (t) => {
  const s = await setup(t);
  const w = await s.workshop({ seats: 5 });
  await s.db.workshop.update({ where: { id: w.id }, data: { seats: 3 } });
  await s.pool.tick();
  await s.db.workshop.update({ where: { id: w.id }, data: { seats: 5 } });
  await s.sessions.settle();
  const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => joinWorkshop(s.deps, { code: w.joinCode, displayName: `p${i}` }, null)));
  const ok = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof joinWorkshop>>> => r.status === 'fulfilled').map((r) => r.value);
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  assert.equal(ok.length, 5, refused.map((r) => (r.reason as Error).message).join('; '));
  assert.ok(refused.every((r) => /full/.test((r.reason as Error).message)));
  assert.equal(new Set(ok.map((j) => j.sessionId)).size, 5);
  assert.equal(ok.filter((j) => j.origin === 'pool').length, 3);
  assert.deepEqual((await s.db.attendee.findMany({ orderBy: { seat: 'asc' } })).map((a) => a.seat), [1, 2, 3, 4, 5]);
});

test('a cold join the host cannot hold is refused with a retry time, and frees its seat', { skip }, async (t) => {
  const s = await setup(t, 150);
  const w = await s.workshop({ seats: 3 });
  await joinWorkshop(s.deps, { code: w.joinCode, displayName: 'A' }, null);
  await assert.rejects(joinWorkshop(s.deps, { code: w.joinCode, displayName: 'B' }, null), /No room on this server.*try again in 30 s/);
  assert.equal(await s.db.attendee.count({ where: { workshopId: w.id } }), 1);
});
