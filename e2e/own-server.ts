/**
 * A labdock server of a spec's own, for specs that restart the server (the
 * shared one of playwright.config.ts cannot be restarted mid-run). Own port,
 * own data directory; `restart()` stops it the way an operator does (SIGTERM:
 * sessions stay up) and starts it again on the same data. `dispose()` ends the
 * sessions it was told about, stops the server, removes whatever engine
 * resources its instance still has (even when the spec failed half-way) and
 * its data directory.
 *
 *   const server = await startOwnServer();           // server.url: http://localhost:<port>
 *   try { …; await server.restart(); … } finally { await server.dispose(); }
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { sessionDisks } from '../runtime/provisioner/disk/session-disk';
import { loadConfig } from '../runtime/config/config';
import { createLocalProvisioner } from '../runtime/provisioner/local/local-provisioner';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface OwnServer {
  url: string;
  dataDir: string;
  /** Remembers a session's token, so dispose() can end it. */
  track(sessionId: string, token: string): void;
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startOwnServer(options: { port?: number; env?: Record<string, string> } = {}): Promise<OwnServer> {
  // Far from the shared server's port (LABDOCK_E2E_PORT) so two engineers' runs do not collide either.
  const port = options.port ?? Number(process.env.LABDOCK_E2E_PORT ?? 3100) + 1000;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'labdock-own-server-'));
  const url = `http://localhost:${port}`;
  const tracked = new Map<string, string>();
  let child: ChildProcess | null = null;
  let output = '';

  async function start() {
    output = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'runtime/server.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LABDOCK_SERVER_PORT: String(port),
        LABDOCK_SERVER_HOST: '127.0.0.1',
        LABDOCK_DATA_DIR: dataDir,
        LABDOCK_LIMITS_LIVE_SESSIONS_PER_CLIENT: '100',
        LABDOCK_LIMITS_CREATIONS_PER_MINUTE: '1000',
        NEXT_TELEMETRY_DISABLED: '1',
        ...options.env,
      },
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<never>((_, reject) => child!.once('exit', (code) => reject(new Error(`labdock exited (${code}) while starting:\n${output.slice(-4000)}`))));
    // 600 s: a first start may build images.
    const until = Date.now() + 600_000;
    const healthy = (async () => {
      while (Date.now() < until) {
        const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
        if (ok) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`labdock did not answer on ${url} within 600 s:\n${output.slice(-4000)}`);
    })();
    await Promise.race([healthy, exited]);
    exited.catch(() => undefined);
  }

  async function stop() {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    // 30 s: the server waits for sessions mid-start; past that it is stuck.
    const timer = setTimeout(() => c.kill('SIGKILL'), 30_000);
    await gone;
    clearTimeout(timer);
  }

  await start();
  return {
    url,
    dataDir,
    track: (id, token) => void tracked.set(id, token),
    async restart() {
      await stop();
      await start();
    },
    async dispose() {
      if (child) {
        for (const [id, token] of tracked) {
          await fetch(`${url}/api/sessions/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
        }
      }
      await stop();
      await sweepInstance(dataDir).catch((e: Error) => console.error(`sweeping ${dataDir}: ${e.message}`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Whatever engine resources and session disks the server of this data directory left (labels and folders, as runtime/server.ts names its instance). */
async function sweepInstance(dataDir: string) {
  const docker = new Docker();
  const instance = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
  const filters = { label: [`labdock.instance=${instance}`] };
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
  for (const n of await docker.listNetworks({ filters })) {
    const { Containers = {} } = await docker.getNetwork(n.Id).inspect();
    for (const id of Object.keys(Containers)) await docker.getNetwork(n.Id).disconnect({ Container: id, Force: true }).catch(() => undefined);
    await docker.getNetwork(n.Id).remove().catch(() => undefined);
  }
  // Local sessions the stopped server kept up: sandboxes killed, their disks unmounted and deleted.
  const localRoot = path.join(dataDir, 'local-nodes');
  const local = createLocalProvisioner({ rootDir: localRoot, disks: sessionDisks({ dir: localRoot, budgetBytes: 0, owner: null }) });
  for (const id of await local.listSessions()) await local.destroySession(id).catch((e: Error) => console.error(`removing local session ${id}: ${e.message}`));
  // The Docker sessions' disk images, once nothing uses them (runtime/provisioner/disk): unmounted and deleted.
  const diskDir = path.join(loadConfig(process.env).docker.diskDir, instance);
  const disks = sessionDisks({ dir: diskDir, budgetBytes: 0, owner: null });
  for (const id of await disks.list()) await disks.remove(id).catch((e: Error) => console.error(`removing session disk ${id}: ${e.message}`));
  rmSync(diskDir, { recursive: true, force: true });
}
