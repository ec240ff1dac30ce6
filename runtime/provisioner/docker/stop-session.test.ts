// Pause and resume on a real engine: a DinD node's dockerd stops cleanly (its log says so, nothing
// was SIGKILLed), and what the learner made inside it — images, a stopped inner container, files in
// the writable layer — is there after resume. The shared suite covers what every back end keeps.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import Docker from 'dockerode';
import { isolationOrNone } from '../../engine/engine-isolation';
import { createDockerProvisioner } from './docker-provisioner';
import { ensureImages } from '../../images/ensure-images';

const docker = new Docker();
const reachable = await docker.ping().then(() => true, () => false);
if (!reachable && process.env.LABDOCK_REQUIRE_DOCKER === '1') throw new Error('LABDOCK_REQUIRE_DOCKER=1 but no Docker engine is reachable');
const skip = reachable ? undefined : 'no Docker engine reachable (set LABDOCK_REQUIRE_DOCKER=1 to make this an error)';
const isolation = await isolationOrNone(docker);
let tags: Record<string, string> = {};

before(async () => {
  if (skip) return;
  tags = await ensureImages(docker, { names: ['node'], onProgress: (e) => e.state !== 'cached' && console.log(`[images] ${e.image} ${e.state}: ${e.message}`) });
}, { timeout: 1_200_000 });

/** A file of a container, running or stopped, read with `docker cp` (a stopped node cannot exec). */
function readFromContainer(container: string, file: string): string {
  const tar = execFileSync('docker', ['cp', `${container}:${file}`, '-'], { env: process.env, maxBuffer: 16 * 1024 * 1024 });
  return tar.toString('latin1');
}

test('docker pause: the node\'s dockerd shuts down cleanly; images, inner containers and files survive resume', { skip, timeout: 300_000 }, async (t) => {
  const p = createDockerProvisioner({ docker, resolveImage: (n) => tags[n], isolation, instance: `test-${process.pid}`, limits: { memoryBytes: 512 * 1024 * 1024 } });
  const id = `t${process.pid}pause`;
  t.after(() => p.destroySession(id));
  await p.createSession(id);
  await p.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' });
  // An image made inside the node (no registry needed), and a container of it that the learner stopped.
  const made = await p.exec(id, 'node1', [
    'printf "#!/bin/sh\\necho hi\\n" > /tmp/hi && chmod +x /tmp/hi',
    'tar -C /tmp -c hi | docker import -c "CMD [\\"/hi\\"]" - learner/tiny:1 >/dev/null',
    'docker create --name kept learner/tiny:1 >/dev/null',
    'echo notes > /root/notes.txt',
  ].join(' && '), { timeoutMs: 60_000 });
  assert.equal(made.exitCode, 0, made.output);

  const t0 = Date.now();
  await p.pauseSession!(id);
  const pauseMs = Date.now() - t0;
  const node = await docker.getContainer(`labdock-${id}-node1`).inspect();
  assert.equal(node.State.Running, false);
  // Exit code 0 from the init: it ran its stop path, it was not SIGKILLed at the timeout (137).
  assert.equal(node.State.ExitCode, 0, `node init exit code ${node.State.ExitCode}`);
  assert.ok(pauseMs < 20_000, `pause took ${pauseMs} ms: it waited for the stop timeout`);
  const log = readFromContainer(`labdock-${id}-node1`, '/var/log/dockerd.log');
  assert.match(log, /Daemon shutdown complete/, 'dockerd logged a complete shutdown');

  assert.deepEqual(await p.resumeSession!(id), ['node1']);
  const after = await p.exec(id, 'node1', 'docker images --format "{{.Repository}}:{{.Tag}}"; docker ps -a --format "{{.Names}}"; cat /root/notes.txt; hostname');
  assert.equal(after.exitCode, 0, after.output);
  assert.deepEqual(after.output.trim().split('\n'), ['learner/tiny:1', 'kept', 'notes', 'node1']);
});
