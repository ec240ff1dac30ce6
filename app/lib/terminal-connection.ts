/**
 * One terminal's WebSocket, per runtime/terminal/protocol.ts: binary frames
 * are shell bytes, text frames JSON control messages. Acknowledges rendered
 * output for the server's flow control, clears the screen before a scrollback
 * replay, and reconnects with backoff unless the close code says it is over.
 * Knows nothing about xterm or the DOM, so it is tested against a real `ws`
 * server in Node.
 *
 *   const conn = new TerminalConnection({ url: () => terminalUrl(location, id, node), connect: browserSocket,
 *     write: (bytes, done) => term.write(bytes, done), clear: () => term.reset(), onState: setState });
 *   conn.start();
 *   term.onData((d) => conn.input(d));
 */
import { ACK_EVERY_BYTES, parseServerMessage, type ClientMessage } from '@/runtime/terminal/protocol';
import { AckCounter } from './ack-counter';
import { isFinalClose, reconnectDelay } from './reconnect-delay';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'exited' | 'closed';

export interface SocketHandlers {
  open(): void;
  /** `string` for text frames, ArrayBuffer for binary ones. */
  message(data: string | ArrayBuffer): void;
  close(code: number, reason: string): void;
}

export interface SocketControl {
  send(data: string | Uint8Array): void;
  close(code: number, reason: string): void;
}

/** Opens a socket to `url` reporting to `handlers`; browserSocket in the browser, a `ws` client in tests. */
export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketControl;

export interface TerminalConnectionOptions {
  /** Called on every (re)connect, so the current terminal size goes into the query. */
  url(): string;
  connect: SocketFactory;
  /** Render bytes; call `done` once they are on screen (xterm's write callback). */
  write(bytes: Uint8Array, done: () => void): void;
  /** Clear the screen before the server replays the scrollback. */
  clear(): void;
  onState(state: ConnectionState, detail?: string): void;
  onServerError?(message: string): void;
  random?: () => number;
}

const encoder = new TextEncoder();
/** Keys typed while (re)connecting are held and sent on open, up to this much: a line or two of typing ahead, not a paste of stale input. */
const TYPE_AHEAD_BYTES = 4096;

export class TerminalConnection {
  private socket: SocketControl | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private current: ConnectionState = 'connecting';
  private typedAhead: Uint8Array[] = [];

  constructor(private readonly options: TerminalConnectionOptions) {}

  get state(): ConnectionState {
    return this.current;
  }

  /** Connects on the next tick: React's StrictMode mounts, unmounts and remounts at once, and a socket opened and closed in the same tick only spams the console. */
  start(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.open(), 0);
  }

  /** Keyboard input; held while (re)connecting; false when nothing will take it (shell exited, closed for good, or too much held). */
  input(data: string | Uint8Array): boolean {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    if (this.current === 'open' && this.socket) {
      this.socket.send(bytes);
      return true;
    }
    if (this.current !== 'connecting' && this.current !== 'reconnecting') return false;
    const held = this.typedAhead.reduce((n, b) => n + b.byteLength, 0);
    if (held + bytes.byteLength > TYPE_AHEAD_BYTES) return false;
    this.typedAhead.push(bytes);
    return true;
  }

  resize(cols: number, rows: number): void {
    this.control({ type: 'resize', cols, rows });
  }

  /** A fresh connection now (after the shell exited, or a manual retry): the server opens a new shell. */
  restart(): void {
    if (this.disposed) return;
    clearTimeout(this.timer);
    this.drop('restart');
    this.attempt = 0;
    this.open();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.drop('terminal closed');
  }

  private control(message: ClientMessage): void {
    if (this.current === 'open' || this.current === 'exited') this.socket?.send(JSON.stringify(message));
  }

  private setState(state: ConnectionState, detail?: string): void {
    this.current = state;
    this.options.onState(state, detail);
  }

  private drop(reason: string): void {
    this.typedAhead = [];
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, reason);
  }

  private open(): void {
    if (this.disposed) return;
    // Acks count per connection: the server starts a new tally for each client.
    const acks = new AckCounter(ACK_EVERY_BYTES);
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const socket: SocketControl = this.options.connect(this.options.url(), {
      open: () => {
        if (this.socket !== socket) return;
        this.setState('open');
        for (const bytes of this.typedAhead.splice(0)) socket.send(bytes);
      },
      message: (data) => {
        if (this.socket !== socket) return;
        if (typeof data === 'string') return this.onControl(data);
        const bytes = new Uint8Array(data);
        this.options.write(bytes, () => {
          // Output of a replaced connection must not be acknowledged on the new one.
          if (this.socket !== socket) return;
          const ack = acks.rendered(bytes.byteLength);
          if (ack > 0) socket.send(JSON.stringify({ type: 'ack', bytes: ack } satisfies ClientMessage));
        });
      },
      close: (code, reason) => {
        if (this.socket !== socket || this.disposed) return;
        this.socket = null;
        if (isFinalClose(code)) {
          this.typedAhead = [];
          return this.setState('closed', reason || `closed (${code})`);
        }
        this.setState('reconnecting', reason || undefined);
        this.timer = setTimeout(() => this.open(), reconnectDelay(this.attempt++, this.options.random));
      },
    });
    this.socket = socket;
  }

  private onControl(text: string): void {
    const message = parseServerMessage(text);
    if (!message) return;
    if (message.type === 'attached') {
      this.attempt = 0;
      if (message.replay) this.options.clear();
    } else if (message.type === 'exit') {
      this.setState('exited', message.code === null ? undefined : `exit code ${message.code}`);
    } else if (message.type === 'error') {
      this.options.onServerError?.(message.message);
    }
  }
}

/** The browser's WebSocket behind SocketFactory. */
export const browserSocket: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => handlers.open();
  ws.onmessage = (event: MessageEvent<string | ArrayBuffer>) => handlers.message(event.data);
  ws.onclose = (event) => handlers.close(event.code, event.reason);
  return {
    send: (data) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(data);
    },
    close: (code, reason) => ws.close(code, reason),
  };
};
