/**
 * Does a Docker engine isolate what runs in it from the host? Learners are
 * root in their nodes, so labdock runs multi-tenant nodes only on an engine
 * that puts them in a user namespace:
 *
 *   - `userns`: dockerd runs with --userns-remap (labdock's own engine, see
 *     scripts/labdock-engine.mjs). Root in a node is an unprivileged uid on the
 *     host; labdock delegates a cgroup per node (node-cgroups.ts).
 *   - `sysbox`: the engine has the sysbox-runc runtime, which does the same.
 *   - `none`: a plain engine. A node there needs capabilities over the host's
 *     own kernel to run dockerd, so multi-tenant sessions are refused unless
 *     the operator sets LABDOCK_DOCKER_ALLOW_UNISOLATED=true (development).
 *
 *   const isolation = await engineIsolation(docker);   // { mode: 'userns', remappedRoot: { uid: 100000, gid: 100000 }, … }
 */
import type Docker from 'dockerode';

export type EngineIsolation =
  | { mode: 'userns'; remappedRoot: { uid: number; gid: number }; cgroupVersion: 1 | 2 }
  | { mode: 'sysbox'; cgroupVersion: 1 | 2 }
  | { mode: 'none'; cgroupVersion: 1 | 2 };

export type IsolationMode = EngineIsolation['mode'];

interface EngineInfo {
  SecurityOptions?: string[];
  Runtimes?: Record<string, unknown>;
  DockerRootDir?: string;
  CgroupVersion?: string;
}

export async function engineIsolation(docker: Docker): Promise<EngineIsolation> {
  return isolationFromInfo((await docker.info()) as EngineInfo);
}

/** Reads the mode from `docker info`: user namespaces show as a security option and a uid.gid data root. */
export function isolationFromInfo(info: EngineInfo): EngineIsolation {
  const cgroupVersion = info.CgroupVersion === '2' ? 2 : 1;
  const userns = (info.SecurityOptions ?? []).some((o) => o === 'userns' || o === 'name=userns');
  if (userns) {
    // dockerd keeps a remapped engine's data under <data-root>/<uid>.<gid>, the host ids of root in its containers.
    const m = /\/(\d+)\.(\d+)\/?$/.exec(info.DockerRootDir ?? '');
    if (!m) throw new Error(`the engine runs with user namespaces but its data root (${info.DockerRootDir}) does not name the remapped root`);
    return { mode: 'userns', remappedRoot: { uid: Number(m[1]), gid: Number(m[2]) }, cgroupVersion };
  }
  if (info.Runtimes && 'sysbox-runc' in info.Runtimes) return { mode: 'sysbox', cgroupVersion };
  return { mode: 'none', cgroupVersion };
}

/** One line for the catalog and /api/health. */
export function describeIsolation(isolation: EngineIsolation): string {
  switch (isolation.mode) {
    case 'userns': return `nodes run in user namespaces (root in a node is uid ${isolation.remappedRoot.uid} on the host), each in a cgroup labdock delegates`;
    case 'sysbox': return 'nodes run under sysbox-runc (user namespaces)';
    case 'none': return 'nodes are NOT isolated from the host: development only (LABDOCK_DOCKER_ALLOW_UNISOLATED)';
  }
}

/** For tests and benches: the engine's isolation, or `none` when no engine answers (their tests skip then). */
export async function isolationOrNone(docker: Docker): Promise<EngineIsolation> {
  return engineIsolation(docker).catch((): EngineIsolation => ({ mode: 'none', cgroupVersion: 1 }));
}
