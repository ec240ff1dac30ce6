/**
 * Pause and resume of a registry lab mid-way, on a real engine: after the
 * signed push of labs/content-trust, the session is paused — the registry
 * node's PostgreSQL shuts down cleanly (its next start finds no crash to
 * recover) — and after resume the lab's remaining steps pass: the registry's
 * content, the trust data and the keys in node1's home all survived.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerEngineForTests, dockerProvisionerForTests, labSessionsForTests } from './docker-lab-fixture';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createRegistryConsole } from '../registry-host/console-proxy/registry-console';
import { platformRegistryReader } from '../registry-host/console-proxy/platform-reader';
import type { Provisioner } from '../provisioner/provisioner';

const engine = await dockerEngineForTests();
const { docker, skip } = engine;
const instance = `pausereg-${process.pid}`;
let provisioner: Provisioner;

before(async () => {
  if (skip) return;
  provisioner = await dockerProvisionerForTests(engine, { instance: instance });
}, { timeout: 1_200_000 });

/** PostgreSQL's log of the registry node, read from its container whether it runs or not. */
function postgresLog(sessionId: string): string {
  const tar = execFileSync('docker', ['cp', `labdock-${sessionId}-dtr:/var/log/postgresql/notary.log`, '-'], { env: process.env, maxBuffer: 16 * 1024 * 1024 });
  return tar.toString('latin1');
}

test('content-trust lab paused after the signed push: PostgreSQL stops cleanly, and after resume the remaining steps pass', { skip, timeout: 600_000 }, async (t) => {
  const registryConsole = createRegistryConsole({ provisioners: { docker: provisioner }, timeoutMs: 20_000 });
  const { sessions, labs } = await labSessionsForTests(t, provisioner, path.resolve('labs'), { registryReader: (row) => platformRegistryReader(registryConsole, row) });
  const { view } = await sessions.create('content-trust', { wait: true });
  assert.equal(view.status, 'ready', view.error);
  const lab = (await labs.get('content-trust'))!;
  const steps = lab.steps.map((s) => s.id);
  const half = steps.indexOf('sign') + 1;
  for (const step of steps.slice(0, half)) {
    const solved = await sessions.solve(view.id, step);
    assert.equal(solved.passed, true, `${step}: ${solved.message}`);
    assert.equal((await sessions.check(view.id, step)).passed, true, step);
  }

  const paused = await sessions.pause(view.id);
  assert.equal(paused.status, 'paused');
  const dtr = await docker.getContainer(`labdock-${view.id}-dtr`).inspect();
  assert.equal(dtr.State.Running, false);
  assert.equal(dtr.State.ExitCode, 0, 'the registry node\'s init ran its stop path (137 would be SIGKILL at the timeout)');
  assert.match(postgresLog(view.id), /database system is shut down/, 'PostgreSQL logged a clean shutdown');
  await assert.rejects(sessions.exec(view.id, 'node1', 'true'), /paused/);

  const resumed = await sessions.resume(view.id, { wait: true });
  assert.equal(resumed.status, 'ready', resumed.error ?? JSON.stringify(resumed.progress));
  const afterStart = postgresLog(view.id).split(/database system is shut down/).pop()!;
  assert.doesNotMatch(afterStart, /not properly shut down|automatic recovery in progress|redo starts/, 'the next start needed no crash recovery');
  assert.match(afterStart, /database system is ready to accept connections/);
  assert.deepEqual(resumed.steps.filter((s) => s.passed).map((s) => s.id), steps.slice(0, half));

  // The rest of the lab, on the resumed nodes and registry.
  for (const step of steps.slice(half)) {
    assert.equal((await sessions.check(view.id, step)).passed, false, `${step} passes before it is solved: the check proves nothing`);
    const solved = await sessions.solve(view.id, step);
    assert.equal(solved.passed, true, `${step}: ${solved.message}`);
    const checked = await sessions.check(view.id, step);
    assert.equal(checked.passed, true, `${step}: ${checked.message}`);
  }
});
