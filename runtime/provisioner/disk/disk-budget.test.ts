/**
 * Disk budgets (issue #14), tried as an attacker would: from inside real nodes
 * as root, fill the writable layer, the node's own Docker and the session's
 * registry. Each write stops at the session's budget with ENOSPC, the host
 * loses no more than the budget, another session keeps working, the session
 * view says the disk is full, and ways around the budget are refused.
 *
 * Needs root (loop mounts) and labdock's isolating engine; in CI
 * (LABDOCK_REQUIRE_DOCKER=1) their absence is a failure, not a skip.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerProvisionerForTests } from '../../sessions/docker-lab-fixture';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { isolationOrNone } from '../../engine/engine-isolation';
import { ensureHostFirewall } from '../../engine/host-firewall';
import { openDatabase } from '../../db/open-database';
import { createLabCatalog } from '../../labs/lab-catalog';
import { createSessionStore } from '../../sessions/session-store';
import { createSessionService, type SessionService } from '../../sessions/session-service';
import { secretBox } from '../../secrets/secret-box';
import { sessionDisks } from './session-disk';
import { isMounted } from './disk-image';
import type { Provisioner } from '../provisioner';

const docker = new Docker();
const isolation = await isolationOrNone(docker);
const reachable = await docker.ping().then(() => true, () => false);
const root = process.getuid?.() === 0;
if (process.env.LABDOCK_REQUIRE_DOCKER === '1' && (isolation.mode !== 'userns' || !root)) throw new Error('LABDOCK_REQUIRE_DOCKER=1 but disk budgets need root and labdock\'s isolating engine');
const skip = reachable && root && isolation.mode === 'userns' ? undefined : 'needs root and labdock\'s isolating engine';

const BUDGET = 1024 ** 3;
const MIB = 1024 ** 2;
const dir = `/var/lib/labdock/disks/test-${process.pid}`;
const LAB = `---
id: disk
title: Disk fixture
summary: One node and the bundled registry.
difficulty: beginner
duration: 5m
engine: docker
registry: true
nodes:
  - name: node1
---

<Step id="s" title="s">

\`\`\`bash check node=node1
true
\`\`\`

\`\`\`bash solve node=node1
true
\`\`\`

</Step>
`;

let p: Provisioner;
let sessions: SessionService;
let A = '';
const B = `db${process.pid}`;
const cleanup: (() => Promise<unknown> | void)[] = [];

before(async () => {
  if (skip) return;
  await ensureHostFirewall();
  p = await dockerProvisionerForTests({ docker, isolation, skip }, {
    instance: `disk-${process.pid}`,
    disks: sessionDisks({ dir, budgetBytes: BUDGET, owner: isolation.mode === 'userns' ? isolation.remappedRoot : null }),
  });
  const tmp = mkdtempSync(path.join(tmpdir(), 'labdock-disk-'));
  cleanup.push(() => rmSync(tmp, { recursive: true, force: true }));
  mkdirSync(path.join(tmp, 'labs', 'disk'), { recursive: true });
  writeFileSync(path.join(tmp, 'labs', 'disk', 'lab.mdx'), LAB);
  const db = await openDatabase(`file:${path.join(tmp, 'db.sqlite')}`);
  cleanup.unshift(() => db.$disconnect());
  sessions = createSessionService({
    store: createSessionStore(db, secretBox(randomBytes(32))), labs: createLabCatalog({ labsDir: path.join(tmp, 'labs'), engine: { docker: true, local: false } }),
    provisioners: { docker: p }, closeTerminals: () => undefined,
    config: { sessions: { ttlMinutes: 60, idleMinutes: 30, reapSeconds: 30, maxLive: 5 }, checks: { timeoutSeconds: 60 } },
    log: () => undefined,
  });
  const { view } = await sessions.create('disk', { wait: true });
  A = view.id;
  cleanup.unshift(() => p.destroySession(A));
  assert.equal(view.status, 'ready', view.error);
  await p.createSession(B);
  cleanup.unshift(() => p.destroySession(B));
  await p.createNode(B, { name: 'node1', hostname: 'node1', image: 'node' });
}, { timeout: 1_200_000 });

after(async () => {
  for (const step of cleanup) await Promise.resolve(step()).catch((e: Error) => console.error(`cleanup: ${e.message}`));
  rmSync(dir, { recursive: true, force: true });
});

const inA = (command: string, node = 'node1', timeoutMs = 120_000) => p.exec(A, node, command, { timeoutMs });
/** Whatever a failed test left filling A's disk goes before the next test. */
const cleanupA: string[] = [];
afterEach(async () => {
  if (skip || !A || !cleanupA.length) return;
  await inA(`${cleanupA.splice(0).join('; ')}; docker system prune -af >/dev/null 2>&1; docker builder prune -af >/dev/null 2>&1; sync; true`).catch(() => undefined);
});
const hostFree = () => { const s = statfsSync(dir); return s.bavail * s.bsize; };

/** Fills `file` inside node1 of A; while it is full, checks what must hold; then frees it. */
async function fillAndCheck(file: string, writer: 'dd' | 'fallocate' = 'dd') {
  const before = hostFree();
  const write = writer === 'dd'
    ? `dd if=/dev/zero of=${file} bs=1M count=${2 * BUDGET / MIB} conv=fsync 2>&1`
    : `fallocate -l ${2 * BUDGET} ${file} 2>&1; ls -l ${file} 2>&1`;
  const r = await inA(write);
  cleanupA.push(`rm -f ${file}`);
  assert.match(r.output, /No space left on device/, `${writer} ${file} must stop at the budget: ${r.output}`);
  const view = (await sessions.view(A))!;
  assert.ok(view.disk, 'the session view reports its disk');
  assert.equal(view.disk.budgetBytes, BUDGET);
  assert.equal(view.disk.full, true, `the view says full (${JSON.stringify(view.disk)})`);
  // The host lost at most the budget (plus what other tenants of this machine wrote meanwhile: 64 MiB slack).
  assert.ok(before - hostFree() <= BUDGET + 64 * MIB, `host free space fell by ${(before - hostFree()) / MIB} MiB`);
  // Session B does not notice.
  const b = await p.exec(B, 'node1', 'dd if=/dev/zero of=/root/b bs=1M count=64 2>&1 && sync && rm /root/b && docker version --format ok');
  assert.equal(b.exitCode, 0, b.output);
  await inA(`rm -f ${file}; sync; fstrim / 2>/dev/null; true`);
  assert.equal((await sessions.view(A))!.disk?.full, false, 'freed again');
}

test('the writable layer (/root, /tmp, /var/tmp, /) stops at the budget with ENOSPC', { skip, timeout: 300_000 }, async () => {
  for (const file of ['/root/fill', '/tmp/fill', '/var/tmp/fill', '/fill']) await fillAndCheck(file);
  await fillAndCheck('/root/falloc', 'fallocate');
});

test('files the engine bind-mounts into a node (/etc/hosts) are on the budget too', { skip, timeout: 120_000 }, async () => {
  // Not vacuous: /etc/hosts is a bind mount of a file in the engine's directory of the container.
  assert.match((await inA('grep " /etc/hosts " /proc/self/mountinfo')).output, /\/etc\/hosts/);
  cleanupA.push('cp /root/hosts.orig /etc/hosts');
  const r = await inA(`cp /etc/hosts /root/hosts.orig; dd if=/dev/zero of=/etc/hosts bs=1M count=${2 * BUDGET / MIB} conv=notrunc 2>&1; cp /root/hosts.orig /etc/hosts`);
  assert.match(r.output, /No space left on device/, r.output);
});

test('the node\'s own Docker (/var/lib/docker): a container writing and a build of a big layer stop at the budget', { skip, timeout: 300_000 }, async () => {
  const run = await inA(`docker run --rm alpine:3.6 sh -c 'cat /dev/zero > /big' 2>&1`);
  assert.match(run.output, /No space left on device/, run.output);
  assert.equal((await inA('docker system prune -af >/dev/null; echo ok')).output.trim(), 'ok');
  const build = await inA(`printf 'FROM alpine:3.6\\nRUN cat /dev/zero > /big\\n' | docker build -q - 2>&1`);
  assert.match(build.output, /No space left on device/, build.output);
  await inA('docker system prune -af >/dev/null; docker builder prune -af >/dev/null; true');
});

test('the session registry: a push of big blobs fails once the budget is spent, and the view says so', { skip, timeout: 600_000 }, async () => {
  const view = (await sessions.view(A))!;
  assert.ok(view.registry, 'the session has a registry');
  const login = await inA(`echo '${view.registry.password}' | docker login ${view.registry.hostname} -u ${view.registry.username} --password-stdin 2>&1`);
  assert.equal(login.exitCode, 0, login.output);
  // 200 MiB of random data (incompressible); then the node's disk is filled to 150 MiB short of the
  // budget, so the registry's copy of the blob cannot fit.
  const image = `${view.registry.hostname}/admin/big:1`;
  const build = await inA(`mkdir -p /root/big && head -c ${200 * MIB} /dev/urandom > /root/big/data && printf 'FROM alpine:3.6\\nCOPY data /data\\n' > /root/big/Dockerfile && rm -f /root/big/data.1 && docker build -q -t ${image} /root/big 2>&1 && rm /root/big/data`, 'node1', 300_000);
  assert.equal(build.exitCode, 0, build.output);
  cleanupA.push(`docker rmi ${image}`, 'rm -rf /root/big', 'rm -f /root/filler');
  const filler = await inA(`dd if=/dev/zero of=/root/filler bs=1M count=$(( $(df --output=avail -B1M / | tail -n 1) - 150 )) 2>&1 && sync && df -B1M / | tail -n 1`);
  assert.equal(filler.exitCode, 0, filler.output);
  const push = await inA(`docker push ${image} 2>&1 | tail -n 3`, 'node1', 300_000);
  assert.doesNotMatch(push.output, /digest: sha256/, `the push must not complete: ${push.output}`);
  const full = (await sessions.view(A))!.disk!;
  assert.equal(full.full, true, `the registry's writes filled the budget: ${JSON.stringify(full)}`);
  assert.ok(full.usedBytes <= BUDGET, 'never past it');
  await inA(`docker rmi ${image} >/dev/null 2>&1; docker system prune -af >/dev/null; true`);
});

test('ways around the budget are refused: loop devices, mounts, remounts, /proc/*/root, inner bind volumes', { skip, timeout: 300_000 }, async () => {
  // Not vacuous: the host has loop devices, and A's disk is a loop-mounted image on it.
  assert.ok(existsSync('/dev/loop-control'));
  assert.ok(await isMounted(path.join(dir, A)), 'A\'s disk is mounted on the host');
  const r = await inA([
    'losetup -f 2>/dev/null && echo LOSETUP',
    'mknod /root/loop0 b 7 0 2>/dev/null && dd if=/root/loop0 of=/dev/null count=1 2>/dev/null && echo MKNOD',
    'truncate -s 10G /root/img && mkfs.ext4 -q -F /root/img >/dev/null 2>&1; mount -o loop /root/img /mnt 2>/dev/null && echo LOOPMOUNT; rm -f /root/img',
    'mount -o remount,rw / 2>/dev/null; mount -o remount,size=100g /dev/shm 2>/dev/null && echo REMOUNT',
    'echo END',
  ].join('; '));
  assert.equal(r.output.trim(), 'END', `an escape route worked: ${r.output}`);
  // Writes by any path that leads into the node still land on its disk.
  for (const file of ['/proc/self/root/root/fill', '/proc/1/root/tmp/fill']) {
    const w = await inA(`dd if=/dev/zero of=${file} bs=1M count=${2 * BUDGET / MIB} 2>&1; rm -f ${file}`);
    assert.match(w.output, /No space left on device/, `${file}: ${w.output}`);
  }
  const vol = await inA(`docker volume create -o type=none -o o=bind -o device=/tmp escape >/dev/null && docker run --rm -v escape:/x alpine:3.6 sh -c 'cat /dev/zero > /x/fill' 2>&1; rm -f /tmp/fill; docker volume rm escape >/dev/null`);
  assert.match(vol.output, /No space left on device/, vol.output);
});

test('after a reboot (disk unmounted, nodes stopped) a node fails to start until restoreSession mounts its disk; files are kept', { skip, timeout: 300_000 }, async () => {
  assert.equal((await p.exec(B, 'node1', 'echo kept > /root/kept && sync && cat /root/kept')).output.trim(), 'kept');
  const node = docker.getContainer(`labdock-${B}-node1`);
  await node.stop({ t: 5 });
  await new Promise((r) => setTimeout(r, 500));
  const { execFileSync } = await import('node:child_process');
  execFileSync('umount', [path.join(dir, B)]);
  await assert.rejects(node.start(), 'without its disk, the node must not start (its writes would go to the host)');
  assert.deepEqual(await p.restoreSession!(B), ['node1']);
  assert.equal((await p.exec(B, 'node1', 'cat /root/kept')).output.trim(), 'kept');
});

test('destroySession unmounts and deletes the disk, even when it is full', { skip, timeout: 300_000 }, async () => {
  await p.exec(B, 'node1', `dd if=/dev/zero of=/root/fill bs=1M count=${2 * BUDGET / MIB} 2>/dev/null; true`, { timeoutMs: 120_000 });
  await p.destroySession(B);
  assert.equal(await isMounted(path.join(dir, B)), false);
  assert.equal(existsSync(path.join(dir, `${B}.img`)), false);
  assert.equal(existsSync(path.join(dir, B)), false);
  assert.ok(!(await p.listSessions()).includes(B));
});
