/**
 * An interactive shell in a container: `docker exec -it … bash -l` over a
 * hijacked connection, adapted to the provisioner's Terminal interface.
 */
import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import type { Disposable, Terminal } from '../provisioner';

export async function execTerminal(container: Docker.Container, size: { cols: number; rows: number }): Promise<Terminal> {
  const exec = await container.exec({
    Cmd: ['bash', '-l'],
    AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true,
    Env: ['TERM=xterm-256color', 'LANG=C.UTF-8'],
    WorkingDir: '/root',
  });
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
  await exec.resize({ h: size.rows, w: size.cols }).catch(() => undefined);
  let closed = false;
  const exitListeners = new Set<(code: number | null) => void>();
  const ended = () => {
    if (closed) return;
    closed = true;
    void exec.inspect().then((i) => i.ExitCode, () => null).then((code) => {
      for (const l of exitListeners) l(code);
    });
  };
  stream.on('end', ended);
  stream.on('close', ended);
  stream.on('error', ended);
  return {
    write(data) {
      if (!closed) stream.write(typeof data === 'string' ? data : Buffer.from(data));
    },
    onData(listener): Disposable {
      const h = (d: Buffer) => listener(d);
      stream.on('data', h);
      return { dispose: () => stream.off('data', h) };
    },
    onExit(listener): Disposable {
      exitListeners.add(listener);
      return { dispose: () => exitListeners.delete(listener) };
    },
    async resize(cols, rows) {
      if (!closed) await exec.resize({ h: rows, w: cols });
    },
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    close() {
      if (closed) return;
      // Ctrl-D then hang up: the shell exits instead of lingering in the node.
      stream.write('\x04');
      stream.end();
      stream.destroy();
      ended();
    },
  };
}
