/**
 * Nothing lost on restart (issue #11 item 10), on a real Docker engine: nodes
 * carry a restart policy (they come back after a dockerd restart or a host
 * reboot), and a server that starts to find one node of a ready session gone
 * recreates that node — the session stays ready, its step progress and its
 * other nodes' state are kept, and its progress says what happened — instead
 * of destroying the whole session.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { openDatabase } from '../db/open-database';
import { createDockerProvisioner } from '../provisioner/docker/docker-provisioner';
import { ensureImages } from '../images/ensure-images';
import { isolationOrNone } from '../engine/engine-isolation';
import { createLabCatalog } from '../labs/lab-catalog';
import { openSecretBox } from '../secrets/secret-box';
import { createSessionStore } from './session-store';
import { createSessionService } from './session-service';

const docker = new Docker();
const isolation = await isolationOrNone(docker);
const noDocker = (await docker.ping().then(() => true, () => false)) ? undefined : 'no Docker engine reachable';

const LAB = `---
id: pair
title: Pair
summary: Two Docker nodes.
difficulty: beginner
duration: 5m
engine: docker
nodes:
  - name: alpha
    image: node
  - name: beta
    image: node
---

<Step id="mark" title="Mark alpha">

\`\`\`bash check node=alpha
test -f ~/mark || { echo "no ~/mark on alpha"; exit 1; }
\`\`\`

\`\`\`bash solve node=alpha
touch ~/mark
\`\`\`

</Step>
`;

test('a lost node is recreated on adoption; the session, its progress and its other node are kept; nodes restart with the engine', { skip: noDocker, timeout: 600_000 }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-recovery-'));
  mkdirSync(path.join(dir, 'labs', 'pair'), { recursive: true });
  writeFileSync(path.join(dir, 'labs', 'pair', 'lab.mdx'), LAB);
  const tags = await ensureImages(docker, { names: ['node'] });
  const provisioner = createDockerProvisioner({
    docker, resolveImage: () => tags.node, isolation, instance: `recovery-${process.pid}`, waitUntilReady: false,
  });
  const db = await openDatabase(`file:${path.join(dir, 'db.sqlite')}`);
  const box = openSecretBox(dir);
  const server = () => createSessionService({
    store: createSessionStore(db, box), provisioners: { docker: provisioner }, closeTerminals: () => undefined,
    labs: createLabCatalog({ labsDir: path.join(dir, 'labs'), engine: { docker: true, local: false } }),
    config: { sessions: { ttlMinutes: 60, idleMinutes: 30, reapSeconds: 30, maxLive: 5 }, checks: { timeoutSeconds: 30 } },
    log: () => undefined,
  });
  let id: string | undefined;
  t.after(async () => {
    if (id) await provisioner.destroySession(id).catch(() => undefined);
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const first = server();
  const { view } = await first.create('pair', { wait: true });
  id = view.id;
  assert.equal(view.status, 'ready', view.error);
  assert.equal((await first.solve(id, 'mark')).passed, true);
  assert.equal((await first.check(id, 'mark')).passed, true);
  await first.exec(id, 'beta', 'echo kept > ~/on-beta');

  // Restart policy: dockerd brings the nodes back after its own restart or a reboot.
  const alpha = docker.getContainer(`labdock-${id}-alpha`);
  assert.equal((await alpha.inspect()).HostConfig.RestartPolicy?.Name, 'unless-stopped');

  // The server goes away; while it is down, node alpha's container is lost.
  await alpha.remove({ force: true });
  const second = server();
  const adoption = await second.adopt();
  assert.deepEqual(adoption.adopted, [id]);
  assert.deepEqual(adoption.failed, []);
  assert.deepEqual(adoption.recovered, [`${id}/alpha`]);
  const after = (await second.view(id))!;
  assert.equal(after.status, 'ready');
  assert.ok(after.progress.some((p) => /^node alpha recreated/.test(p.stage) && p.state === 'done'), JSON.stringify(after.progress));
  assert.deepEqual(after.steps.map((s) => [s.id, s.passed]), [['mark', true]], 'step progress is kept');
  assert.equal((await second.exec(id, 'beta', 'cat ~/on-beta')).output, 'kept\n', 'the other node was left alone');
  assert.equal((await second.exec(id, 'alpha', 'hostname')).output, 'alpha\n', 'the recreated node answers under its name');

  // A node restarted under the server (docker restart) answers again by itself.
  await docker.getContainer(`labdock-${id}-beta`).restart({ t: 1 });
  assert.equal((await second.exec(id, 'beta', 'cat ~/on-beta')).output, 'kept\n');
  await second.end(id);
});
