/**
 * Adapts a node-pty process (nsenter into a sandbox, running `bash -l`) to the
 * provisioner's Terminal interface.
 *
 * Closing hangs the terminal up the way a real one does: SIGHUP (and SIGCONT,
 * for stopped jobs) to every process of the pty's session except nsenter, which
 * then reaps the shell and exits by itself (see host-processes.ts for why the
 * order matters).
 */
import type { IPty } from 'node-pty';
import type { Disposable, Terminal } from '../provisioner';
import { signalMembers } from './host-processes';

export function ptyTerminal(proc: IPty): Terminal {
  let closed = false;
  let exited = false;
  proc.onExit(() => {
    exited = true;
    closed = true;
  });
  /** node-pty's kill on a pid that has exited could hit a reused pid. */
  const kill = (signal: NodeJS.Signals) => {
    if (exited) return;
    try {
      proc.kill(signal);
    } catch {
      /* already exited */
    }
  };
  return {
    write(data) {
      if (!closed) proc.write(typeof data === 'string' ? data : Buffer.from(data));
    },
    onData(listener): Disposable {
      return proc.onData((d: string | Buffer) => listener(typeof d === 'string' ? Buffer.from(d) : d));
    },
    onExit(listener): Disposable {
      return proc.onExit(({ exitCode, signal }) => listener(signal ? 128 + signal : exitCode));
    },
    async resize(cols, rows) {
      if (!closed) proc.resize(cols, rows);
    },
    pause: () => proc.pause(),
    resume: () => proc.resume(),
    close() {
      if (closed) return;
      closed = true;
      // node-pty starts its child (nsenter) in a new session, so the session id is nsenter's pid.
      const hungUp = signalMembers(proc.pid, 'session', 'SIGHUP');
      signalMembers(proc.pid, 'session', 'SIGCONT');
      if (!hungUp) kill('SIGHUP');
      // 2 s: a shell exits on SIGHUP at once; one that is still there is stuck, and nsenter goes instead.
      const fallback = setTimeout(() => kill('SIGKILL'), 2000);
      fallback.unref();
      proc.onExit(() => clearTimeout(fallback));
    },
  };
}
