/**
 * Escape probes (issue #10): from inside a real node, as root, everything an
 * attendee could try against the host, another session or the shared mirror
 * must be denied. Each probe first shows it is not vacuous — the file exists,
 * the port answers the host, the mirror answers reads — so a renamed path or
 * a closed port cannot make it pass.
 *
 * Needs an engine that isolates (labdock's own, user namespaces). In CI
 * (LABDOCK_REQUIRE_DOCKER=1) an engine that does not is a failure, not a skip.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { isolationOrNone } from '../../engine/engine-isolation';
import { ensureHostFirewall } from '../../engine/host-firewall';
import { ensureImages } from '../../images/ensure-images';
import { ensureHub, type Hub } from '../../hub/ensure-hub';
import { preloadHub } from '../../hub/preload-hub';
import { baseTag } from '../../images/image-set';
import { hostDebianMirror } from '../../images/build-base';
import { createDockerProvisioner } from './docker-provisioner';
import type { Provisioner } from '../provisioner';

const docker = new Docker();
const isolation = await isolationOrNone(docker);
const reachable = await docker.ping().then(() => true, () => false);
const required = process.env.LABDOCK_REQUIRE_DOCKER === '1';
if (required && isolation.mode !== 'userns') throw new Error(`LABDOCK_REQUIRE_DOCKER=1 but the engine does not isolate nodes (mode ${isolation.mode}): start labdock's engine (scripts/labdock-engine.mjs)`);
// LABDOCK_PROBE_ANY_ENGINE=1 runs the probes on whatever engine DOCKER_HOST names: on a plain engine
// (the form nodes had before #10) they fail, which is how to see that they test something.
const anyEngine = process.env.LABDOCK_PROBE_ANY_ENGINE === '1';
const skip = reachable && (isolation.mode === 'userns' || anyEngine) ? undefined : 'needs labdock\'s isolating engine (user namespaces)';

const instance = `iso-${process.pid}`;
const A = `ia${process.pid}`;
const B = `ib${process.pid}`;
const MEMORY = 512 * 1024 * 1024;
const PIDS = 400;
let p: Provisioner;
let hub: Hub;

before(async () => {
  if (skip) return;
  const tags = await ensureImages(docker, { names: ['node', 'hub'], onProgress: (e) => e.state !== 'cached' && console.log(`[images] ${e.image} ${e.state}: ${e.message}`) });
  hub = await ensureHub(docker, tags.hub);
  await preloadHub(docker, hub, { hubImage: tags.hub, baseImage: baseTag(hostDebianMirror()) });
  await ensureHostFirewall();
  p = createDockerProvisioner({
    docker, resolveImage: () => tags.node, isolation, instance,
    limits: { memoryBytes: MEMORY, nanoCpus: 1e9, pidsLimit: PIDS },
    attach: [{ container: hub.container, alias: hub.alias }], nodeEnv: { LABDOCK_REGISTRY_MIRROR: hub.mirror },
  });
  for (const id of [A, B]) {
    await p.createSession(id);
    await p.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' });
  }
}, { timeout: 1_200_000 });

after(async () => {
  if (skip || !p) return;
  await Promise.all([A, B].map((id) => p.destroySession(id).catch(() => undefined)));
});

const inA = (command: string, timeoutMs = 30_000) => p.exec(A, 'node1', command, { timeoutMs });
const hostCgroup = (controller: string, session: string, file: string) => path.join('/sys/fs/cgroup', controller, 'labdock', instance, session, 'node1', file);

test('root in a node is root only in its own user namespace', { skip }, async () => {
  const r = await inA('id -u; cat /proc/self/uid_map');
  const [uid, map] = [r.output.split('\n')[0], r.output.split('\n')[1].trim().split(/\s+/)];
  assert.equal(uid, '0', 'the learner is root in the node');
  assert.equal(map[0], '0');
  assert.notEqual(map[1], '0', `uid 0 in the node must map to an unprivileged host uid (uid_map: ${r.output})`);
  // On the host, the node's processes belong to the remapped uid.
  const info = await docker.getContainer(`labdock-${A}-node1`).inspect();
  assert.equal(statSync(`/proc/${info.State.Pid}`).uid, Number(map[1]));
});

test('host kernel settings under /proc/sys cannot be written (core_pattern, panic_on_oops, …, modprobe)', { skip }, async () => {
  // kernel/modprobe exists only on kernels with modules; the others everywhere.
  const keys = ['kernel/core_pattern', 'kernel/panic_on_oops', 'kernel/randomize_va_space', 'vm/overcommit_memory', 'fs/file-max', 'vm/swappiness', 'vm/drop_caches', 'kernel/modprobe'];
  for (const key of keys.filter((k) => k !== 'kernel/modprobe' || existsSync('/proc/sys/kernel/modprobe'))) {
    const file = `/proc/sys/${key}`;
    assert.ok(existsSync(file), `${file} exists on the host`);
    // The probe writes back the value that is already there (1 for drop_caches): if it ever succeeded it would change nothing.
    const value = key === 'vm/drop_caches' ? '1' : readFileSync(file, 'utf8').trim();
    const r = await inA(`test -e ${file} || { echo MISSING; exit 0; }; printf '%s\\n' '${value.replace(/'/g, "'\\''")}' > ${file} && echo WROTE`);
    assert.doesNotMatch(r.output, /MISSING/, `${file} is visible in the node (the probe is not vacuous)`);
    assert.doesNotMatch(r.output, /WROTE/, `${file} must not be writable from a node`);
  }
});

test('no release_agent is visible, and none can be reached by mounting a cgroup hierarchy', { skip }, async () => {
  assert.ok(existsSync('/sys/fs/cgroup/memory/release_agent'), 'the host has release_agent files (the probe is not vacuous)');
  const found = await inA('find / -xdev -name release_agent 2>/dev/null; find /sys/fs/cgroup -name release_agent 2>/dev/null; echo END');
  assert.equal(found.output.trim(), 'END', `release_agent visible in a node: ${found.output}`);
  const mount = await inA('mkdir -p /tmp/cg && for c in memory rdma pids; do mount -t cgroup -o $c cgroup /tmp/cg 2>/dev/null && { echo "MOUNTED $c"; echo /x > /tmp/cg/release_agent && echo WROTE; umount /tmp/cg; }; done; echo END');
  assert.doesNotMatch(mount.output, /WROTE/, `release_agent written after mounting a hierarchy: ${mount.output}`);
});

test('a node cannot change its own limits or devices.allow, and cannot see another session\'s cgroups', { skip }, async () => {
  // Not vacuous: the node sees its own limit files, holding the limits labdock set.
  const own = await inA('cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max');
  assert.deepEqual(own.output.trim().split('\n'), [String(MEMORY), String(PIDS)]);
  for (const [file, value] of [
    ['memory/memory.limit_in_bytes', String(MEMORY * 4)], ['pids/pids.max', 'max'], ['cpu/cpu.cfs_quota_us', '-1'],
    ['devices/devices.allow', 'a *:* rwm'], ['freezer/freezer.state', 'FROZEN'],
  ]) {
    const r = await inA(`test -e /sys/fs/cgroup/${file} || { echo MISSING; exit 0; }; echo '${value}' > /sys/fs/cgroup/${file} && echo WROTE`);
    assert.doesNotMatch(r.output, /MISSING/, `${file} is visible in the node`);
    assert.doesNotMatch(r.output, /WROTE/, `a node must not write its own ${file}`);
  }
  assert.equal(readFileSync(hostCgroup('memory', A, 'memory.limit_in_bytes'), 'utf8').trim(), String(MEMORY), 'the limit is unchanged on the host');
  // Session B's limit files exist on the host; from A there is no path to them.
  const other = hostCgroup('pids', B, 'pids.max');
  assert.ok(existsSync(other), `${other} exists on the host`);
  const r = await inA(`for f in ${other} /sys/fs/cgroup/pids/labdock /sys/fs/cgroup/pids/../labdock; do test -e $f && echo "SEES $f"; done; find /sys/fs/cgroup -path '*${B}*' 2>/dev/null; echo END`);
  assert.equal(r.output.trim(), 'END', `session A sees session B's cgroups: ${r.output}`);
});

test('mknod of the host disk, reading it and mounting it are denied; so are the clock and modules', { skip }, async () => {
  const disk = readdirSync('/sys/block').find((d) => !/^(loop|ram|zram|dm-|nbd)/.test(d));
  assert.ok(disk, 'the host has a block device');
  const [major, minor] = readFileSync(`/sys/block/${disk}/dev`, 'utf8').trim().split(':');
  const r = await inA(`mknod /tmp/disk b ${major} ${minor} 2>&1 && echo MKNOD; head -c 512 /tmp/disk >/dev/null 2>&1 && echo READ; mkdir -p /mnt/host; mount /tmp/disk /mnt/host 2>/dev/null && echo MOUNTED; mount -t ext4 /dev/${disk} /mnt/host 2>/dev/null && echo MOUNTED2; echo END`);
  assert.doesNotMatch(r.output, /READ|MOUNTED/, `host disk ${disk} reachable from a node: ${r.output}`);
  const clock = await inA('date -s "2001-01-01" >/dev/null 2>&1 && echo SET; hwclock -s 2>/dev/null && echo HW; echo END');
  assert.doesNotMatch(clock.output, /SET|HW/);
  assert.ok(new Date().getFullYear() > 2001);
  const bounding = BigInt(`0x${(await inA("awk '/^CapBnd/ {print $2}' /proc/1/status")).output.trim()}`);
  assert.equal((bounding >> 16n) & 1n, 0n, 'CAP_SYS_MODULE is not held in a node');
  const mod = await inA('ls /lib/modules 2>/dev/null | head -1; modprobe -q dummy 2>/dev/null && echo LOADED; echo END');
  assert.doesNotMatch(mod.output, /LOADED/);
});

test('host processes are neither visible nor traceable', { skip }, async () => {
  // Not vacuous: the host runs this test's process and the engine's dockerd, both findable by command line.
  const hostHas = (pattern: RegExp) => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).some((d) => {
    try { return pattern.test(readFileSync(`/proc/${d}/cmdline`, 'utf8')); } catch { return false; }
  });
  assert.ok(hostHas(/tenant-isolation\.test/) && hostHas(/userns-remap/), 'the host runs processes to look for');
  // [.] and [-] keep the shell's own command line from matching itself.
  const r = await inA(`grep -l -e 'tenant-isolation[.]test' -e 'userns[-]remap' /proc/[0-9]*/cmdline 2>/dev/null; echo "pid1=$(tr '\\0' ' ' < /proc/1/cmdline)"; nsenter -t 1 -m -p true && echo ENTERED`);
  assert.doesNotMatch(r.output, /\/proc\/\d+\/cmdline/, `host processes visible: ${r.output}`);
  assert.match(r.output, /pid1=\/usr\/bin\/tini/, 'pid 1 in the node is its own init');
  const hostNs = readlinkSync('/proc/self/ns/pid');
  assert.notEqual((await inA('readlink /proc/1/ns/pid')).output.trim(), hostNs, 'the node has its own PID namespace');
});

test('no host port is reachable from a node: not the session gateway, not any host address', { skip, timeout: 120_000 }, async () => {
  let connections = 0;
  const server: Server = createServer((_req, res) => {
    connections++;
    res.end('hello\n');
  });
  await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
  const port = (server.address() as { port: number }).port;
  try {
    const net = await docker.getNetwork(`labdock-${A}`).inspect();
    const gateway = net.IPAM?.Config?.[0]?.Gateway as string;
    const hostAddresses = Object.values(networkInterfaces()).flat().filter((i) => i && i.family === 'IPv4' && !i.internal).map((i) => i!.address);
    assert.ok(gateway && hostAddresses.includes(gateway), 'the session gateway is a host address');
    // Not vacuous: the listener answers on each of these addresses from the host.
    for (const address of hostAddresses) {
      const res = await fetch(`http://${address}:${port}/`).then((r) => r.text(), (e: Error) => (e.cause as Error)?.message ?? e.message);
      assert.equal(res, 'hello\n', `the host reaches its own listener on ${address}`);
    }
    const before = connections;
    for (const address of hostAddresses) {
      const r = await inA(`curl -s -m 2 http://${address}:${port}/ && echo REACHED; echo END`, 20_000);
      assert.doesNotMatch(r.output, /REACHED|hello/, `a node reached the host at ${address}:${port}`);
    }
    assert.equal(connections, before, 'the listener saw no connection from a node');
  } finally {
    server.close();
  }
});

test('the hub mirror serves pulls but refuses pushes from a node', { skip, timeout: 120_000 }, async () => {
  const ping = await inA('curl -s -o /dev/null -w "%{http_code}" http://mirror.labdock:5000/v2/');
  assert.equal(ping.output, '200', 'the mirror answers reads from the node (the probe is not vacuous)');
  const pull = await inA('docker pull -q alpine:3.6 >/dev/null && echo PULLED', 60_000);
  assert.match(pull.output, /PULLED/);
  const upload = await inA('curl -s -o /dev/null -w "%{http_code}" -X POST http://mirror.labdock:5000/v2/library/alpine/blobs/uploads/');
  assert.notEqual(upload.output, '202', 'an upload to the mirror must be refused');
  assert.match(upload.output, /^(401|403|405|503)$/);
  const push = await inA('docker tag alpine:3.6 mirror.labdock:5000/library/alpine:3.6 && docker push mirror.labdock:5000/library/alpine:3.6 2>&1; echo EXIT=$?', 60_000);
  assert.doesNotMatch(push.output, /EXIT=0/, `docker push to the mirror succeeded: ${push.output}`);
});

test('docker works fully inside a node: run with -m/--pids-limit/-p, user networks, build, service docker restart', { skip, timeout: 240_000 }, async () => {
  const r = await inA([
    'set -e',
    'docker network create labnet >/dev/null',
    'docker run -d --name web --network labnet -m 64m --pids-limit 50 -p 8080:80 alpine:3.6 /bin/busybox httpd -f -p 80 -h /etc >/dev/null',
    'for i in $(seq 50); do curl -sf http://127.0.0.1:8080/alpine-release && break; sleep 0.2; done',
    'docker run --rm --network labnet alpine:3.6 /bin/busybox wget -qO- http://web/alpine-release',
    'docker inspect -f "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}" web',
    'printf "FROM alpine:3.6\\nRUN echo built > /built\\n" > /tmp/Dockerfile && docker build -q -t mine /tmp >/dev/null && docker run --rm mine cat /built',
    'service docker restart >/dev/null && docker info --format "{{.Name}} restarted"',
  ].join('\n'), 180_000);
  assert.equal(r.exitCode, 0, r.output);
  assert.match(r.output, /3\.6\.\d+\n3\.6\.\d+\n67108864 50\nbuilt\nnode1 restarted/);
});

test('limits hold: a fork bomb and a memory hog in one session leave the other responsive', { skip, timeout: 240_000 }, async () => {
  // Bounded: the bomb runs under `timeout`; pids.max stops it long before the host notices.
  // In a PID namespace of its own (unshare --kill-child), so every copy dies with it when the timeout hits.
  // Every copy waits for its children, so the tree stays up against the limit until the timeout.
  const bomb = inA('timeout -s KILL 15 unshare -fp --kill-child sh -c \'b() { b & b & wait; }; b\' >/dev/null 2>&1; echo done', 60_000).catch((e: Error) => ({ exitCode: -1, output: e.message }));
  // cgroup v1 counts a refused fork in the forking task's own cgroup (the container's, below the node's): sum the subtree.
  const refusals = (dir = path.dirname(hostCgroup('pids', A, 'pids.events'))): number =>
    Number(/^max (\d+)/m.exec(readFileSync(path.join(dir, 'pids.events'), 'utf8'))?.[1] ?? 0)
    + readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).reduce((n, e) => n + refusals(path.join(dir, e.name)), 0);
  for (let i = 0; i < 100 && refusals() === 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(refusals() > 0, 'the bomb reached A\'s pids limit (the kernel refused forks there)');
  const pidsNow = Number(readFileSync(hostCgroup('pids', A, 'pids.current'), 'utf8'));
  assert.ok(pidsNow <= PIDS, `pids in A (${pidsNow}) stay within ${PIDS}`);
  const latencies: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const r = await p.exec(B, 'node1', 'echo ok');
    latencies.push(performance.now() - t0);
    assert.equal(r.output, 'ok\n');
  }
  await bomb;
  latencies.sort((a, b) => a - b);
  // Generous bound for a loaded 2-core machine: the point is "answers", not "fast".
  assert.ok(latencies[5] < 3000, `B answers while A fork-bombs (p50 ${latencies[5].toFixed(0)} ms)`);
  // A memory hog is killed inside its node at the node's limit; the host's record agrees.
  const hog = await inA(`head -c ${MEMORY * 2} /dev/zero | tail > /dev/null; echo "exit $?"`, 60_000);
  assert.match(hog.output, /exit (137|1|141)/, `the hog was stopped: ${hog.output}`);
  const peak = Number(readFileSync(hostCgroup('memory', A, 'memory.max_usage_in_bytes'), 'utf8'));
  assert.ok(peak <= MEMORY, `A's peak ${peak} stays within ${MEMORY}`);
  assert.equal((await p.exec(B, 'node1', 'echo still')).output, 'still\n');
});
