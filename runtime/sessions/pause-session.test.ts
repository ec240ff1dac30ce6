/**
 * Pause, resume and retention against real parts: SQLite through Prisma, the
 * local provisioner (bubblewrap), the real lab compiler. The attack side too:
 * a paused session runs nothing, a resume link opens only its own session
 * once, and resuming cannot take more room than the host has.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/open-database';
import { createLocalProvisioner } from '../provisioner/local/local-provisioner';
import { createLabCatalog } from '../labs/lab-catalog';
import { createCapacity } from '../admission/capacity';
import { tokenMatches } from '../http/auth';
import { createSessionStore } from './session-store';
import { createSessionService } from './session-service';

const skip = existsSync('/usr/bin/bwrap') ? undefined : 'bubblewrap is not installed';

const LAB = `---
id: demo
title: Demo
summary: A fixture lab.
difficulty: beginner
duration: 5m
engine: none
nodes:
  - name: node1
---

<Step id="one" title="Write a file">

\`\`\`bash check node=node1
[ -f ~/made ] || { echo "no ~/made yet"; exit 1; }
\`\`\`

\`\`\`bash solve node=node1
touch ~/made
\`\`\`

</Step>
`;

async function setup(t: import('node:test').TestContext, opts: { maxSessions?: number; freeDiskMb?: () => number } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-pause-'));
  mkdirSync(path.join(dir, 'labs', 'demo'), { recursive: true });
  writeFileSync(path.join(dir, 'labs', 'demo', 'lab.mdx'), LAB);
  const db = await openDatabase(`file:${path.join(dir, 'db.sqlite')}`);
  const local = createLocalProvisioner({ rootDir: path.join(dir, 'nodes') });
  const clock = { t: Date.parse('2026-12-01T10:00:00Z') };
  const closed: string[] = [];
  const make = () => {
    const capacity = createCapacity({ totalMemoryMb: 1e9, maxContainers: 1e9, maxSessions: opts.maxSessions ?? 10, nextFreeInSeconds: () => 60 });
    return createSessionService({
      store: createSessionStore(db),
      labs: createLabCatalog({ labsDir: path.join(dir, 'labs'), engine: { docker: false, local: true } }),
      provisioners: { local },
      closeTerminals: (id) => closed.push(id),
      capacity,
      config: { sessions: { ttlMinutes: 120, idleMinutes: 30, reapSeconds: 30, maxLive: 10, retentionDays: 7, minFreeDiskMb: 100 }, checks: { timeoutSeconds: 10 } },
      log: () => undefined,
      now: () => new Date(clock.t),
      freeDiskMb: opts.freeDiskMb ?? (() => 1e9),
    });
  };
  t.after(async () => {
    for (const id of await local.listSessions()) await local.destroySession(id);
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });
  return { service: make(), make, local, clock, closed, db };
}

test('pause keeps files and progress, refuses exec, checks and terminals; resume brings the node back', { skip }, async (t) => {
  const { service, local, closed } = await setup(t);
  const { view } = await service.create('demo', { wait: true });
  await service.exec(view.id, 'node1', 'echo work > ~/made');
  assert.equal((await service.check(view.id, 'one')).passed, true);

  const paused = await service.pause(view.id);
  assert.equal(paused.status, 'paused');
  assert.ok(paused.pausedAt && paused.deleteAfter);
  assert.equal(Date.parse(paused.deleteAfter!) - Date.parse(paused.pausedAt!), 7 * 86_400_000);
  assert.ok(closed.includes(view.id), 'its terminals were closed');
  assert.equal(await local.isNodeAlive(view.id, 'node1'), false);
  await assert.rejects(service.exec(view.id, 'node1', 'id'), /session is paused/);
  await assert.rejects(service.check(view.id, 'one'), /session is paused/);
  await assert.rejects(service.solve(view.id, 'one'), /session is paused/);
  await assert.rejects(service.reset(view.id), /session is paused/);
  await assert.rejects(service.pause(view.id).then(() => service.pause('ffffffffffff')), /no such session/);

  const resumed = await service.resume(view.id, { wait: true });
  assert.equal(resumed.status, 'ready', resumed.error);
  assert.deepEqual(resumed.progress.map((p) => [p.stage, p.state]), [['resume', 'done'], ['node node1', 'done']]);
  assert.deepEqual(resumed.steps.map((s) => [s.id, s.passed]), [['one', true]], 'step progress survived');
  assert.equal((await service.exec(view.id, 'node1', 'cat ~/made')).output, 'work\n');
});

test('resume cannot exceed capacity: a paused session gives its room back and must book it again (429 when full)', { skip }, async (t) => {
  const { service } = await setup(t, { maxSessions: 1 });
  const a = (await service.create('demo', { wait: true })).view;
  await assert.rejects(service.create('demo', { wait: true }), (e: { status?: number }) => e.status === 429);
  await service.pause(a.id);
  const b = (await service.create('demo', { wait: true })).view;
  assert.equal(b.status, 'ready', 'the paused session held no room');
  await assert.rejects(service.resume(a.id, { wait: true }), (e: { status?: number; message: string }) => e.status === 429);
  assert.equal((await service.view(a.id))?.status, 'paused', 'a refused resume leaves it paused, nothing started');
  await service.end(b.id);
  assert.equal((await service.resume(a.id, { wait: true })).status, 'ready');
});

test('a resume link opens only its own session, once; a wrong or another session\'s secret is refused', { skip }, async (t) => {
  const { service, db } = await setup(t);
  const a = (await service.create('demo', { wait: true })).view;
  const b = (await service.create('demo', { wait: true })).view;
  await service.pause(a.id);
  const secretA = await service.issueResumeSecret(a.id);
  const secretB = await service.issueResumeSecret(b.id);
  const row = await db.session.findUnique({ where: { id: a.id } });
  assert.notEqual(row?.resumeHash, secretA, 'only a hash is kept');
  assert.ok(tokenMatches(secretA, row!.resumeHash!));

  assert.equal(await service.claim(a.id, secretB, null), null, 'another session\'s secret');
  assert.equal(await service.claim(a.id, secretA.slice(0, -1) + (secretA.endsWith('A') ? 'B' : 'A'), null), null, 'a wrong secret');
  assert.equal(await service.claim('not-an-id', secretA, null), null);
  const claimed = await service.claim(a.id, secretA, 'browser-2');
  assert.ok(claimed);
  assert.ok(await service.authorize(a.id, { token: claimed.token, via: 'cookie' }), 'the new browser has the session');
  assert.equal(await service.claim(a.id, secretA, null), null, 'a link works once');
  assert.equal((await db.session.findUnique({ where: { id: a.id } }))?.clientBrowser, 'browser-2');
  // A newer link replaces the older one.
  const first = await service.issueResumeSecret(b.id);
  await service.issueResumeSecret(b.id);
  assert.equal(await service.claim(b.id, first, null), null);
  assert.equal(secretB === first, false);
});

test('idle and lifetime expiry pause instead of ending; the orphan sweep and a server restart keep paused sessions', { skip }, async (t) => {
  const { service, make, local, clock } = await setup(t);
  const idle = (await service.create('demo', { wait: true })).view;
  await service.exec(idle.id, 'node1', 'echo kept > ~/made');
  clock.t += 31 * 60_000;
  const reaped = await service.reap();
  assert.deepEqual(reaped.paused, [idle.id]);
  assert.deepEqual(reaped.ended, []);
  assert.deepEqual(reaped.orphans, [], 'a paused session is not an orphan');
  assert.ok((await local.listSessions()).includes(idle.id));
  assert.equal((await service.view(idle.id))?.status, 'paused');

  // A restarted server: paused stays paused (nothing started), live stays live.
  const live = (await service.create('demo', { wait: true })).view;
  const next = make();
  const adoption = await next.adopt();
  assert.deepEqual(adoption.adopted, [live.id]);
  assert.equal((await next.view(idle.id))?.status, 'paused');
  assert.equal(await local.isNodeAlive(idle.id, 'node1'), false);
  assert.equal((await next.resume(idle.id, { wait: true })).status, 'ready');
  assert.equal((await next.exec(idle.id, 'node1', 'cat ~/made')).output, 'kept\n');
});

test('retention deletes paused sessions past it, and oldest paused first when disk runs low; the learner is told why', { skip }, async (t) => {
  // Disk is "low" while the oldest paused session's files exist: deleting it must be enough, and must come first.
  let lowWhile: () => boolean = () => false;
  const { service, local, clock } = await setup(t, { freeDiskMb: () => (lowWhile() ? 50 : 1e9) });
  const old = (await service.create('demo', { wait: true })).view;
  await service.pause(old.id);
  clock.t += 2 * 86_400_000;
  const mid = (await service.create('demo', { wait: true })).view;
  await service.pause(mid.id);
  clock.t += 86_400_000;
  const young = (await service.create('demo', { wait: true })).view;
  await service.pause(young.id);

  let calls = 0;
  lowWhile = () => calls++ === 0; // low at the first look only: one deletion brings it back above the floor
  const lowDisk = await service.reap();
  assert.deepEqual(lowDisk.deleted, [old.id], 'oldest paused first, and only as many as needed');
  assert.match((await service.view(old.id))?.error ?? '', /low on disk/);
  assert.equal((await service.view(mid.id))?.status, 'paused');

  // 7 days after its pause, mid goes (retention); young, paused a day later, stays until its own 7 days.
  clock.t += 6 * 86_400_000 + 60_000;
  assert.deepEqual((await service.reap()).deleted, [mid.id]);
  const v = await service.view(mid.id);
  assert.equal(v?.status, 'ended');
  assert.match(v?.error ?? '', /deleted after 7 days paused/);
  assert.equal((await local.listSessions()).includes(mid.id), false, 'its files are gone');
  assert.equal((await service.view(young.id))?.status, 'paused');
  await assert.rejects(service.resume(mid.id, { wait: true }), (e: { status?: number; message: string }) => e.status === 410 && /7 days paused/.test(e.message));
});
