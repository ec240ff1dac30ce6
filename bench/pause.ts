/**
 * Pause and resume (part of `npm run bench`, issue #14): p50 pause and resume
 * times for the two-node lab and a registry lab (content-trust: two nodes and
 * the registry), on labdock's engine, through the session service as the
 * server runs it, with session disk budgets as the server has them; and the
 * disk a paused 2-node + registry session takes on the host — its session
 * disk image's allocated blocks (writable layers, volumes, engine files), and
 * the engine's own accounting beside it (`docker system df -v`: SizeRw and
 * volume UsageData) — after the lab's first steps made it hold real state
 * (images pulled, a signed push).
 *
 *   BENCH_PAUSE_RUNS=5 tsx bench/pause.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { isolationOrNone } from '../runtime/engine/engine-isolation';
import { openDatabase } from '../runtime/db/open-database';
import { createDockerProvisioner } from '../runtime/provisioner/docker/docker-provisioner';
import { ensureImages } from '../runtime/images/ensure-images';
import { ensureHub } from '../runtime/hub/ensure-hub';
import { preloadHub } from '../runtime/hub/preload-hub';
import { baseTag } from '../runtime/images/image-set';
import { hostDebianMirror } from '../runtime/images/build-base';
import { createLabCatalog } from '../runtime/labs/lab-catalog';
import { createSessionStore } from '../runtime/sessions/session-store';
import { createSessionService } from '../runtime/sessions/session-service';
import { LABELS } from '../runtime/provisioner/provisioner';
import { percentile } from './stats';
import { sessionDisks } from '../runtime/provisioner/disk/session-disk';
import { allocatedBytes } from '../runtime/provisioner/disk/disk-image';

const RUNS = Number(process.env.BENCH_PAUSE_RUNS ?? 3);
const docker = new Docker();
const isolation = await isolationOrNone(docker);
const instance = `bench-pause-${process.pid}`;
const tags = await ensureImages(docker, { names: ['node', 'hub', 'registry'] });
const hub = await ensureHub(docker, tags.hub);
await preloadHub(docker, hub, { hubImage: tags.hub, baseImage: baseTag(hostDebianMirror()) });
const diskDir = `/var/lib/labdock/disks/${instance}`;
const provisioner = createDockerProvisioner({
  docker, resolveImage: (n) => (tags as Record<string, string>)[n], isolation, instance,
  attach: [{ container: hub.container, alias: hub.alias }], nodeEnv: { LABDOCK_REGISTRY_MIRROR: hub.mirror },
  // The server's default budget (docker.sessionDiskMb).
  disks: sessionDisks({ dir: diskDir, budgetBytes: 4096 * 1024 ** 2, owner: isolation.mode === 'userns' ? isolation.remappedRoot : null }),
});
const dir = mkdtempSync(path.join(tmpdir(), 'labdock-bench-pause-'));
const db = await openDatabase(`file:${path.join(dir, 'db.sqlite')}`);
const sessions = createSessionService({
  store: createSessionStore(db), provisioners: { docker: provisioner }, closeTerminals: () => undefined,
  labs: createLabCatalog({ labsDir: path.resolve('labs'), engine: { docker: true, local: false } }),
  config: { sessions: { ttlMinutes: 60, idleMinutes: 30, reapSeconds: 30, maxLive: 5 }, checks: { timeoutSeconds: 60 } },
  log: () => undefined,
});

/** Steps solved before the pause, so the session holds what a learner's would mid-way. */
const WORK: Record<string, string[]> = { 'two-nodes': ['own-engine', 'separate-engines', 'pull-image'], 'content-trust': ['sign'] };

async function measure(lab: string) {
  const { view } = await sessions.create(lab, { wait: true });
  try {
    if (view.status !== 'ready') throw new Error(`${lab}: ${view.error}`);
    for (const step of WORK[lab]) {
      const r = await sessions.solve(view.id, step);
      if (!r.passed) throw new Error(`${lab}/${step}: ${r.message}`);
    }
    const pause: number[] = [];
    const resume: number[] = [];
    let disk = { image: 0, engine: 0 };
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      await sessions.pause(view.id);
      pause.push(performance.now() - t);
      if (i === 0) disk = await pausedDisk(view.id);
      t = performance.now();
      const v = await sessions.resume(view.id, { wait: true });
      resume.push(performance.now() - t);
      if (v.status !== 'ready') throw new Error(`${lab}: resume failed: ${v.error}`);
    }
    return { pause, resume, disk };
  } finally {
    await sessions.end(view.id).catch(() => undefined);
    await provisioner.destroySession(view.id).catch(() => undefined);
  }
}

/** Bytes a paused session keeps: its disk image's allocated blocks on the host, and what the engine counts (writable layers and volumes). */
async function pausedDisk(sessionId: string): Promise<{ image: number; engine: number }> {
  const df = await docker.df() as { Containers?: { Labels?: Record<string, string>; SizeRw?: number }[]; Volumes?: { Labels?: Record<string, string>; UsageData?: { Size?: number } }[] };
  const mine = (labels?: Record<string, string>) => labels?.[LABELS.session] === sessionId && labels?.[LABELS.instance] === instance;
  const layers = (df.Containers ?? []).filter((c) => mine(c.Labels)).reduce((n, c) => n + (c.SizeRw ?? 0), 0);
  const volumes = (df.Volumes ?? []).filter((v) => mine(v.Labels)).reduce((n, v) => n + Math.max(0, v.UsageData?.Size ?? 0), 0);
  return { image: await allocatedBytes(path.join(diskDir, `${sessionId}.img`)), engine: layers + volumes };
}

const s = (ms: number[]) => `p50 ${(percentile(ms, 50) / 1000).toFixed(2)} s (min ${(Math.min(...ms) / 1000).toFixed(2)}, max ${(Math.max(...ms) / 1000).toFixed(2)}, n=${ms.length})`;
try {
  console.log(`pause/resume on labdock's engine, ${RUNS} runs per lab`);
  for (const lab of ['two-nodes', 'content-trust']) {
    const r = await measure(lab);
    console.log(`  ${lab.padEnd(14)} pause ${s(r.pause)}; resume (until ready) ${s(r.resume)}; paused on disk ${(r.disk.image / 1024 / 1024).toFixed(0)} MiB (its disk image; the engine counts ${(r.disk.engine / 1024 / 1024).toFixed(0)} MiB)`);
  }
} finally {
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });
  rmSync(diskDir, { recursive: true, force: true });
}
