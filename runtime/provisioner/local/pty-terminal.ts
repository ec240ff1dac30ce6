/**
 * Adapts a node-pty process to the provisioner's Terminal interface.
 */
import type { IPty } from 'node-pty';
import type { Disposable, Terminal } from '../provisioner';

export function ptyTerminal(proc: IPty): Terminal {
  let closed = false;
  return {
    write(data) {
      if (!closed) proc.write(typeof data === 'string' ? data : Buffer.from(data));
    },
    onData(listener): Disposable {
      return proc.onData((d: string | Buffer) => listener(typeof d === 'string' ? Buffer.from(d) : d));
    },
    onExit(listener): Disposable {
      return proc.onExit(({ exitCode }) => {
        closed = true;
        listener(exitCode);
      });
    },
    async resize(cols, rows) {
      if (!closed) proc.resize(cols, rows);
    },
    pause: () => proc.pause(),
    resume: () => proc.resume(),
    close() {
      if (closed) return;
      closed = true;
      try {
        proc.kill('SIGHUP');
      } catch {
        /* already exited */
      }
    },
  };
}
