/**
 * The session service against real parts: SQLite through Prisma, the local
 * provisioner (bubblewrap), the real lab compiler on fixture labs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/open-database';
import { createLocalProvisioner } from '../provisioner/local/local-provisioner';
import { createLabCatalog } from '../labs/lab-catalog';
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
variables:
  word: swordfish
---

<Step id="one" title="Write the word">

\`\`\`bash setup node=node1
echo prepared > ~/setup-ran
\`\`\`

\`\`\`bash check node=node1
[ "$(cat ~/word 2>/dev/null)" = "{{word}}" ] || { echo "~/word does not say $WORD yet"; exit 1; }
\`\`\`

\`\`\`bash solve node=node1
echo {{word}} > ~/word
\`\`\`

</Step>
`;

async function setup(t: import('node:test').TestContext, opts: { ttlMinutes?: number; idleMinutes?: number; now?: () => Date } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-sessions-'));
  mkdirSync(path.join(dir, 'labs', 'demo'), { recursive: true });
  writeFileSync(path.join(dir, 'labs', 'demo', 'lab.mdx'), LAB);
  const db = await openDatabase(`file:${path.join(dir, 'db.sqlite')}`);
  const local = createLocalProvisioner({ rootDir: path.join(dir, 'nodes') });
  const closed: string[] = [];
  const make = (now?: () => Date) => createSessionService({
    store: createSessionStore(db),
    labs: createLabCatalog({ labsDir: path.join(dir, 'labs'), engine: { docker: false, local: true } }),
    provisioners: { local },
    closeTerminals: (id) => closed.push(id),
    config: { sessions: { ttlMinutes: opts.ttlMinutes ?? 120, idleMinutes: opts.idleMinutes ?? 30, reapSeconds: 30, maxLive: 3, pauseOnExpiry: false }, checks: { timeoutSeconds: 10 } },
    log: () => undefined,
    now,
  });
  t.after(async () => {
    for (const id of await local.listSessions()) await local.destroySession(id);
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });
  return { service: make(opts.now), make, local, closed, db };
}

test('create → setup ran → check fails with the hint → solve → check passes and is recorded', { skip }, async (t) => {
  const { service, local } = await setup(t);
  const { view, token } = await service.create('demo', { wait: true });
  assert.equal(view.status, 'ready');
  assert.deepEqual(view.progress.map((p) => `${p.stage}:${p.state}`), ['network:done', 'node node1:done', 'setup:done']);
  assert.equal(view.vars.word, 'swordfish');
  assert.ok(await service.authorize(view.id, { token, via: 'bearer' }));
  assert.equal(await service.authorize(view.id, { token: 'wrong', via: 'bearer' }), null);
  assert.equal((await local.exec(view.id, 'node1', 'cat ~/setup-ran')).output, 'prepared\n');

  assert.deepEqual(await service.check(view.id, 'one'), { passed: false, message: '~/word does not say swordfish yet' });
  assert.equal((await service.solve(view.id, 'one')).passed, true);
  assert.deepEqual(await service.check(view.id, 'one'), { passed: true, message: 'Done.' });
  const after = await service.view(view.id);
  assert.deepEqual(after?.steps.map((s) => [s.id, s.passed]), [['one', true]]);
  await assert.rejects(service.check(view.id, 'nope'), /no step nope/);
});

test('unknown labs are 404, the live-session limit is 429', { skip }, async (t) => {
  const { service } = await setup(t);
  await assert.rejects(service.create('nope', { wait: true }), (e: { status?: number }) => e.status === 404);
  for (let i = 0; i < 3; i++) await service.create('demo', { wait: true });
  await assert.rejects(service.create('demo', { wait: true }), (e: { status?: number }) => e.status === 429);
});

test('end removes the sandbox and closes terminals; a reset gives fresh nodes and clears progress', { skip }, async (t) => {
  const { service, local, closed } = await setup(t);
  const { view } = await service.create('demo', { wait: true });
  await service.solve(view.id, 'one');
  await service.check(view.id, 'one');
  const reset = await service.reset(view.id);
  assert.equal(reset.status, 'starting');
  await service.settle();
  const fresh = await service.view(view.id);
  assert.equal(fresh?.status, 'ready');
  assert.deepEqual(fresh?.steps, []);
  assert.notEqual((await local.exec(view.id, 'node1', 'cat ~/word')).exitCode, 0, 'reset nodes start clean');
  await service.end(view.id);
  assert.equal((await service.view(view.id))?.status, 'ended');
  assert.ok(!(await local.listSessions()).includes(view.id));
  assert.deepEqual(closed, [view.id, view.id]);
  await assert.rejects(service.exec(view.id, 'node1', 'true'), (e: { status?: number }) => e.status === 409);
});

test('expired and idle sessions are reaped; orphans are swept', { skip }, async (t) => {
  let clock = Date.now();
  const { service, local } = await setup(t, { ttlMinutes: 60, idleMinutes: 10, now: () => new Date(clock) });
  const a = (await service.create('demo', { wait: true })).view;
  const b = (await service.create('demo', { wait: true })).view;
  await local.createSession('orphan1');
  clock += 5 * 60_000;
  await service.exec(b.id, 'node1', 'true'); // b is active, a is not
  clock += 6 * 60_000;
  const reaped = await service.reap();
  assert.deepEqual(reaped.ended, [a.id]);
  assert.deepEqual(reaped.orphans, ['orphan1']);
  assert.equal((await service.view(b.id))?.status, 'ready');
  clock += 60 * 60_000;
  assert.deepEqual((await service.reap()).ended, [b.id]);
  assert.equal((await service.view(b.id))?.error, 'expired');
});

test('a restarted server re-adopts live sessions and fails the ones whose nodes died', { skip }, async (t) => {
  const { service, make, local, db } = await setup(t);
  const alive = (await service.create('demo', { wait: true })).view;
  const dead = (await service.create('demo', { wait: true })).view;
  await local.exec(alive.id, 'node1', 'echo still-here > ~/mark');
  // The dead session's sandbox dies behind the server's back (its ref is the sandbox init's pid).
  const node = await db.node.findFirstOrThrow({ where: { sessionId: dead.id } });
  process.kill(Number(node.ref), 'SIGKILL');
  await new Promise((r) => setTimeout(r, 200));

  const restarted = make();
  const { adopted, failed } = await restarted.adopt();
  assert.deepEqual(adopted, [alive.id]);
  assert.deepEqual(failed, [dead.id]);
  assert.equal((await restarted.exec(alive.id, 'node1', 'cat ~/mark')).output, 'still-here\n');
  const lost = await restarted.view(dead.id);
  assert.equal(lost?.status, 'failed');
  assert.match(lost?.error ?? '', /node node1 was lost/);
  assert.ok(!(await local.listSessions()).includes(dead.id));
});

test('a node that dies: exec answers 410 with what to do, checks fail with a hint, reset brings it back', { skip }, async (t) => {
  const { service, db } = await setup(t);
  const { view } = await service.create('demo', { wait: true });
  const node = await db.node.findFirstOrThrow({ where: { sessionId: view.id } });
  process.kill(Number(node.ref), 'SIGKILL');
  await new Promise((r) => setTimeout(r, 200));
  await assert.rejects(service.exec(view.id, 'node1', 'true'), (e: { status?: number; message: string }) => e.status === 410 && /reset the session/.test(e.message));
  assert.deepEqual(await service.check(view.id, 'one'), { passed: false, message: 'Node node1 is not running: reset the session to get it back.' });
  await service.reset(view.id);
  await service.settle();
  assert.equal((await service.exec(view.id, 'node1', 'echo back')).output, 'back\n');
});
