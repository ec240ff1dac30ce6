/**
 * Starts one node's bubblewrap sandbox, detached so that it outlives the
 * server (a restarted server re-adopts it from init.json), and returns the
 * host pid of the sandbox's init once the sandbox can be entered.
 *
 *   const pid = await startSandbox('/bin/sh', [...inCgroups(dirs), BWRAP, ...sandboxArgs(hostname, paths)], path.join(dir, 'bwrap-info.json'));
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { signalPid } from './host-processes';

export async function startSandbox(command: string, args: string[], infoFile: string): Promise<number> {
  // bwrap reports the sandbox's init pid as JSON on fd 3 (--info-fd 3); a file keeps it simple and detached.
  const infoFd = openSync(infoFile, 'w');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe', infoFd] });
  closeSync(infoFd);
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  try {
    const pid = await waitForChildPid(infoFile, child, () => stderr);
    await waitForSandbox(pid);
    return pid;
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) signalPid(-child.pid!, 'SIGKILL');
    throw err;
  } finally {
    child.stderr?.destroy();
    child.unref();
  }
}

async function waitForChildPid(infoFile: string, child: ChildProcess, stderr: () => string): Promise<number> {
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? 1));
  child.once('error', () => (exited = 127));
  // bwrap writes the pid within milliseconds; 5 s means something is wrong with the host.
  for (let i = 0; i < 500; i++) {
    const text = existsSync(infoFile) ? readFileSync(infoFile, 'utf8') : '';
    const m = /"child-pid":\s*(\d+)/.exec(text);
    if (m) return Number(m[1]);
    if (exited !== null) throw new Error(`bubblewrap exited (${exited}): ${stderr().trim() || 'no message'}`);
    await new Promise((r) => setTimeout(r, 10));
  }
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
