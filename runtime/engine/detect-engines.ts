/**
 * Finds what this host can run nodes on: a Docker engine that isolates nodes
 * from the host (docker provisioner) and bubblewrap (local provisioner).
 * Missing pieces are reported with what to do, never thrown: labdock still
 * serves the labs it can run.
 *
 * Which engine: LABDOCK_DOCKER_SOCKET_PATH when set; otherwise labdock's own
 * engine (LABDOCK_ENGINE_SOCKET, started by `npm start` / `npm test` with user
 * namespaces: scripts/labdock-engine.mjs) when it answers; otherwise the
 * default engine (DOCKER_HOST or /var/run/docker.sock). labdock never
 * reconfigures an engine it did not start: one that cannot isolate is used
 * only when the operator says so (docker.allowUnisolated, for development).
 */
import { existsSync } from 'node:fs';
import Docker from 'dockerode';
import type { Config } from '../config/config';
import { describeIsolation, engineIsolation, type EngineIsolation } from './engine-isolation';
import { ensureHostFirewall } from './host-firewall';

/** Where labdock's own isolating engine listens (scripts/labdock-engine.mjs starts it). */
export const LABDOCK_ENGINE_SOCKET = '/run/labdock/docker.sock';

export interface Engines {
  docker: Docker | null;
  dockerProblem?: string;
  isolation?: EngineIsolation;
  /** One line for the catalog and /api/health: how nodes are isolated. */
  isolationSummary?: string;
  local: boolean;
}

type DockerConfig = Pick<Config, 'docker'>;

async function pickEngine(config: DockerConfig): Promise<{ docker: Docker; where: string } | { problem: string }> {
  const candidates: { docker: Docker; where: string }[] = config.docker.socketPath
    ? [{ docker: new Docker({ socketPath: config.docker.socketPath }), where: config.docker.socketPath }]
    : [
        ...(existsSync(LABDOCK_ENGINE_SOCKET) ? [{ docker: new Docker({ socketPath: LABDOCK_ENGINE_SOCKET }), where: LABDOCK_ENGINE_SOCKET }] : []),
        { docker: new Docker(), where: process.env.DOCKER_HOST || '/var/run/docker.sock' },
      ];
  let last = '';
  for (const c of candidates) {
    try {
      await c.docker.ping();
      return c;
    } catch (err) {
      last = `${c.where}: ${(err as Error).message}`;
    }
  }
  return { problem: `No Docker engine is reachable (${last}). Labs that need Docker are unavailable: run npm start as root on Debian, which installs docker.io and starts labdock's own isolating engine.` };
}

export async function detectEngines(config: DockerConfig, log: (m: string) => void, options: { firewall?: () => Promise<void> } = {}): Promise<Engines> {
  const local = existsSync('/usr/bin/bwrap') && existsSync('/usr/bin/nsenter');
  if (!local) log('[engine] bubblewrap is not installed (apt-get install bubblewrap): labs without a container engine will use Docker nodes.');
  const picked = await pickEngine(config);
  if ('problem' in picked) {
    log(`[engine] ${picked.problem}`);
    return { docker: null, dockerProblem: picked.problem, local };
  }
  const isolation = await engineIsolation(picked.docker);
  const unisolatedOk = config.docker.allowUnisolated;
  if (isolation.mode === 'none' && !unisolatedOk) {
    const problem = `The Docker engine at ${picked.where} does not isolate nodes from the host (no user namespaces, no sysbox-runc): a learner, root in a node, would be root on this host. Labs that need Docker are unavailable. Start labdock's own engine (npm start as root does), point LABDOCK_DOCKER_SOCKET_PATH at an isolating engine, or set LABDOCK_DOCKER_ALLOW_UNISOLATED=true on a machine without strangers.`;
    log(`[engine] ${problem}`);
    return { docker: null, dockerProblem: problem, isolation, isolationSummary: describeIsolation(isolation), local };
  }
  try {
    await (options.firewall ?? ensureHostFirewall)();
  } catch (err) {
    const problem = `Nodes could not be kept from reaching this host (${(err as Error).message}). Labs that need Docker are unavailable: run labdock as root with iptables installed${unisolatedOk ? '' : ', or set LABDOCK_DOCKER_ALLOW_UNISOLATED=true for development'}.`;
    log(`[engine] ${problem}`);
    if (!unisolatedOk) return { docker: null, dockerProblem: problem, isolation, isolationSummary: describeIsolation(isolation), local };
  }
  log(`[engine] Docker at ${picked.where}: ${describeIsolation(isolation)}`);
  return { docker: picked.docker, isolation, isolationSummary: describeIsolation(isolation), local };
}
