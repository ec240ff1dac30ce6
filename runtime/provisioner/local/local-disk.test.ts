/**
 * Local (bubblewrap) sessions on session disks (disk/session-disk.ts): the
 * whole shared provisioner suite — pause and resume included — with the
 * session's directory on its own loop-mounted image, and the learner filling
 * its home and /tmp, which stops at the budget without touching another
 * session or the host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalProvisioner } from './local-provisioner';
import { provisionerSuite } from '../provisioner-suite';
import { sessionDisks } from '../disk/session-disk';
import { isMounted } from '../disk/disk-image';

const root = mkdtempSync(path.join(tmpdir(), 'labdock-local-disk-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const isRoot = process.getuid?.() === 0;
if (process.env.LABDOCK_REQUIRE_DOCKER === '1' && !isRoot) throw new Error('LABDOCK_REQUIRE_DOCKER=1 but session disks need root (loop mounts)');
const skip = !existsSync('/usr/bin/bwrap') ? 'bubblewrap is not installed (apt-get install bubblewrap)' : !isRoot ? 'session disks need root (loop mounts)' : undefined;

const MiB = 1024 ** 2;
const BUDGET = 64 * MiB;
const disks = sessionDisks({ dir: root, budgetBytes: BUDGET, owner: null });
const local = () => createLocalProvisioner({ rootDir: root, disks });

provisionerSuite('local on session disks', async () => ({ provisioner: local() }), {
  nodeImage: 'node',
  nodesReachEachOther: false,
  killNode: async (ref) => void process.kill(Number(ref), 'SIGKILL'),
  skip,
});

test('local on session disks: home and /tmp stop at the budget with ENOSPC, another session and the host are untouched, destroy leaves nothing', { skip }, async (t) => {
  const p = local();
  t.after(async () => {
    await p.destroySession('tdiska');
    await p.destroySession('tdiskb');
  });
  for (const id of ['tdiska', 'tdiskb']) {
    await p.createSession(id);
    await p.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' });
  }
  assert.ok(await isMounted(path.join(root, 'tdiska')), "the session's directory is its disk's mount point");
  const hostBefore = statfsSync(root).bavail * statfsSync(root).bsize;

  const home = await p.exec('tdiska', 'node1', `dd if=/dev/zero of=$HOME/fill bs=1M count=${BUDGET / MiB + 16} 2>&1; echo "exit=$?"`, { timeoutMs: 60_000 });
  assert.match(home.output, /No space left on device/, home.output);
  assert.match(home.output, /exit=1/);
  const tmp = await p.exec('tdiska', 'node1', 'dd if=/dev/zero of=/tmp/more bs=64k 2>&1; echo "exit=$?"');
  assert.match(tmp.output, /No space left on device[\s\S]*exit=1/, '/tmp shares the same budget');
  const usage = await p.diskUsage!('tdiska');
  assert.equal(usage?.full, true, JSON.stringify(usage));
  assert.ok(usage!.usedBytes <= BUDGET, JSON.stringify(usage));
  const hostAfter = statfsSync(root).bavail * statfsSync(root).bsize;
  assert.ok(hostBefore - hostAfter <= BUDGET + 16 * MiB, `the host lost ${(hostBefore - hostAfter) / MiB} MiB`);

  const other = await p.exec('tdiskb', 'node1', 'dd if=/dev/zero of=$HOME/ok bs=1M count=16 2>&1 >/dev/null; echo "exit=$?"');
  assert.match(other.output, /exit=0/, `another session still writes: ${other.output}`);
  assert.equal((await p.diskUsage!('tdiskb'))?.full, false);

  await p.destroySession('tdiska');
  assert.equal(await isMounted(path.join(root, 'tdiska')), false);
  assert.deepEqual(readdirSync(root).filter((n) => n.startsWith('tdiska')), [], 'no image, marker or mount point is left');
  assert.ok(!(await p.listSessions()).includes('tdiska'));
});
