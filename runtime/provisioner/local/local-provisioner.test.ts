import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalProvisioner } from './local-provisioner';
import { ExecTimeoutError } from '../provisioner';
import { provisionerSuite } from '../provisioner-suite';

const root = mkdtempSync(path.join(tmpdir(), 'labdock-local-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const skip = existsSync('/usr/bin/bwrap') ? undefined : 'bubblewrap is not installed (apt-get install bubblewrap)';

provisionerSuite('local', async () => ({ provisioner: createLocalProvisioner({ rootDir: root }) }), {
  nodeImage: 'node',
  // --unshare-net: a local node has only its own loopback, so there is no network between nodes.
  nodesReachEachOther: false,
  killNode: async (ref) => void process.kill(Number(ref), 'SIGKILL'),
  skip,
});

test('local: the learner is unprivileged and sees neither the host nor the server', { skip }, async (t) => {
  const p = createLocalProvisioner({ rootDir: root });
  const id = 'tpriv1';
  t.after(() => p.destroySession(id));
  await p.createSession(id);
  await p.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' });
  const r = await p.exec(id, 'node1', 'id -un; test -e /work && echo sees-work; test -e /var/lib && echo sees-var; cat /etc/shadow >/dev/null 2>&1 && echo reads-shadow; touch /usr/x 2>/dev/null && echo writes-usr; echo done');
  assert.equal(r.output, 'learner\ndone\n');
});

test('local: a restarted server (new provisioner object) re-adopts live nodes', { skip }, async (t) => {
  const first = createLocalProvisioner({ rootDir: root });
  const id = 'tadopt1';
  t.after(() => first.destroySession(id));
  await first.createSession(id);
  await first.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' });
  await first.exec(id, 'node1', 'echo before > ~/f');
  const second = createLocalProvisioner({ rootDir: root });
  assert.ok((await second.listSessions()).includes(id));
  assert.equal(await second.isNodeAlive(id, 'node1'), true);
  assert.equal((await second.exec(id, 'node1', 'cat ~/f')).output, 'before\n');
});

test('local: after a timed-out exec and a closed terminal, the sandbox tears down at once (nothing left for the host init to reap)', { skip }, async (t) => {
  const p = createLocalProvisioner({ rootDir: root });
  const id = 'treap1';
  t.after(() => p.destroySession(id));
  await p.createSession(id);
  await p.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' });
  await assert.rejects(p.exec(id, 'node1', 'sleep 30', { timeoutMs: 200 }), ExecTimeoutError);
  const term = await p.openTerminal(id, 'node1', { cols: 80, rows: 24 });
  const exited = new Promise((r) => term.onExit(r));
  term.write('sleep 600\r');
  await new Promise((r) => setTimeout(r, 300));
  term.close();
  await exited;
  const ps = await p.exec(id, 'node1', 'ps -eo stat,args --no-headers');
  assert.doesNotMatch(ps.output, /^Z|sleep (30|600)/m, ps.output);
  const started = Date.now();
  await p.destroySession(id);
  // Without members-first killing, a zombie waits for the host's init (1.5 s on these machines).
  assert.ok(Date.now() - started < 500, `destroySession took ${Date.now() - started} ms`);
});

test('local: sandboxes are limited (memory, pids, CPU), each session has its own uid, and no session reaches another\'s files', { skip, timeout: 120_000 }, async (t) => {
  const limits = { memoryBytes: 128 * 1024 * 1024, pidsLimit: 64, nanoCpus: 1e9 };
  const p = createLocalProvisioner({ rootDir: root, limits });
  const [a, b] = ['tlima', 'tlimb'];
  t.after(() => Promise.all([p.destroySession(a), p.destroySession(b)]));
  for (const id of [a, b]) {
    await p.createSession(id);
    await p.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' });
  }
  // Distinct unprivileged uids, and the files of one are not the other's.
  const [uidA, uidB] = await Promise.all([a, b].map(async (id) => (await p.exec(id, 'node1', 'id -u')).output.trim()));
  assert.notEqual(uidA, uidB);
  assert.ok(Number(uidA) >= 300_000 && Number(uidB) >= 300_000, `${uidA} ${uidB}`);
  await p.exec(b, 'node1', 'echo secret > ~/mine; chmod 600 ~/mine');
  const bHome = path.join(root, b, 'node1', 'home');
  assert.ok(existsSync(path.join(bHome, 'mine')), 'B\'s file exists on the host (the probe is not vacuous)');
  const probe = await p.exec(a, 'node1', `cat ${bHome}/mine 2>/dev/null && echo READ; ls ${root} 2>/dev/null && echo LISTED; echo END`);
  assert.equal(probe.output, 'END\n');
  // The limits are there, on every process of the node (the shell that runs this is one).
  const cg = await p.exec(a, 'node1', 'cat /proc/self/cgroup');
  assert.match(cg.output, new RegExp(`memory:/labdock/local-[0-9a-f]+/${a}/node1`));
  // A fork bomb is stopped at the pids limit, a memory hog at the memory limit; the other session answers throughout.
  // Bounded: the exec's timeout kills the bomb's process group; destroySession ends whatever is left.
  // Every copy waits for its children, so the tree stays up against the limit until the timeout.
  const bomb = p.exec(a, 'node1', "sh -c 'b() { b & b & wait; }; b' >/dev/null 2>&1; sleep 60", { timeoutMs: 15_000 }).catch(() => undefined);
  // This provisioner's own tree (named after its root directory): other runs may have a session of the same name.
  const pidsDir = path.join('/sys/fs/cgroup/pids/labdock', `local-${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 12)}`, a, 'node1');
  const pidsFile = path.join(pidsDir, 'pids.current');
  assert.ok(existsSync(pidsFile), 'the node has a pids cgroup on the host');
  const refusals = () => Number(/^max (\d+)/m.exec(readFileSync(path.join(pidsDir, 'pids.events'), 'utf8'))?.[1] ?? 0);
  let peak = 0;
  // Until the kernel has refused forks at the limit (a loaded machine starts the bomb slowly), for 14 s at most.
  for (let i = 0; i < 140 && refusals() === 0; i++) {
    peak = Math.max(peak, Number(readFileSync(pidsFile, 'utf8')));
    await new Promise((r) => setTimeout(r, 100));
  }
  peak = Math.max(peak, Number(readFileSync(pidsFile, 'utf8')));
  assert.ok(refusals() > 0, 'the bomb reached the pids limit (the kernel refused forks there)');
  assert.ok(peak <= 64, `the pids limit held the bomb (peak ${peak})`);
  const t0 = performance.now();
  assert.equal((await p.exec(b, 'node1', 'echo ok')).output, 'ok\n');
  assert.ok(performance.now() - t0 < 5000, 'the other session answers during the bomb');
  await bomb;
  // The timeout killed the bomb's process group: wait until its processes are gone before the next probe.
  for (let i = 0; i < 100 && Number(readFileSync(pidsFile, 'utf8')) > 10; i++) await new Promise((r) => setTimeout(r, 100));
  const hog = await p.exec(a, 'node1', `head -c ${256 * 1024 * 1024} /dev/zero | tail > /dev/null; echo "exit $?"`, { timeoutMs: 60_000 });
  assert.match(hog.output, /exit (137|1|141)/, hog.output);
});

test('local: escape probes from a sandbox are denied (host /proc/sys, mknod of the host disk, the clock, host processes, host ports)', { skip, timeout: 60_000 }, async (t) => {
  const p = createLocalProvisioner({ rootDir: root });
  const id = 'tprobe1';
  t.after(() => p.destroySession(id));
  await p.createSession(id);
  await p.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' });
  const disk = readdirSync('/sys/block').find((d) => !/^(loop|ram|zram|dm-|nbd)/.test(d));
  const [major, minor] = disk ? readFileSync(`/sys/block/${disk}/dev`, 'utf8').trim().split(':') : ['8', '0'];
  // Not vacuous: the host has these, and its own process list holds this test.
  assert.ok(existsSync('/proc/sys/kernel/core_pattern'));
  const r = await p.exec(id, 'node1', [
    `test -e /proc/sys/kernel/core_pattern || echo MISSING`,
    `(cat /proc/sys/kernel/core_pattern > /proc/sys/kernel/core_pattern) 2>/dev/null && echo WROTE`,
    `mknod /tmp/disk b ${major} ${minor} 2>/dev/null && echo MKNOD`,
    `date -s 2001-01-01 >/dev/null 2>&1 && echo CLOCK`,
    `grep -l 'local-provisioner[.]test' /proc/[0-9]*/cmdline 2>/dev/null`,
    `(exec 3<>/dev/tcp/127.0.0.1/22) 2>/dev/null && echo PORT`,
    `ip -o link 2>/dev/null | grep -v ' lo:' | grep -q . && echo NETWORK`,
    'echo END',
  ].join('; '));
  assert.equal(r.output, 'END\n');
});
