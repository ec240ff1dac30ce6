import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
