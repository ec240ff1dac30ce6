/**
 * Waits until a new node answers its readiness command (its own dockerd, or a
 * service's probe), and otherwise fails with what the node said about why.
 *
 *   await waitReady(container, 'node1', ['docker', 'version'], 60_000);
 */
import type Docker from 'dockerode';
import { Demuxer } from './demux';
import { runExec } from './run-exec';

export async function waitReady(container: Docker.Container, node: string, readyCommand: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const what = `node ${node} did not become ready (${readyCommand.join(' ')})`;
  let last = '';
  while (Date.now() < deadline) {
    const r = await runExec(container, readyCommand, { timeoutMs: 5000 }).catch((e) => ({ exitCode: 1, output: String(e) }));
    if (r.exitCode === 0) return;
    last = r.output;
    const state = (await container.inspect()).State;
    // Restarting: its init exited and the engine's restart policy brings it back; it failed all the same.
    if (!state.Running || state.Restarting) throw new Error(`${what}: its container exited (${state.ExitCode})\n${await containerLog(container)}`);
    // dockerd answers ~0.5 s after start here; poll often so a node is usable as soon as it can be.
    await new Promise((r2) => setTimeout(r2, 100));
  }
  // dockerd's log is mostly gRPC chatter at level=info: the lines above it say why it stopped.
  const log = await runExec(container, ['sh', '-c', "grep -v 'level=info' /var/log/dockerd.log 2>/dev/null | tail -n 8"], { timeoutMs: 5000 }).catch(() => ({ output: '' }));
  throw new Error(`${what}: ${last.trim()}\n${log.output.trim() || await containerLog(container)}`);
}

/** The last lines a container printed, for error messages. */
async function containerLog(container: Docker.Container): Promise<string> {
  const raw = await container.logs({ stdout: true, stderr: true, tail: 10, follow: false }).catch(() => Buffer.alloc(0));
  const lines: string[] = [];
  new Demuxer((payload) => lines.push(payload.toString('utf8'))).push(Buffer.from(raw));
  return lines.join('').trim();
}
