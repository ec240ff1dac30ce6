import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { isolationOrNone } from '../../engine/engine-isolation';
import { createDockerProvisioner } from './docker-provisioner';
import { provisionerSuite } from '../provisioner-suite';
import { ensureImages } from '../../images/ensure-images';
import { LABELS } from '../provisioner';

const docker = new Docker();
const isolation = await isolationOrNone(docker);
const reachable = await docker.ping().then(() => true, () => false);
if (!reachable && process.env.LABDOCK_REQUIRE_DOCKER === '1') throw new Error('LABDOCK_REQUIRE_DOCKER=1 but no Docker engine is reachable');
const skip = reachable ? undefined : 'no Docker engine reachable (set LABDOCK_REQUIRE_DOCKER=1 to make this an error)';
const instance = `test-${process.pid}`;
let tags: Record<string, string> = {};

before(async () => {
  if (skip) return;
  tags = await ensureImages(docker, { names: ['node'], onProgress: (e) => e.state !== 'cached' && console.log(`[images] ${e.image} ${e.state}: ${e.message}`) });
}, { timeout: 1_200_000 });

const make = async () => ({
  provisioner: createDockerProvisioner({
    docker,
    resolveImage: (n) => tags[n],
    isolation,
    instance,
    limits: { memoryBytes: 512 * 1024 * 1024, nanoCpus: 1e9, pidsLimit: 1024 },
  }),
});

provisionerSuite('docker', make, {
  nodeImage: 'node',
  nodesReachEachOther: true,
  killNode: async (ref) => void (await docker.getContainer(ref).kill()),
  skip,
});

test('docker: nodes are labelled, limited, without the host socket, and each runs its own engine', { skip, timeout: 240_000 }, async (t) => {
  const { provisioner: p } = await make();
  const id = `t${process.pid}lim`;
  t.after(() => p.destroySession(id));
  await p.createSession(id);
  await p.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' });
  const info = await docker.getContainer(`labdock-${id}-node1`).inspect();
  assert.equal(info.Config.Labels[LABELS.session], id);
  assert.equal(info.Config.Labels[LABELS.node], 'node1');
  assert.equal(info.HostConfig.Memory, 512 * 1024 * 1024);
  assert.equal(info.HostConfig.PidsLimit, 1024);
  assert.equal(info.HostConfig.Privileged, false);
  assert.ok(!(info.HostConfig.Binds ?? []).some((b) => b.includes('docker.sock')), 'no host Docker socket');
  const net = await docker.getNetwork(`labdock-${id}`).inspect();
  assert.equal(net.Internal, true);
  const r = await p.exec(id, 'node1', "docker info --format '{{.Driver}} {{.Name}}' && docker volume create v1 >/dev/null && docker volume ls -q");
  assert.equal(r.output, 'overlay2 node1\nv1\n');
  // Root in a node holds no capability over the host's kernel: modules, clock, raw I/O, reboot/kexec, kernel log.
  const bounding = BigInt(`0x${(await p.exec(id, 'node1', "awk '/^CapBnd/ {print $2}' /proc/1/status")).output.trim()}`);
  for (const [cap, bit] of [['SYS_MODULE', 16n], ['SYS_RAWIO', 17n], ['SYS_TIME', 25n], ['SYS_BOOT', 22n], ['SYSLOG', 34n]] as const) {
    assert.equal((bounding >> bit) & 1n, 0n, `${cap} must not be in a node's bounding set`);
  }
  assert.equal((bounding >> 21n) & 1n, 1n, 'SYS_ADMIN stays: the node runs its own dockerd');
  const time = await p.exec(id, 'node1', 'date -s "2001-01-01" 2>&1');
  assert.notEqual(time.exitCode, 0, 'the host clock cannot be set from a node');
  // Everything goes with the session: containers, volumes, network.
  await p.destroySession(id);
  const left = await docker.listContainers({ all: true, filters: { label: [`${LABELS.session}=${id}`] } });
  const vols = (await docker.listVolumes({ filters: { label: [`${LABELS.session}=${id}`] } })).Volumes ?? [];
  assert.equal(left.length + vols.length, 0);
});

test('docker: a node whose engine cannot start fails createNode with the reason, and the session still cleans up', { skip, timeout: 120_000 }, async (t) => {
  // A node whose init refuses its configuration exits before its dockerd answers: what a misconfigured host looks like.
  const p = createDockerProvisioner({ docker, resolveImage: (n) => tags[n], isolation, instance, readyTimeoutMs: 4000, nodeEnv: { LABDOCK_REGISTRY_MIRROR: 'not a host!' } });
  const id = `t${process.pid}unready`;
  t.after(() => p.destroySession(id));
  await p.createSession(id);
  const started = Date.now();
  await assert.rejects(p.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' }), /node node1 did not become ready \(docker version[^)]*\): its container exited \(1\)\n.*must be host\[:port\]/s);
  assert.ok(Date.now() - started < 15_000, `gave up after ${Date.now() - started} ms`);
  await p.destroySession(id);
  assert.ok(!(await p.listSessions()).includes(id));
});

test('docker: waitUntilReady=false returns before the node engine answers; it answers soon after', { skip, timeout: 120_000 }, async (t) => {
  const p = createDockerProvisioner({ docker, resolveImage: (n) => tags[n], isolation, instance, waitUntilReady: false });
  const id = `t${process.pid}nowait`;
  t.after(() => p.destroySession(id));
  await p.createSession(id);
  await p.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' });
  assert.equal(await p.isNodeAlive(id, 'node1'), true);
  const r = await p.exec(id, 'node1', 'for i in $(seq 100); do docker version >/dev/null 2>&1 && break; sleep 0.1; done; docker info --format "{{.Name}}"');
  assert.deepEqual(r, { exitCode: 0, output: 'node1\n' });
});

test('docker: after a host reboot (cgroups gone, the engine restarts the node) restoreSession gives it back its limits and its engine keeps its data', { skip: skip ?? (isolation.mode !== 'userns' ? 'needs a user-namespace engine' : undefined), timeout: 240_000 }, async (t) => {
  const p = createDockerProvisioner({ docker, resolveImage: (n) => tags[n], isolation, instance, limits: { memoryBytes: 512 * 1024 * 1024, nanoCpus: 1e9, pidsLimit: 1024 } });
  const id = `t${process.pid}boot`;
  t.after(() => p.destroySession(id));
  await p.createSession(id);
  await p.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' });
  await p.exec(id, 'node1', 'docker volume create kept >/dev/null && echo work > /root/file');
  const container = docker.getContainer(`labdock-${id}-node1`);
  await container.stop({ t: 2 });
  // What a reboot leaves: no cgroup of labdock's. Then the engine starts the node by itself (restart policy).
  for (const c of readdirSync('/sys/fs/cgroup')) {
    const dir = path.join('/sys/fs/cgroup', c, 'labdock', instance, id);
    if (existsSync(dir)) execFileSync('find', [dir, '-depth', '-type', 'd', '-exec', 'rmdir', '{}', ';']);
  }
  await container.start();
  assert.equal(readFileSync(`/sys/fs/cgroup/pids/labdock/${instance}/${id}/node1/pids.max`, 'utf8').trim(), 'max', 'the engine made a cgroup of its own, without the node\'s limits');
  assert.deepEqual(await p.restoreSession!(id), ['node1']);
  assert.equal(statSync(`/sys/fs/cgroup/memory/labdock/${instance}/${id}/node1`).uid, isolation.mode === 'userns' ? isolation.remappedRoot.uid : 0);
  assert.equal(readFileSync(`/sys/fs/cgroup/pids/labdock/${instance}/${id}/node1/pids.max`, 'utf8').trim(), '1024');
  const r = await p.exec(id, 'node1', 'for i in $(seq 100); do docker version >/dev/null 2>&1 && break; sleep 0.1; done; docker volume ls -q; cat /root/file; cat /sys/fs/cgroup/pids/pids.max');
  assert.equal(r.output, 'kept\nwork\n1024\n');
  assert.deepEqual(await p.restoreSession!(id), [], 'nothing to do the second time');
});
