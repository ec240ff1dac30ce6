/**
 * The labs in labs/: they lint clean, and each one passes the regression
 * protocol on real nodes — every step's check fails first with a hint (the
 * last line of its output, not a bare exit code), its solve succeeds, and the
 * check then passes; where every run block ends on its own, clicking them does
 * the step too. `intro` runs in bubblewrap sandboxes, `two-nodes` in
 * Docker-in-Docker nodes with the hub mirror, `registry-operations` by its run
 * blocks with its registry; the registry labs' solve regressions live beside
 * the registry (runtime/registry/registry-session.test.ts).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { isolationOrNone } from '../engine/engine-isolation';
import { lintLabs } from './lint-labs';
import { readLab } from './compile-lab';
import { substituteVars } from './lab-types';
import type { MdNode } from './mdast';
import { createLabCatalog } from './lab-catalog';
import { openDatabase } from '../db/open-database';
import { createLocalProvisioner } from '../provisioner/local/local-provisioner';
import { createDockerProvisioner } from '../provisioner/docker/docker-provisioner';
import { ensureImages } from '../images/ensure-images';
import { ensureHub } from '../hub/ensure-hub';
import { preloadHub } from '../hub/preload-hub';
import { baseTag } from '../images/image-set';
import { hostDebianMirror } from '../images/build-base';
import { createSessionStore } from '../sessions/session-store';
import { createSessionService } from '../sessions/session-service';
import type { Provisioner } from '../provisioner/provisioner';

const LABS = path.resolve(import.meta.dirname, '../../labs');

const docker = new Docker();
const isolation = await isolationOrNone(docker);
const dockerUp = await docker.ping().then(() => true, () => false);
if (!dockerUp && process.env.LABDOCK_REQUIRE_DOCKER === '1') throw new Error('LABDOCK_REQUIRE_DOCKER=1 but no Docker engine is reachable');
const noDocker = dockerUp ? undefined : 'no Docker engine reachable';
const noBwrap = existsSync('/usr/bin/bwrap') ? undefined : 'bubblewrap is not installed';

test('the labs in labs/ lint clean', async () => {
  const report = await lintLabs(LABS);
  assert.deepEqual(report.issues, []);
  for (const id of ['intro', 'two-nodes']) assert.ok(report.labs.includes(id), `${id} is shipped`);
});

/** The run blocks of each step, as the learner would click them: step id → [{ node, code }]. */
function runBlocks(labId: string): Map<string, { node: string; code: string }[]> {
  const { tree } = readLab(LABS, labId).parsed;
  const all = (n: MdNode): MdNode[] => [n, ...(n.children ?? []).flatMap(all)];
  const attr = (n: MdNode, name: string) => n.attributes?.find((a) => a.name === name)?.value as string | undefined;
  const steps = new Map<string, { node: string; code: string }[]>();
  for (const step of all(tree!).filter((n) => n.name === 'Step')) {
    const commands = all(step).filter((n) => n.name === 'Command' && attr(n, 'mode') === 'run');
    steps.set(attr(step, 'id')!, commands.map((c) => ({ node: attr(c, 'node')!, code: attr(c, 'code')! })));
  }
  return steps;
}

/**
 * Starts a session of `labId` on `provisioner` and runs the regression protocol
 * on every step, ending the session whatever happens. `via: 'run-blocks'` does
 * each step the learner's way instead of with its solve: its run blocks, in order.
 */
async function regress(t: import('node:test').TestContext, labId: string, provisioner: Provisioner, via: 'solve' | 'run-blocks' = 'solve') {
  const dir = mkdtempSync(path.join(tmpdir(), `labdock-regress-${labId}-`));
  const db = await openDatabase(`file:${path.join(dir, 'db.sqlite')}`);
  const labs = createLabCatalog({ labsDir: LABS, engine: { docker: provisioner.kind === 'docker', local: provisioner.kind === 'local' } });
  const sessions = createSessionService({
    store: createSessionStore(db), labs, provisioners: { [provisioner.kind]: provisioner }, closeTerminals: () => undefined,
    config: { sessions: { ttlMinutes: 60, idleMinutes: 30, reapSeconds: 30, maxLive: 5 }, checks: { timeoutSeconds: 60 } },
    log: () => undefined,
  });
  let sessionId: string | undefined;
  t.after(async () => {
    if (sessionId) {
      await sessions.end(sessionId).catch(() => undefined);
      await provisioner.destroySession(sessionId).catch(() => undefined);
    }
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const { view } = await sessions.create(labId, { wait: true });
  sessionId = view.id;
  assert.equal(view.status, 'ready', view.error);
  const lab = (await labs.get(labId))!;
  for (const step of lab.steps) {
    const first = await sessions.check(view.id, step.id);
    assert.equal(first.passed, false, `${labId}/${step.id}: the check must fail before the step is done`);
    assert.doesNotMatch(first.message, /^The check exited with code/, `${labId}/${step.id}: a failing check must say what is missing`);
    if (via === 'solve') {
      const solved = await sessions.solve(view.id, step.id);
      assert.equal(solved.passed, true, `${labId}/${step.id} solve: ${solved.message}`);
    } else {
      for (const block of runBlocks(labId).get(step.id) ?? []) {
        const ran = await sessions.exec(view.id, block.node, substituteVars(block.code, view.vars));
        assert.equal(ran.exitCode, 0, `${labId}/${step.id} run block on ${block.node}: ${ran.output}`);
      }
    }
    const after = await sessions.check(view.id, step.id);
    assert.deepEqual(after, { passed: true, message: 'Done.' }, `${labId}/${step.id} after its solve`);
  }
}

test('intro: every step fails with a hint, then passes after its solve (bubblewrap)', { skip: noBwrap, timeout: 120_000 }, async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'labdock-regress-nodes-'));
  const local = createLocalProvisioner({ rootDir: root });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  await regress(t, 'intro', local);
});

let dockerProvisioner: Provisioner | undefined;
before(async () => {
  if (noDocker) return;
  const tags = await ensureImages(docker, { names: ['node', 'hub', 'registry'] });
  const hub = await ensureHub(docker, tags.hub);
  await preloadHub(docker, hub, { hubImage: tags.hub, baseImage: baseTag(hostDebianMirror()) });
  dockerProvisioner = createDockerProvisioner({
    docker, resolveImage: (n) => (tags as Record<string, string>)[n], isolation, instance: `labtest-${process.pid}`,
    attach: [{ container: hub.container, alias: hub.alias }], nodeEnv: { LABDOCK_REGISTRY_MIRROR: hub.mirror },
  });
}, { timeout: 1_200_000 });

test('two-nodes: every step fails with a hint, then passes after its solve (Docker-in-Docker)', { skip: noDocker, timeout: 300_000 }, async (t) => {
  await regress(t, 'two-nodes', dockerProvisioner!);
});

test('two-nodes: the run blocks of each step, as a learner clicks them, make its check pass', { skip: noDocker, timeout: 300_000 }, async (t) => {
  await regress(t, 'two-nodes', dockerProvisioner!, 'run-blocks');
});

test('registry-operations: the run blocks of each step, as a learner clicks them, make its check pass', { skip: noDocker, timeout: 300_000 }, async (t) => {
  await regress(t, 'registry-operations', dockerProvisioner!, 'run-blocks');
});
