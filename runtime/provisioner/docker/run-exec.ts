/**
 * One command in a container, as the provisioner's exec: stdout and stderr
 * interleaved (Tty=false, demultiplexed), optional stdin, and a timeout that
 * kills everything the command started.
 *
 *   const { exitCode, output } = await runExec(container, ['bash', '-c', 'hostname'], { timeoutMs: 5000 });
 */
import type Docker from 'dockerode';
import { ExecTimeoutError, type ExecOptions, type ExecResult } from '../provisioner';
import { BoundedOutput } from '../bounded-output';
import { Demuxer } from './demux';

export async function runExec(container: Docker.Container, command: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  // `timeout` in the node kills the whole process group, so nothing outlives a timed-out command.
  const exec = await container.exec({
    Cmd: ['timeout', '-s', 'KILL', (timeoutMs / 1000).toFixed(3), ...command],
    AttachStdout: true, AttachStderr: true, AttachStdin: opts.stdin !== undefined,
    Env: Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
    WorkingDir: '/root',
  });
  const stream = await exec.start({ hijack: true, stdin: opts.stdin !== undefined });
  const output = new BoundedOutput();
  const demux = new Demuxer((payload) => output.push(Buffer.from(payload)));
  stream.on('data', (d: Buffer) => demux.push(d));
  if (opts.stdin !== undefined) stream.end(opts.stdin);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new ExecTimeoutError(command.join(' '), timeoutMs, output.text()));
    }, timeoutMs + 2000);
    stream.on('end', () => (clearTimeout(timer), resolve()));
    stream.on('close', () => (clearTimeout(timer), resolve()));
    stream.on('error', (err: Error) => (clearTimeout(timer), reject(err)));
  });
  const { ExitCode } = await exec.inspect();
  if (ExitCode === 137 && Date.now() - started >= timeoutMs - 50) throw new ExecTimeoutError(command.join(' '), timeoutMs, output.text());
  return { exitCode: ExitCode ?? 1, output: output.text() };
}
