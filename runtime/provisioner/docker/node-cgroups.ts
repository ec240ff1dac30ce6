/**
 * Cgroups labdock makes for each node before the engine starts it, so that a
 * node in a user namespace can run its own dockerd without holding any power
 * over its own limits or anyone else's.
 *
 *   const cg = nodeCgroups({ root: '/sys/fs/cgroup', owner: { uid: 100000, gid: 100000 } });
 *   const { parent, binds } = cg.prepare('s1', 'node1', { memoryBytes: 1 << 30, nanoCpus: 1e9, pidsLimit: 2048 });
 *   docker.createContainer({ HostConfig: { CgroupParent: parent, CgroupnsMode: 'private', Binds: binds, … } });
 *   …
 *   cg.removeSession('s1');                       // after its containers are gone
 *
 * The node's cgroup is `labdock/<session>/<node>` in every controller. The
 * limits are written there by root and stay root's; only the directory and
 * the files that move processes (`cgroup.procs`, `tasks`, …) belong to the
 * node's remapped root, which is the kernel's delegation model: the node can
 * make child cgroups (its dockerd's containers) and set limits on them, all
 * below the node's own, which it cannot change.
 *
 * cgroup v1 (hybrid hosts): one directory per controller, each bind-mounted
 * read-write at /sys/fs/cgroup/<controller> in the node. cgroup v2: one
 * directory, controllers enabled in the parents' subtree_control, bound at
 * /sys/fs/cgroup.
 */
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface NodeLimits {
  memoryBytes: number;
  /** CPU in billionths of a CPU (Docker's NanoCpus). */
  nanoCpus: number;
  pidsLimit: number;
}

export interface CgroupOwner {
  uid: number;
  gid: number;
}

export interface NodeCgroup {
  /** CgroupParent for the engine (absolute, cgroupfs driver). */
  parent: string;
  /** host:container:rw bind mounts that give the node its own cgroup tree. */
  binds: string[];
  /** The node's cgroup directories on the host (one per v1 controller, or the v2 one). */
  dirs: string[];
}

/** Controllers a node's dockerd uses on cgroup v1. `name=systemd` is not one: runc skips what is not mounted. */
export const V1_CONTROLLERS = ['cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'freezer', 'blkio', 'pids'] as const;
const V2_CONTROLLERS = ['cpu', 'memory', 'pids', 'io', 'cpuset'];
/** Files that move processes between cgroups: the delegate must own them (not the limit files). */
const V1_DELEGATED = ['cgroup.procs', 'tasks', 'cgroup.clone_children'];
const V2_DELEGATED = ['cgroup.procs', 'cgroup.threads', 'cgroup.subtree_control'];
/** CFS period Docker uses: NanoCpus 1e9 → quota 100 000 µs per 100 000 µs. */
const CFS_PERIOD_US = 100_000;
const TOP = 'labdock';
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export type CgroupVersion = 1 | 2;

/** v2 when /sys/fs/cgroup itself is cgroup2 (unified); v1 otherwise (legacy or hybrid). */
export function detectCgroupVersion(root = '/sys/fs/cgroup'): CgroupVersion {
  return existsSync(path.join(root, 'cgroup.controllers')) ? 2 : 1;
}

export interface NodeCgroupsOptions {
  root?: string;
  owner: CgroupOwner;
  version?: CgroupVersion;
  /** First path segment under each controller; tests use their own so they never touch real sessions. */
  top?: string;
}

export function nodeCgroups(options: NodeCgroupsOptions) {
  const root = options.root ?? '/sys/fs/cgroup';
  const version = options.version ?? detectCgroupVersion(root);
  const top = options.top ?? TOP;
  const controllers = version === 1 ? V1_CONTROLLERS.filter((c) => existsSync(path.join(root, c))) : [];
  const rel = (...parts: string[]) => {
    for (const p of parts) if (!ID.test(p)) throw new Error(`invalid cgroup name: ${p}`);
    return path.join(top, ...parts);
  };
  const dirsOf = (relative: string) => (version === 1 ? controllers.map((c) => path.join(root, c, relative)) : [path.join(root, relative)]);
  const allHierarchies = (relative: string) => (version === 1
    ? readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(root, e.name, relative))
    : [path.join(root, relative)]);

  function prepareV1(relative: string, limits: NodeLimits) {
    // Every level must exist in every controller, and cpuset levels need cpus/mems before a task can join.
    const levels = relative.split(path.sep).map((_, i, all) => all.slice(0, i + 1).join(path.sep));
    for (const c of controllers) {
      for (const level of levels) {
        const dir = path.join(root, c, level);
        mkdirSync(dir, { recursive: true });
        if (c === 'cpuset') {
          for (const f of ['cpuset.cpus', 'cpuset.mems']) {
            if (readFileSync(path.join(dir, f), 'utf8').trim() === '') writeFileSync(path.join(dir, f), readFileSync(path.join(path.dirname(dir), f), 'utf8'));
          }
        }
      }
    }
    const at = (c: string, f: string) => path.join(root, c, relative, f);
    if (controllers.includes('memory')) {
      writeFileSync(at('memory', 'memory.limit_in_bytes'), String(limits.memoryBytes));
      // Swap counts against the same limit where the kernel accounts it.
      if (existsSync(at('memory', 'memory.memsw.limit_in_bytes'))) writeFileSync(at('memory', 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
    }
    if (controllers.includes('pids')) writeFileSync(at('pids', 'pids.max'), String(limits.pidsLimit));
    if (controllers.includes('cpu')) {
      writeFileSync(at('cpu', 'cpu.cfs_period_us'), String(CFS_PERIOD_US));
      writeFileSync(at('cpu', 'cpu.cfs_quota_us'), String(Math.max(1000, Math.round((limits.nanoCpus / 1e9) * CFS_PERIOD_US))));
    }
    for (const c of controllers) delegate(path.join(root, c, relative), V1_DELEGATED);
  }

  function prepareV2(relative: string, limits: NodeLimits) {
    const parts = relative.split(path.sep);
    const available = readFileSync(path.join(root, 'cgroup.controllers'), 'utf8').trim().split(/\s+/);
    const wanted = V2_CONTROLLERS.filter((c) => available.includes(c));
    let dir = root;
    for (const part of parts) {
      // A parent hands its controllers down through subtree_control before the child can use them.
      writeFileSync(path.join(dir, 'cgroup.subtree_control'), wanted.map((c) => `+${c}`).join(' '));
      dir = path.join(dir, part);
      mkdirSync(dir, { recursive: true });
    }
    const at = (f: string) => path.join(dir, f);
    if (existsSync(at('memory.max'))) writeFileSync(at('memory.max'), String(limits.memoryBytes));
    if (existsSync(at('memory.swap.max'))) writeFileSync(at('memory.swap.max'), '0');
    if (existsSync(at('pids.max'))) writeFileSync(at('pids.max'), String(limits.pidsLimit));
    if (existsSync(at('cpu.max'))) writeFileSync(at('cpu.max'), `${Math.max(1000, Math.round((limits.nanoCpus / 1e9) * CFS_PERIOD_US))} ${CFS_PERIOD_US}`);
    delegate(dir, V2_DELEGATED);
  }

  function delegate(dir: string, files: string[]) {
    chownSync(dir, options.owner.uid, options.owner.gid);
    for (const f of files) if (existsSync(path.join(dir, f))) chownSync(path.join(dir, f), options.owner.uid, options.owner.gid);
  }

  return {
    version,

    /** Makes (or re-makes, idempotently) the node's cgroup with its limits, delegated to the node's root. */
    prepare(sessionId: string, node: string, limits: NodeLimits): NodeCgroup {
      const relative = rel(sessionId, node);
      if (version === 1) prepareV1(relative, limits);
      else prepareV2(relative, limits);
      const binds = version === 1
        ? controllers.map((c) => `${path.join(root, c, relative)}:/sys/fs/cgroup/${c}:rw`)
        : [`${path.join(root, relative)}:/sys/fs/cgroup:rw`];
      return { parent: `/${relative}`, binds, dirs: dirsOf(relative) };
    },

    /** The node's cgroup directories (no I/O): for processes joining a cgroup prepare() made. */
    dirs(sessionId: string, node: string): string[] {
      return dirsOf(rel(sessionId, node));
    },

    /**
     * Is the node's cgroup there with its limits and delegation? After a host reboot it is gone, and an
     * engine that restarted the node meanwhile made one of its own in its place: no limits of ours.
     */
    isPrepared(sessionId: string, node: string, limits: NodeLimits): boolean {
      const relative = rel(sessionId, node);
      const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').trim() : null);
      const limitsHold = version === 1
        ? read(path.join(root, 'pids', relative, 'pids.max')) === String(limits.pidsLimit)
          && read(path.join(root, 'memory', relative, 'memory.limit_in_bytes')) === String(limits.memoryBytes)
        : read(path.join(root, relative, 'pids.max')) === String(limits.pidsLimit)
          && read(path.join(root, relative, 'memory.max')) === String(limits.memoryBytes);
      return limitsHold && dirsOf(relative).every((d) => existsSync(d) && statSync(d).uid === options.owner.uid);
    },

    /**
     * Removes the session's cgroups, deepest first, in every hierarchy (the engine also makes them under
     * name=systemd and the unified one). Cgroups still holding processes are left (and reported).
     */
    removeSession(sessionId: string): string[] {
      const left: string[] = [];
      for (const dir of allHierarchies(rel(sessionId))) removeTree(dir, left);
      // The server's own level goes with its last session (synchronous: no prepare interleaves here).
      for (const dir of allHierarchies(top)) {
        try {
          rmdirSync(dir);
        } catch {
          // ENOTEMPTY/EBUSY: other sessions still live here.
        }
      }
      return left;
    },

    /** Session ids that have cgroups here (for orphan sweeps). */
    listSessions(): string[] {
      const ids = new Set<string>();
      for (const dir of dirsOf(top)) {
        if (!existsSync(dir)) continue;
        for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory() && ID.test(e.name)) ids.add(e.name);
      }
      return [...ids];
    },
  };
}

export type NodeCgroups = ReturnType<typeof nodeCgroups>;

function removeTree(dir: string, left: string[]) {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeTree(path.join(dir, e.name), left);
  try {
    rmdirSync(dir);
  } catch (err) {
    // EBUSY: a process is still in it (a container not yet reaped); the next sweep retries.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') left.push(dir);
  }
}
