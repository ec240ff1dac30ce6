/**
 * `npx tsx bench/isolation.ts` (part of `npm run bench`) — what isolating nodes
 * costs, against the unisolated form measured in the same process:
 *
 *  1. Node start: createNode (cgroup delegation + docker run → `docker version`
 *     answers) on labdock's user-namespace engine, interleaved with the same
 *     node in the old form (host cgroups, no user namespace) on the machine's
 *     plain engine at /var/run/docker.sock when one runs.
 *     Also the isolated node with its session's disk budget (runtime/provisioner/disk).
 *  2. A 2-node + registry session (registry-basics), POST /api/sessions with
 *     wait → ready, on the isolating engine; then the same on the plain engine
 *     (LABDOCK_DOCKER_ALLOW_UNISOLATED) as the baseline, and on the isolating
 *     engine without disk budgets.
 *
 * Not a test: it asserts nothing, it reports. BENCH_RUNS sets the runs (default 8).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { engineIsolation, type EngineIsolation } from '../runtime/engine/engine-isolation';
import { LABDOCK_ENGINE_SOCKET } from '../runtime/engine/detect-engines';
import { loadConfig } from '../runtime/config/config';
import { startServer } from '../runtime/server';
import { createDockerProvisioner } from '../runtime/provisioner/docker/docker-provisioner';
import { ensureImages } from '../runtime/images/ensure-images';
import { sessionDisks } from '../runtime/provisioner/disk/session-disk';
import type { Provisioner } from '../runtime/provisioner/provisioner';
import { percentile, summary } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 8);
const PLAIN_SOCKET = '/var/run/docker.sock';

async function engine(socketPath: string): Promise<{ docker: Docker; isolation: EngineIsolation; p: Provisioner; nodeTag: string } | null> {
  if (!existsSync(socketPath)) return null;
  const docker = new Docker({ socketPath });
  if (!(await docker.ping().then(() => true, () => false))) return null;
  const isolation = await engineIsolation(docker);
  const tags = await ensureImages(docker, { names: ['node'] });
  const p = createDockerProvisioner({ docker, resolveImage: () => tags.node, isolation, instance: `bench-iso-${isolation.mode}` });
  return { docker, isolation, p, nodeTag: tags.node };
}

const isolated = await engine(LABDOCK_ENGINE_SOCKET);
if (!isolated || isolated.isolation.mode !== 'userns') throw new Error(`labdock's engine (${LABDOCK_ENGINE_SOCKET}) is not running with user namespaces: npm start as root starts it`);
const plain = await engine(PLAIN_SOCKET).then((e) => (e && e.isolation.mode === 'none' ? e : null));

// The same isolated node with its session's disk budget (a loop-mounted image holding its volume,
// writable layer and engine directory: runtime/provisioner/disk).
const diskDir = `/var/lib/labdock/disks/bench-${process.pid}`;
const budgeted = {
  p: createDockerProvisioner({
    docker: isolated.docker, resolveImage: () => isolated.nodeTag, isolation: isolated.isolation, instance: 'bench-iso-disk',
    disks: sessionDisks({ dir: diskDir, budgetBytes: 4 * 1024 ** 3, owner: isolated.isolation.mode === 'userns' ? isolated.isolation.remappedRoot : null }),
  }),
};

const ready: Record<string, number[]> = { userns: [], none: [], disk: [] };
for (let run = 0; run < RUNS; run++) {
  for (const [kind, e] of [['userns', isolated], ['none', plain], ['disk', budgeted]] as const) {
    if (!e) continue;
    const id = `bi${run}${kind[0]}${Date.now().toString(36)}`;
    await e.p.createSession(id);
    const t = performance.now();
    await e.p.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' });
    ready[kind].push(performance.now() - t);
    await e.p.destroySession(id);
  }
}
rmSync(diskDir, { recursive: true, force: true });

async function sessionStarts(env: Record<string, string>): Promise<number[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'labdock-bench-iso-'));
  const config = loadConfig({ LABDOCK_SERVER_PORT: '0', LABDOCK_SERVER_HOST: '127.0.0.1', LABDOCK_DATA_DIR: dataDir, ...env });
  const server = await startServer(config, { log: () => undefined });
  const out: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const t = performance.now();
      const res = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lab: 'registry-basics', wait: true }) });
      const s = (await res.json()) as { id: string; token: string; status?: string };
      if (!res.ok || s.status !== 'ready') throw new Error(`registry-basics did not start: ${res.status} ${JSON.stringify(s)}`);
      out.push(performance.now() - t);
      await fetch(`${server.url}/api/sessions/${s.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } });
    }
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

const sessionUserns = await sessionStarts({ LABDOCK_DOCKER_SOCKET_PATH: LABDOCK_ENGINE_SOCKET });
const sessionNoDisk = await sessionStarts({ LABDOCK_DOCKER_SOCKET_PATH: LABDOCK_ENGINE_SOCKET, LABDOCK_DOCKER_SESSION_DISK_MB: '0' });
const sessionPlain = plain ? await sessionStarts({ LABDOCK_DOCKER_SOCKET_PATH: PLAIN_SOCKET, LABDOCK_DOCKER_ALLOW_UNISOLATED: 'true' }) : [];

const ratio = (a: number[], b: number[]) => (b.length ? `${(percentile(a, 50) / percentile(b, 50)).toFixed(2)}×` : 'n/a (no plain engine at /var/run/docker.sock)');
console.log('\nNode start: createNode → `docker version` answers inside');
console.log(`  user namespace + delegated cgroup : ${summary(ready.userns)}   target: ≤ 1000 ms p50`);
if (plain) console.log(`  unisolated (host cgroups)         : ${summary(ready.none)}`);
console.log(`  ratio p50                         : ${ratio(ready.userns, ready.none)}`);
console.log(`  + session disk budget             : ${summary(ready.disk)}`);
console.log(`  ratio p50 (budget / no budget)    : ${ratio(ready.disk, ready.userns)}`);
console.log('\n2-node + registry session (registry-basics): POST /api/sessions {wait} → ready');
console.log(`  isolating engine : ${summary(sessionUserns)}`);
if (plain) console.log(`  unisolated       : ${summary(sessionPlain)}`);
console.log(`  ratio p50        : ${ratio(sessionUserns, sessionPlain)}`);
console.log(`  isolating engine, no disk budget : ${summary(sessionNoDisk)}`);
console.log(`  ratio p50 (budget / no budget)   : ${ratio(sessionUserns, sessionNoDisk)}`);
process.exit(0);
