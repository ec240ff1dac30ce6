/**
 * TerminalHub keeps one live shell per session node, shared by every browser tab
 * attached to it, with scrollback for reconnects and per-client flow control.
 *
 *   const hub = new TerminalHub({ open: (s, n, size) => provisioner.openTerminal(s, n, size) });
 *   const client = await hub.attach('s1', 'node1', { send, sendControl }, { cols: 80, rows: 24 });
 *   client.input(bytes); client.ack(n); client.resize(100, 30); client.detach();
 *
 * Flow control: each client counts bytes sent but not yet acknowledged; the
 * shell is paused while any client is above HIGH_WATERMARK and resumed once
 * all are below LOW_WATERMARK (wetty's scheme), so a `yes` in one terminal
 * cannot grow the server's memory without bound.
 */
import type { Disposable, Terminal } from '../provisioner/provisioner';
import type { ServerMessage } from './protocol';
import { HIGH_WATERMARK, LOW_WATERMARK, SCROLLBACK_BYTES } from './protocol';
import { Scrollback } from './scrollback';

export interface TerminalSink {
  send(chunk: Uint8Array): void;
  sendControl(message: ServerMessage): void;
  /** Close this client's transport (the shell ended or the session is gone). */
  close(code: number, reason: string): void;
}

export interface AttachedClient {
  input(data: Uint8Array | string): void;
  ack(bytes: number): void;
  resize(cols: number, rows: number): void;
  detach(): void;
}

export interface TerminalHubOptions {
  open(sessionId: string, node: string, size: { cols: number; rows: number }): Promise<Terminal>;
  onActivity?(sessionId: string): void;
  highWatermark?: number;
  lowWatermark?: number;
  scrollbackBytes?: number;
}

interface ClientState {
  sink: TerminalSink;
  unacked: number;
  /** A read-only watcher (an instructor's mirror): never types, never resizes, never holds the shell back. */
  watcher?: boolean;
}

interface Shell {
  terminal: Terminal;
  scrollback: Scrollback;
  clients: Set<ClientState>;
  paused: boolean;
  subscriptions: Disposable[];
}

export class TerminalHub {
  private readonly shells = new Map<string, Shell>();
  private readonly opening = new Map<string, Promise<Shell>>();
  private readonly high: number;
  private readonly low: number;
  private readonly scrollbackBytes: number;

  constructor(private readonly options: TerminalHubOptions) {
    this.high = options.highWatermark ?? HIGH_WATERMARK;
    this.low = options.lowWatermark ?? LOW_WATERMARK;
    this.scrollbackBytes = options.scrollbackBytes ?? SCROLLBACK_BYTES;
  }

  async attach(sessionId: string, node: string, sink: TerminalSink, size: { cols: number; rows: number }, options: { watcher?: boolean } = {}): Promise<AttachedClient> {
    const key = keyOf(sessionId, node);
    const existing = this.shells.get(key);
    const shell = existing ?? (await this.openShell(key, sessionId, node, size));
    const state: ClientState = { sink, unacked: 0, watcher: !!options.watcher };
    if (state.watcher) return this.watch(shell, state);
    const replay = shell.scrollback.length > 0;
    sink.sendControl({ type: 'attached', node, replay });
    if (replay) this.deliver(shell, state, shell.scrollback.snapshot());
    shell.clients.add(state);
    if (existing) void shell.terminal.resize(size.cols, size.rows).catch(() => undefined);

    return {
      input: (data) => {
        shell.terminal.write(data);
        this.options.onActivity?.(sessionId);
      },
      ack: (bytes) => {
        state.unacked = Math.max(0, state.unacked - bytes);
        this.updateFlow(shell);
      },
      resize: (cols, rows) => void shell.terminal.resize(cols, rows).catch(() => undefined),
      detach: () => {
        shell.clients.delete(state);
        this.updateFlow(shell);
      },
    };
  }

  /** A read-only client: output with scrollback; its input and size are ignored, and a slow one misses output rather than pausing the shell. */
  private watch(shell: Shell, state: ClientState): AttachedClient {
    state.sink.sendControl({ type: 'attached', node: '', replay: shell.scrollback.length > 0 });
    if (shell.scrollback.length > 0) this.deliver(shell, state, shell.scrollback.snapshot());
    shell.clients.add(state);
    return {
      input: () => undefined,
      resize: () => undefined,
      ack: (bytes) => {
        state.unacked = Math.max(0, state.unacked - bytes);
      },
      detach: () => {
        shell.clients.delete(state);
      },
    };
  }

  /** Ends every shell of a session (session ended or reset) and disconnects its clients. */
  closeSession(sessionId: string, code: number, reason: string): void {
    for (const [key, shell] of this.shells) {
      if (!key.startsWith(`${sessionId}/`)) continue;
      this.shells.delete(key);
      for (const c of shell.clients) c.sink.close(code, reason);
      this.dispose(shell);
    }
  }

  closeAll(code: number, reason: string): void {
    for (const key of [...this.shells.keys()]) this.closeSession(key.split('/')[0], code, reason);
  }

  /** Live shells, for tests and metrics. */
  get size(): number {
    return this.shells.size;
  }

  private openShell(key: string, sessionId: string, node: string, size: { cols: number; rows: number }): Promise<Shell> {
    // Two tabs attaching at once must share one shell, not race to open two.
    const pending = this.opening.get(key);
    if (pending) return pending;
    const promise = this.options.open(sessionId, node, size).then((terminal) => {
      const shell: Shell = { terminal, scrollback: new Scrollback(this.scrollbackBytes), clients: new Set(), paused: false, subscriptions: [] };
      shell.subscriptions.push(
        terminal.onData((chunk) => {
          shell.scrollback.push(chunk);
          for (const c of shell.clients) this.deliver(shell, c, chunk);
        }),
        terminal.onExit((code) => {
          if (this.shells.get(key) !== shell) return;
          this.shells.delete(key);
          for (const c of shell.clients) c.sink.sendControl({ type: 'exit', code });
          this.dispose(shell);
        }),
      );
      this.shells.set(key, shell);
      return shell;
    });
    this.opening.set(key, promise);
    return promise.finally(() => this.opening.delete(key));
  }

  private deliver(shell: Shell, client: ClientState, chunk: Uint8Array): void {
    if (client.watcher && client.unacked > this.high) return;
    client.sink.send(chunk);
    client.unacked += chunk.length;
    this.updateFlow(shell);
  }

  private updateFlow(shell: Shell): void {
    let worst = 0;
    for (const c of shell.clients) if (!c.watcher) worst = Math.max(worst, c.unacked);
    if (!shell.paused && worst > this.high) {
      shell.paused = true;
      shell.terminal.pause();
    } else if (shell.paused && worst < this.low) {
      shell.paused = false;
      shell.terminal.resume();
    }
  }

  private dispose(shell: Shell): void {
    for (const s of shell.subscriptions) s.dispose();
    shell.clients.clear();
    shell.terminal.close();
  }
}

function keyOf(sessionId: string, node: string): string {
  return `${sessionId}/${node}`;
}
