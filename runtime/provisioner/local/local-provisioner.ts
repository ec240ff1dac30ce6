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
import { spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import path from 'node:path';
import * as pty from 'node-pty';
import {
  ExecTimeoutError, NodeNotFoundError,
  type ExecOptions, type ExecResult, type NodeInfo, type NodeSpec, type Provisioner, type Terminal,
} from '../provisioner';
import { accountFiles, enterArgs, LEARNER_UID, sandboxArgs } from './sandbox-command';
import { ptyTerminal } from './pty-terminal';
import { BoundedOutput } from '../bounded-output';

export interface LocalProvisionerOptions {
  rootDir: string;
}

const BWRAP = '/usr/bin/bwrap';
const NSENTER = '/usr/bin/nsenter';
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

  const sessionDir = (sessionId: string) => {
    if (!ID.test(sessionId)) throw new Error(`invalid session id: ${sessionId}`);
    return path.join(rootDir, sessionId);
  };
  const nodeDir = (sessionId: string, node: string) => {
    if (!ID.test(node)) throw new NodeNotFoundError(sessionId, node);
    return path.join(sessionDir(sessionId), node);
  };

  function readInit(sessionId: string, node: string): InitRecord | null {
    const file = path.join(nodeDir(sessionId, node), 'init.json');
    if (!existsSync(file)) return null;
    const rec = JSON.parse(readFileSync(file, 'utf8')) as InitRecord;
    return startTimeOf(rec.pid) === rec.startTime ? rec : null;
  }

  function requireInit(sessionId: string, node: string): InitRecord {
    const rec = readInit(sessionId, node);
    if (!rec) throw new NodeNotFoundError(sessionId, node);
    return rec;
  }

  function nodesOf(sessionId: string): string[] {
    const dir = sessionDir(sessionId);
    return existsSync(dir) ? readdirSync(dir).filter((n) => ID.test(n)) : [];
  }

  return {
    kind: 'local',

    async createSession(sessionId) {
      mkdirSync(sessionDir(sessionId), { recursive: true, mode: 0o700 });
    },

    async createNode(sessionId, spec: NodeSpec): Promise<NodeInfo> {
      if (!existsSync(sessionDir(sessionId))) throw new Error(`session ${sessionId} does not exist`);
      if (spec.service) throw new Error(`node ${spec.name} is a service node (${spec.image}): only the docker provisioner runs those`);
      const dir = nodeDir(sessionId, spec.name);
      if (readInit(sessionId, spec.name)) throw new Error(`node ${spec.name} already exists in session ${sessionId}`);
      const home = path.join(dir, 'home');
      const tmp = path.join(dir, 'tmp');
      for (const d of [home, tmp]) {
        mkdirSync(d, { recursive: true });
        chownSync(d, LEARNER_UID, LEARNER_UID);
      }
      const accounts = accountFiles(readFileSync('/etc/passwd', 'utf8'), readFileSync('/etc/group', 'utf8'));
      const passwd = path.join(dir, 'passwd');
      const group = path.join(dir, 'group');
      writeFileSync(passwd, accounts.passwd);
      writeFileSync(group, accounts.group);

      // bwrap reports the sandbox's init pid as JSON on fd 3; a file keeps it simple and detached.
      const infoFile = path.join(dir, 'bwrap-info.json');
      const infoFd = openSync(infoFile, 'w');
      const child = spawn(BWRAP, sandboxArgs(spec.hostname, { home, tmp, passwd, group }), {
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe', infoFd],
      });
      closeSync(infoFd);
      let stderr = '';
      child.stderr?.on('data', (d) => (stderr += d));
      const pid = await waitForChildPid(infoFile, child, () => stderr);
      await waitForSandbox(pid);
      child.stderr?.destroy();
      child.unref();
      const record: InitRecord = { pid, startTime: startTimeOf(pid) ?? '', hostname: spec.hostname };
      writeFileSync(path.join(dir, 'init.json'), JSON.stringify(record));
      if (spec.env) writeFileSync(path.join(dir, 'env.json'), JSON.stringify(spec.env));
      return { name: spec.name, hostname: spec.hostname, ref: String(pid) };
    },

    async exec(sessionId, node, command, opts: ExecOptions = {}): Promise<ExecResult> {
      const rec = requireInit(sessionId, node);
      const timeoutMs = opts.timeoutMs ?? 30_000;
      const child = spawn(NSENTER, enterArgs(rec.pid, { ...nodeEnv(nodeDir(sessionId, node)), ...opts.env }, ['/bin/bash', '-c', command]), {
        detached: true, // its own process group, so a timeout kills everything it started
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const output = new BoundedOutput();
      child.stdout.on('data', (d: Buffer) => output.push(d));
      child.stderr.on('data', (d: Buffer) => output.push(d));
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.stdin ?? '');
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          killGroup(child.pid);
          reject(new ExecTimeoutError(command, timeoutMs));
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
      const proc = pty.spawn(NSENTER, enterArgs(rec.pid, nodeEnv(nodeDir(sessionId, node)), ['/bin/bash', '-l']), {
        name: 'xterm-256color',
        cols: size.cols,
        rows: size.rows,
        encoding: null,
      } as pty.IPtyForkOptions);
      return ptyTerminal(proc);
    },

    async destroySession(sessionId) {
      const dir = sessionDir(sessionId);
      if (!existsSync(dir)) return;
      const inits: number[] = [];
      for (const node of nodesOf(sessionId)) {
        const rec = readInit(sessionId, node);
        // Killing a PID namespace's init ends every process in it.
        if (rec) {
          killPid(rec.pid);
          inits.push(rec.pid);
        }
      }
      // The kernel tears the namespace down asynchronously: a shell still writing
      // its history would refill the home directory under rmSync (ENOTEMPTY).
      await Promise.all(inits.map((pid) => waitForExit(pid)));
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    },

    async listSessions() {
      return readdirSync(rootDir).filter((n) => ID.test(n));
    },

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

async function waitForChildPid(infoFile: string, child: ReturnType<typeof spawn>, stderr: () => string): Promise<number> {
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? 1));
  // bwrap writes the pid within milliseconds; 5 s means something is wrong with the host.
  for (let i = 0; i < 500; i++) {
    const text = existsSync(infoFile) ? readFileSync(infoFile, 'utf8') : '';
    const m = /"child-pid":\s*(\d+)/.exec(text);
    if (m) return Number(m[1]);
    if (exited !== null) throw new Error(`bubblewrap exited (${exited}): ${stderr().trim() || 'no message'}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  killGroup(child.pid);
  throw new Error('bubblewrap did not start a sandbox within 5 s');
}

/**
 * bwrap reports the init pid before it has finished building the sandbox's
 * mounts; entering then would find an empty root. The sandbox is complete
 * once its init has started the payload (`sleep infinity`) as a child.
 */
async function waitForSandbox(pid: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    } catch {
      throw new Error('the sandbox exited while starting');
    }
    if (children && existsSync(`/proc/${pid}/root/usr/bin/setpriv`)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('the sandbox did not finish starting within 2.5 s');
}

async function waitForExit(pid: number): Promise<void> {
  // 2 s: a SIGKILLed namespace is gone in milliseconds; past that, rmSync's retries take over.
  for (let i = 0; i < 200 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 10));
}

function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime) after the ")" that ends the command name.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function killPid(pid: number) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

function killGroup(pid: number | undefined) {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    killPid(pid);
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0;
}
