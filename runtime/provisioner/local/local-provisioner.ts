/**
 * The local provisioner: nodes are bubblewrap sandboxes on this host, for labs
 * that need no container engine (and for `npm start` without Docker).
 *
 *   const local = createLocalProvisioner({ rootDir: 'var/local-nodes' });
 *   await local.createSession('s1');
 *   await local.createNode('s1', { name: 'node1', hostname: 'node1', image: 'node' });
 *
 * State lives on disk (rootDir/<session>/<node>/{home,tmp,init}), so a
 * restarted server finds its sandboxes again: they are started detached and
 * outlive the server process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as pty from 'node-pty';
import {
  ExecTimeoutError, NodeNotFoundError,
  type ExecOptions, type ExecResult, type NodeInfo, type NodeSpec, type Provisioner, type Terminal,
} from '../provisioner';
import { accountFiles, enterArgs, inCgroups, LEARNER_UID_BASE, LEARNER_UID_COUNT, sandboxArgs } from './sandbox-command';
import { nodeCgroups, type NodeLimits } from '../docker/node-cgroups';
import { ptyTerminal } from './pty-terminal';
import { processStat, signalMembers, signalNumber, signalPid, waitForExit } from './host-processes';
import { startSandbox } from './start-sandbox';
import { BoundedOutput } from '../bounded-output';
import type { SessionDisks } from '../disk/session-disk';

export interface LocalProvisionerOptions {
  rootDir: string;
  /** Per node: memory, pids and CPU, enforced by a cgroup every process of the node starts in. */
  limits?: Partial<NodeLimits>;
  /** Where the cgroup tree is (tests); default /sys/fs/cgroup. */
  cgroupRoot?: string;
  /**
   * Each session's disk budget (disk/session-disk.ts, made with `dir: rootDir`): the session's
   * directory is its disk image's mount point, so its nodes' home and /tmp stop at the budget.
   */
  disks?: SessionDisks;
}

/** A sandbox runs a shell and a lab's tools, not a Docker engine: smaller than a DinD node. */
const DEFAULT_LIMITS: NodeLimits = { memoryBytes: 512 * 1024 * 1024, nanoCpus: 1e9, pidsLimit: 512 };

const BWRAP = '/usr/bin/bwrap';
const NSENTER = '/usr/bin/nsenter';
const SH = '/bin/sh';
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

interface InitRecord {
  pid: number;
  /** /proc/<pid>/stat start time: a reused pid is not our sandbox. */
  startTime: string;
  hostname: string;
}

export function createLocalProvisioner(options: LocalProvisionerOptions): Provisioner {
  const rootDir = path.resolve(options.rootDir);
  mkdirSync(rootDir, { recursive: true, mode: 0o700 });
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  // Owned by root: nothing is delegated to a sandbox, its processes only live in these cgroups.
  // One tree per root directory, so two servers (or a test) never sweep each other's.
  const cgroups = nodeCgroups({
    owner: { uid: 0, gid: 0 },
    top: `labdock/local-${createHash('sha256').update(rootDir).digest('hex').slice(0, 12)}`,
    ...(options.cgroupRoot ? { root: options.cgroupRoot } : {}),
  });

  const sessionDir = (sessionId: string) => {
    if (!ID.test(sessionId)) throw new Error(`invalid session id: ${sessionId}`);
    return path.join(rootDir, sessionId);
  };
  // Beside the session's directory, not in it: a session disk a reboot unmounted still tells which uid its session holds.
  const uidFile = (sessionId: string) => `${sessionDir(sessionId)}.uid`;
  const nodeDir = (sessionId: string, node: string) => {
    if (!ID.test(node)) throw new NodeNotFoundError(sessionId, node);
    return path.join(sessionDir(sessionId), node);
  };

  function readInit(sessionId: string, node: string): InitRecord | null {
    const file = path.join(nodeDir(sessionId, node), 'init.json');
    if (!existsSync(file)) return null;
    const rec = JSON.parse(readFileSync(file, 'utf8')) as InitRecord;
    return processStat(rec.pid)?.startTime === rec.startTime ? rec : null;
  }

  function requireInit(sessionId: string, node: string): InitRecord {
    const rec = readInit(sessionId, node);
    if (!rec) throw new NodeNotFoundError(sessionId, node);
    return rec;
  }

  /** The session's learner uid, chosen when the session was made. */
  function learnerUid(sessionId: string): number {
    const file = uidFile(sessionId);
    if (!existsSync(file)) throw new Error(`session ${sessionId} has no learner uid`);
    return Number(readFileSync(file, 'utf8'));
  }

  /** The lowest uid of the range no live session holds. Synchronous: no other creation interleaves. */
  function allocateUid(sessionId: string): number {
    const used = new Set<number>();
    for (const s of readdirSync(rootDir).filter((n) => n.endsWith('.uid') && n !== `${sessionId}.uid`)) {
      used.add(Number(readFileSync(path.join(rootDir, s), 'utf8')));
    }
    for (let uid = LEARNER_UID_BASE; uid < LEARNER_UID_BASE + LEARNER_UID_COUNT; uid++) if (!used.has(uid)) return uid;
    throw new Error('every learner uid is in use: too many local sessions on this host');
  }

  /** Starts a node's sandbox on the files its directory holds (a new node, or a resumed one). */
  async function launch(sessionId: string, node: string, hostname: string): Promise<number> {
    const dir = nodeDir(sessionId, node);
    const files = { home: path.join(dir, 'home'), tmp: path.join(dir, 'tmp'), passwd: path.join(dir, 'passwd'), group: path.join(dir, 'group') };
    const pid = await startSandbox(SH, [...inCgroups(cgroups.prepare(sessionId, node, limits).dirs), BWRAP, ...sandboxArgs(hostname, files)], path.join(dir, 'bwrap-info.json'));
    const record: InitRecord = { pid, startTime: processStat(pid)?.startTime ?? '', hostname };
    writeFileSync(path.join(dir, 'init.json'), JSON.stringify(record));
    return pid;
  }

  function nodesOf(sessionId: string): string[] {
    const dir = sessionDir(sessionId);
    return existsSync(dir) ? readdirSync(dir).filter((n) => ID.test(n)) : [];
  }

  return {
    kind: 'local',

    async createSession(sessionId) {
      // The session's directory is its disk's mount point (the filesystem's root: owned by root, closed to others).
      await options.disks?.prepare(sessionId);
      mkdirSync(sessionDir(sessionId), { recursive: true, mode: 0o700 });
      chmodSync(sessionDir(sessionId), 0o700);
      if (!existsSync(uidFile(sessionId))) writeFileSync(uidFile(sessionId), String(allocateUid(sessionId)));
    },

    async createNode(sessionId, spec: NodeSpec): Promise<NodeInfo> {
      if (!existsSync(sessionDir(sessionId))) throw new Error(`session ${sessionId} does not exist`);
      if (spec.service) throw new Error(`node ${spec.name} is a service node (${spec.image}): only the docker provisioner runs those`);
      const dir = nodeDir(sessionId, spec.name);
      if (readInit(sessionId, spec.name)) throw new Error(`node ${spec.name} already exists in session ${sessionId}`);
      const home = path.join(dir, 'home');
      const tmp = path.join(dir, 'tmp');
      const uid = learnerUid(sessionId);
      for (const d of [home, tmp]) {
        mkdirSync(d, { recursive: true, mode: 0o700 });
        chownSync(d, uid, uid);
      }
      const accounts = accountFiles(readFileSync('/etc/passwd', 'utf8'), readFileSync('/etc/group', 'utf8'), uid);
      const passwd = path.join(dir, 'passwd');
      const group = path.join(dir, 'group');
      writeFileSync(passwd, accounts.passwd);
      writeFileSync(group, accounts.group);

      const pid = await launch(sessionId, spec.name, spec.hostname);
      if (spec.env) writeFileSync(path.join(dir, 'env.json'), JSON.stringify(spec.env));
      return { name: spec.name, hostname: spec.hostname, ref: String(pid) };
    },

    // Pause: the sandboxes' processes are killed (a sandbox runs no service that needs a clean stop);
    // home, tmp and the account files stay on disk, and init.json keeps the hostname for resume.
    async pauseSession(sessionId) {
      const inits = nodesOf(sessionId).map((node) => readInit(sessionId, node)?.pid).filter((pid): pid is number => !!pid);
      for (const pid of inits) signalPid(pid, 'SIGKILL');
      await Promise.all(inits.map((pid) => waitForExit(pid, 2000)));
      await options.disks?.park(sessionId);
    },

    async resumeSession(sessionId) {
      const started: string[] = [];
      // Its budget held again (or refused: it stays paused), and its disk mounted again after a reboot.
      await options.disks?.unpark(sessionId);
      await options.disks?.restore(sessionId);
      for (const node of nodesOf(sessionId)) {
        const file = path.join(nodeDir(sessionId, node), 'init.json');
        if (!existsSync(file) || readInit(sessionId, node)) continue;
        const { hostname } = JSON.parse(readFileSync(file, 'utf8')) as InitRecord;
        await launch(sessionId, node, hostname);
        started.push(node);
      }
      return started;
    },

    async exec(sessionId, node, command, opts: ExecOptions = {}): Promise<ExecResult> {
      const rec = requireInit(sessionId, node);
      const timeoutMs = opts.timeoutMs ?? 30_000;
      const enter = enterArgs(rec.pid, learnerUid(sessionId), { ...nodeEnv(nodeDir(sessionId, node)), ...opts.env }, ['/bin/bash', '-c', command]);
      const child = spawn(SH, [...inCgroups(cgroups.dirs(sessionId, node)), NSENTER, ...enter], {
        detached: true, // its own session and process group, so a timeout finds everything it started
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const output = new BoundedOutput();
      child.stdout.on('data', (d: Buffer) => output.push(d));
      child.stderr.on('data', (d: Buffer) => output.push(d));
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.stdin ?? '');
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          killCommand(child);
          reject(new ExecTimeoutError(command, timeoutMs, output.text()));
        }, timeoutMs);
        child.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ exitCode: code ?? (signal ? 128 + signalNumber(signal) : 1), output: output.text() });
        });
      });
    },

    async openTerminal(sessionId, node, size): Promise<Terminal> {
      const rec = requireInit(sessionId, node);
      const enter = enterArgs(rec.pid, learnerUid(sessionId), nodeEnv(nodeDir(sessionId, node)), ['/bin/bash', '-l']);
      const proc = pty.spawn(SH, [...inCgroups(cgroups.dirs(sessionId, node)), NSENTER, ...enter], {
        name: 'xterm-256color',
        cols: size.cols,
        rows: size.rows,
        encoding: null,
      } as pty.IPtyForkOptions);
      return ptyTerminal(proc);
    },

    async destroySession(sessionId) {
      const dir = sessionDir(sessionId);
      if (!existsSync(dir)) {
        await options.disks?.remove(sessionId);
        rmSync(uidFile(sessionId), { force: true });
        return;
      }
      const inits: number[] = [];
      for (const node of nodesOf(sessionId)) {
        const rec = readInit(sessionId, node);
        // Killing a PID namespace's init ends every process in it.
        if (rec) {
          signalPid(rec.pid, 'SIGKILL');
          inits.push(rec.pid);
        }
      }
      // The kernel tears the namespace down asynchronously: a shell still writing
      // its history would refill the home directory under rmSync (ENOTEMPTY).
      // 2 s: a SIGKILLed namespace is gone in milliseconds; past that, rmSync's retries take over.
      await Promise.all(inits.map((pid) => waitForExit(pid, 2000)));
      // A session disk goes whole (unmounted, its image deleted); its mount point cannot be removed from inside.
      if (options.disks) await options.disks.remove(sessionId);
      else rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      rmSync(uidFile(sessionId), { force: true });
      cgroups.removeSession(sessionId);
    },

    async listSessions() {
      // Session directories, and disk images whose session directory a crash took (disks.list()).
      const ids = new Set(readdirSync(rootDir).filter((n) => ID.test(n)));
      for (const id of await options.disks?.list() ?? []) if (ID.test(id)) ids.add(id);
      return [...ids];
    },

    ...(options.disks ? { diskUsage: (sessionId: string) => options.disks!.usage(sessionId) } : {}),

    async isNodeAlive(sessionId, node) {
      try {
        return readInit(sessionId, node) !== null;
      } catch {
        return false;
      }
    },
  };
}

function nodeEnv(dir: string): Record<string, string> {
  const file = path.join(dir, 'env.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

/**
 * Kills a timed-out command: first everything nsenter started (so nsenter reaps
 * its own child: see host-processes.ts), twice to catch processes forked
 * meanwhile, then nsenter itself if it has not exited by then.
 */
function killCommand(child: ChildProcess) {
  const leader = child.pid;
  if (!leader) return;
  signalMembers(leader, 'pgrp', 'SIGKILL');
  signalMembers(leader, 'pgrp', 'SIGKILL');
  // 1 s: nsenter exits as soon as its child is reaped; still running then means it is stuck.
  setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) signalPid(-leader, 'SIGKILL');
  }, 1000).unref();
}
