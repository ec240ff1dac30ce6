import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalProvisioner } from './local-provisioner';
import { provisionerSuite } from '../provisioner-suite';

const root = mkdtempSync(path.join(tmpdir(), 'labdock-local-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const skip = existsSync('/usr/bin/bwrap') ? undefined : 'bubblewrap is not installed (apt-get install bubblewrap)';

provisionerSuite('local', async () => ({ provisioner: createLocalProvisioner({ rootDir: root }) }), {
  nodeImage: 'node',
  nodesReachEachOther: false,
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
