/**
 * Test support for suites that run real lab sessions on a real engine: the
 * engine (or why the suite skips), a docker provisioner with labdock's images
 * and the hub mirror, and a session service over labs written to a temp
 * folder and a fresh SQLite database. Everything a fixture makes is removed
 * by `close()` / the test's `after`, even when the test failed.
 *
 *   const engine = await dockerEngineForTests();
 *   before(async () => { provisioner = await dockerProvisionerForTests(engine, { instance: `trust-${process.pid}` }); });
 *   test('…', { skip: engine.skip }, async (t) => {
 *     const { sessions } = await labSessionsForTests(t, provisioner, { trust: LAB_MDX });
 *     const { view } = await sessions.create('trust', { wait: true });
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import Docker from 'dockerode';
import { isolationOrNone, type EngineIsolation } from '../engine/engine-isolation';
import { openDatabase } from '../db/open-database';
import { createDockerProvisioner, type DockerProvisionerOptions } from '../provisioner/docker/docker-provisioner';
import type { Provisioner } from '../provisioner/provisioner';
import { ensureImages } from '../images/ensure-images';
import { ensureHub } from '../hub/ensure-hub';
import { preloadHub } from '../hub/preload-hub';
import { baseTag } from '../images/image-set';
import { hostDebianMirror } from '../images/build-base';
import { createLabCatalog } from '../labs/lab-catalog';
import { secretBox } from '../secrets/secret-box';
import { createSessionStore } from './session-store';
import { createSessionService, type SessionServiceDeps } from './session-service';

export interface TestEngine {
  docker: Docker;
  isolation: EngineIsolation;
  /** Why the suite cannot run here (no engine), or undefined. */
  skip: string | undefined;
}

/** DOCKER_HOST's engine (npm test points it at labdock's own). CI sets LABDOCK_REQUIRE_DOCKER=1: no engine is then a failure, not a skip. */
export async function dockerEngineForTests(): Promise<TestEngine> {
  const docker = new Docker();
  const reachable = await docker.ping().then(() => true, () => false);
  if (!reachable && process.env.LABDOCK_REQUIRE_DOCKER === '1') throw new Error('LABDOCK_REQUIRE_DOCKER=1 but no Docker engine is reachable');
  return { docker, isolation: await isolationOrNone(docker), skip: reachable ? undefined : 'no Docker engine reachable' };
}

/**
 * A docker provisioner as the server makes one: labdock's images, nodes joined to the hub mirror (preloaded
 * with the images labs pull unless `preload: false`). `instance` keeps its resources apart from other suites'.
 */
export async function dockerProvisionerForTests(engine: TestEngine, options: { instance: string; preload?: boolean } & Partial<DockerProvisionerOptions>): Promise<Provisioner> {
  const { docker, isolation } = engine;
  const { preload = true, ...rest } = options;
  const tags = await ensureImages(docker, { names: ['node', 'hub', 'registry'] });
  const hub = await ensureHub(docker, tags.hub);
  if (preload) await preloadHub(docker, hub, { hubImage: tags.hub, baseImage: baseTag(hostDebianMirror()) });
  return createDockerProvisioner({
    docker, isolation, resolveImage: (n) => (tags as Record<string, string>)[n],
    attach: [{ container: hub.container, alias: hub.alias }], nodeEnv: { LABDOCK_REGISTRY_MIRROR: hub.mirror },
    ...rest,
  });
}

/** The session settings these suites run with: long enough lifetimes that nothing expires mid-test. */
export const TEST_SESSION_CONFIG: SessionServiceDeps['config'] = {
  sessions: { ttlMinutes: 60, idleMinutes: 30, reapSeconds: 30, maxLive: 5 },
  checks: { timeoutSeconds: 60 },
};

/**
 * A session service over `labs` (id → lab.mdx text, or the path of a labs folder), with a fresh SQLite
 * database. Every session it started is ended and its resources destroyed after the test, then the
 * database and the temp folder go.
 */
export async function labSessionsForTests(t: TestContext, provisioner: Provisioner, labs: Record<string, string> | string, extra: Partial<SessionServiceDeps> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-labtest-'));
  const labsDir = typeof labs === 'string' ? labs : path.join(dir, 'labs');
  for (const [id, mdx] of typeof labs === 'string' ? [] : Object.entries(labs)) {
    mkdirSync(path.join(labsDir, id), { recursive: true });
    writeFileSync(path.join(labsDir, id, 'lab.mdx'), mdx);
  }
  const db = await openDatabase(`file:${path.join(dir, 'db.sqlite')}`);
  // The store seals secrets at rest: the suite keeps the key (box) to read the platform's password back.
  const box = secretBox(randomBytes(32));
  const store = createSessionStore(db, box);
  const catalog = createLabCatalog({ labsDir, engine: { docker: true, local: false } });
  const sessions = createSessionService({
    store, labs: catalog, provisioners: { docker: provisioner }, closeTerminals: () => undefined,
    config: TEST_SESSION_CONFIG, log: () => undefined, ...extra,
  });
  t.after(async () => {
    for (const row of await db.session.findMany({ select: { id: true } })) {
      await sessions.end(row.id).catch(() => undefined);
      await provisioner.destroySession(row.id).catch((e: Error) => console.error(`cleanup of ${row.id}: ${e.message}`));
    }
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });
  return { sessions, store, db, box, labs: catalog };
}
