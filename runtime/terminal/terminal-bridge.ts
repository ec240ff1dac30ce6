/**
 * The WebSocket end of the terminals: `/ws/terminal?session=<id>&node=<name>`.
 * Checks the Origin, requires the session's token (cookie or bearer), then
 * joins the socket to the node's shell in the TerminalHub.
 *
 *   const bridge = createTerminalBridge({ hub, sessions, allowedOrigins: [] });
 *   server.on('upgrade', (req, socket, head) => bridge.handles(req) ? bridge.upgrade(req, socket, head) : next(req, socket, head));
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { CLOSE, TERMINAL_PATH, parseClientMessage, type ServerMessage } from './protocol';
import type { TerminalHub } from './terminal-hub';
import { originAllowed, presentedToken } from '../http/auth';
import type { SessionService } from '../sessions/session-service';

export interface TerminalBridgeOptions {
  hub: TerminalHub;
  sessions: Pick<SessionService, 'authorize' | 'touch'>;
  allowedOrigins: string[];
  log?: (message: string) => void;
}

/** Dead connections (a laptop lid closed) are noticed within two of these. */
const HEARTBEAT_MS = 30_000;
/** Keystrokes and pastes; anything larger is not a terminal talking. */
const MAX_FRAME_BYTES = 1024 * 1024;

export function createTerminalBridge(options: TerminalBridgeOptions) {
  const { hub, sessions, allowedOrigins } = options;
  const log = options.log ?? ((m: string) => console.log(`[terminal] ${m}`));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  function reject(socket: Duplex, status: number, text: string) {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  return {
    handles(req: IncomingMessage): boolean {
      return (req.url ?? '').split('?')[0] === TERMINAL_PATH;
    },

    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const sessionId = url.searchParams.get('session') ?? '';
      const node = url.searchParams.get('node') ?? '';
      const header = (name: string) => req.headers[name] as string | undefined;
      const token = presentedToken(header, sessionId);
      const origin = req.headers.origin;
      // Browsers always send Origin; a cookie without an acceptable one is cross-site WebSocket hijacking.
      if (origin ? !originAllowed(origin, req.headers.host, allowedOrigins) : token?.via !== 'bearer') {
        log(`refused terminal from origin ${origin ?? '(none)'}`);
        return reject(socket, 403, 'Forbidden');
      }
      wss.handleUpgrade(req, socket, head, (ws) => void accept(ws, sessionId, node, token, url));
    },

    close(): void {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      wss.close();
    },
  };

  async function accept(ws: WebSocket, sessionId: string, node: string, token: ReturnType<typeof presentedToken>, url: URL) {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    const control = (m: ServerMessage) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(m));
    try {
      const row = await sessions.authorize(sessionId, token);
      // Unknown session and wrong token look the same: another session's id reveals nothing.
      if (!row) return ws.close(CLOSE.unauthorized, 'no such session');
      if (row.status === 'ended' || row.status === 'failed') return ws.close(CLOSE.sessionEnded, `session ${row.status}`);
      if (row.status !== 'ready') return ws.close(1013, 'session is starting');
      if (!row.nodes.some((n) => n.name === node)) return ws.close(CLOSE.notFound, `no node ${node}`);
      const cols = clamp(Number(url.searchParams.get('cols')) || 80);
      const rows = clamp(Number(url.searchParams.get('rows')) || 24);
      // Messages that arrive while the shell is opening are queued, not lost.
      const early: { data: RawData; binary: boolean }[] = [];
      const queue = (data: RawData, binary: boolean) => early.push({ data, binary });
      ws.on('message', queue);
      const client = await hub.attach(sessionId, node, {
        send: (chunk) => ws.readyState === ws.OPEN && ws.send(chunk, { binary: true }),
        sendControl: control,
        close: (code, reason) => ws.close(code, reason),
      }, { cols, rows });
      const onMessage = (data: RawData, binary: boolean) => {
        if (binary) {
          client.input(toBytes(data));
          sessions.touch(sessionId);
          return;
        }
        const message = parseClientMessage(data.toString());
        if (!message) return control({ type: 'error', message: 'malformed control message' });
        if (message.type === 'resize') client.resize(message.cols, message.rows);
        else if (message.type === 'ack') client.ack(message.bytes);
        else control({ type: 'pong' });
      };
      ws.off('message', queue);
      ws.on('message', onMessage);
      for (const m of early) onMessage(m.data, m.binary);
      ws.on('close', () => client.detach());
      if (ws.readyState !== ws.OPEN) client.detach();
    } catch (err) {
      log(`terminal ${sessionId}/${node}: ${(err as Error).message}`);
      control({ type: 'error', message: `could not open a shell: ${(err as Error).message}` });
      ws.close(CLOSE.nodeGone, 'could not open a shell');
    }
  }
}

function clamp(n: number): number {
  return Math.min(1000, Math.max(1, Math.floor(n)));
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

export type TerminalBridge = ReturnType<typeof createTerminalBridge>;
