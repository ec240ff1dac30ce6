/**
 * Watching an attendee's terminal: `/ws/watch?session=<id>&node=<name>`, a
 * read-only mirror for the instructor of that session's workshop. The socket
 * gets the shell's scrollback and live output; it may only acknowledge
 * output and ping (keys and resizes are refused in the hub itself). Who is
 * being watched is reported, so the attendee's player can say so — it is
 * their shell.
 *
 *   const watch = createWatchBridge({ hub, authorize, allowedOrigins, onWatchers });
 *   server.on('upgrade', (req, s, h) => watch.handles(req) ? watch.upgrade(req, s, h) : …);
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE, parseClientMessage, type ServerMessage } from '../../terminal/protocol';
import type { TerminalHub } from '../../terminal/terminal-hub';
import { originAllowed } from '../../http/auth';

export const WATCH_PATH = '/ws/watch';

export interface WatchBridgeOptions {
  hub: Pick<TerminalHub, 'attach'>;
  /** Null unless the request's instructor may view the workshop this session belongs to and the session is ready with that node. */
  authorize(headers: Headers, sessionId: string, node: string): Promise<{ ok: true } | { ok: false; code: number; reason: string }>;
  /** The server's public origins (server.publicOrigins, or loopback): never the request's own Host. */
  allowedOrigins: readonly string[];
  /** The number of watchers of a session changed. */
  onWatchers(sessionId: string, count: number): void;
  log?: (message: string) => void;
}

export function createWatchBridge(options: WatchBridgeOptions) {
  const log = options.log ?? (() => undefined);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  const watchers = new Map<string, number>();
  const count = (sessionId: string, delta: number) => {
    const n = Math.max(0, (watchers.get(sessionId) ?? 0) + delta);
    if (n) watchers.set(sessionId, n);
    else watchers.delete(sessionId);
    options.onWatchers(sessionId, n);
  };

  async function accept(ws: WebSocket, req: IncomingMessage, sessionId: string, node: string) {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const control = (m: ServerMessage) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(m));
    try {
      const allowed = await options.authorize(headers, sessionId, node);
      if (!allowed.ok) return ws.close(allowed.code, allowed.reason);
      const client = await options.hub.attach(sessionId, node, {
        send: (chunk) => ws.readyState === ws.OPEN && ws.send(chunk, { binary: true }),
        sendControl: control,
        close: (code, reason) => ws.close(code, reason),
      }, { cols: 80, rows: 24 }, { watcher: true });
      count(sessionId, +1);
      ws.on('message', (data, binary) => {
        if (binary) return control({ type: 'error', message: 'this terminal is read-only' });
        const m = parseClientMessage(data.toString());
        if (m?.type === 'ack') client.ack(m.bytes);
        else if (m?.type === 'ping') control({ type: 'pong' });
      });
      ws.on('close', () => {
        client.detach();
        count(sessionId, -1);
      });
    } catch (err) {
      log(`watch ${sessionId}/${node}: ${(err as Error).message}`);
      ws.close(CLOSE.nodeGone, 'could not open a shell');
    }
  }

  return {
    handles: (req: IncomingMessage) => (req.url ?? '').split('?')[0] === WATCH_PATH,
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      const url = new URL(req.url ?? '/', 'http://localhost');
      // Instructors authenticate by cookie: only our own pages may open this socket.
      if (!originAllowed(req.headers.origin, options.allowedOrigins)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => void accept(ws, req, url.searchParams.get('session') ?? '', url.searchParams.get('node') ?? ''));
    },
    watching: (sessionId: string) => (watchers.get(sessionId) ?? 0) > 0,
    close(): void {
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      wss.close();
    },
  };
}

export type WatchBridge = ReturnType<typeof createWatchBridge>;
