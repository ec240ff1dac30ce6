/**
 * An interactive shell in a container: `docker exec -it … bash -l` over a
 * hijacked connection, adapted to the provisioner's Terminal interface.
 *
 * Docker has no "kill exec" call, and dropping the connection of a TTY exec
 * does not end it: a closed tab running `top` or `docker logs -f` would leave
 * its processes in the node forever. So the shell records its pid (it is the
 * session leader of its TTY), and closing hangs the session up the way a real
 * terminal does (SIGHUP to every process of the session).
 */
import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { Disposable, Terminal } from '../provisioner';

export async function execTerminal(container: Docker.Container, size: { cols: number; rows: number }): Promise<Terminal> {
  const pidFile = `/run/labdock-terminal-${randomBytes(8).toString('hex')}.pid`;
  const exec = await container.exec({
    Cmd: ['/bin/sh', '-c', `echo $$ > ${pidFile} 2>/dev/null; exec bash -l`],
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
    // Also after a shell that exited by itself: its background jobs go, and so does the pid file.
    void hangUp(container, pidFile).then(() => exec.inspect()).then((i) => i.ExitCode, () => null).then((code) => {
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
      ended();
      stream.destroy();
    },
  };
}

/**
 * SIGHUP to the shell's whole session (pkill -s), as a terminal hang-up does; never throws.
 * The second look at the pid file covers a terminal closed the instant it opened.
 */
async function hangUp(container: Docker.Container, pidFile: string): Promise<void> {
  const script = `p=$(cat ${pidFile} 2>/dev/null || { sleep 0.2; cat ${pidFile} 2>/dev/null; }) || exit 0; rm -f ${pidFile}; pkill -HUP -s "$p" 2>/dev/null || kill -HUP "$p" 2>/dev/null; true`;
  try {
    const exec = await container.exec({ Cmd: ['/bin/sh', '-c', script], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    await new Promise<void>((resolve) => {
      // 5 s: the node is busy or gone; the hang-up is best effort, a session's destruction removes everything anyway.
      const timer = setTimeout(resolve, 5000);
      const done = () => (clearTimeout(timer), resolve());
      stream.on('end', done).on('close', done).on('error', done).resume();
    });
  } catch {
    /* the node is gone: nothing is left to hang up */
  }
}
