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
  /** The origins browsers may open terminals from (publicOriginsFor). */
  publicOrigins: readonly string[];
  /** Terminal sockets open at once per session (all nodes and tabs). */
  maxPerSession?: number;
  /** Largest message accepted: keystrokes and pastes; anything larger is not a terminal talking. */
  maxMessageBytes?: number;
  log?: (message: string) => void;
}

/** Dead connections (a laptop lid closed) are noticed within two of these. */
const HEARTBEAT_MS = 30_000;
/** RFC 6455 §5.5: a close frame's payload is at most 125 bytes, 2 of them the code. */
const MAX_CLOSE_REASON_BYTES = 123;

/** A close reason that fits its frame, cut on a character boundary (a 4000-character node name must not break the close). */
export function closeReason(text: string): string {
  if (Buffer.byteLength(text) <= MAX_CLOSE_REASON_BYTES) return text;
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch + '…') > MAX_CLOSE_REASON_BYTES) break;
    out += ch;
  }
  return out + '…';
}

export function createTerminalBridge(options: TerminalBridgeOptions) {
  const { hub, sessions, publicOrigins } = options;
  const maxPerSession = options.maxPerSession ?? 12;
  const log = options.log ?? ((m: string) => console.log(`[terminal] ${m}`));
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 1024 * 1024, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();
  const perSession = new Map<string, number>();
  // Handshake errors ws reports instead of throwing: answer and drop the socket, nothing else.
  wss.on('wsClientError', (err, socket) => {
    log(`bad terminal handshake: ${err.message}`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', () => socket.destroy());
    else socket.destroy();
  });

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
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
  }

  return {
    handles(req: IncomingMessage): boolean {
      return (req.url ?? '').split('?')[0] === TERMINAL_PATH;
    },

    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      try {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const sessionId = url.searchParams.get('session') ?? '';
        const node = url.searchParams.get('node') ?? '';
        const header = (name: string) => req.headers[name] as string | undefined;
        const token = presentedToken(header, sessionId);
        const origin = req.headers.origin;
        // Browsers always send Origin; a cookie without an acceptable one is cross-site WebSocket hijacking.
        if (origin ? !originAllowed(origin, publicOrigins) : token?.via !== 'bearer') {
          log(`refused terminal from origin ${JSON.stringify(origin ?? '(none)').slice(0, 100)}`);
          return reject(socket, 403, 'Forbidden');
        }
        wss.handleUpgrade(req, socket, head, (ws) => {
          // Before anything else: a bad frame (RSV1, opcode 3, 2^62 length, broken UTF-8, oversize) is
          // reported here and the socket closed by ws — never an uncaught exception.
          ws.on('error', (err) => {
            log(`terminal socket ${sessionId.slice(0, 12)}: ${err.message}`);
            ws.terminate();
          });
          void accept(ws, sessionId, node, token, url);
        });
      } catch (err) {
        log(`terminal upgrade refused: ${(err as Error).message}`);
        reject(socket, 400, 'Bad Request');
      }
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
    const close = (code: number, reason: string) => ws.close(code, closeReason(reason));
    try {
      const row = await sessions.authorize(sessionId, token);
      // Unknown session and wrong token look the same: another session's id reveals nothing.
      if (!row) return close(CLOSE.unauthorized, 'no such session');
      if (row.status === 'ended' || row.status === 'failed') return close(CLOSE.sessionEnded, `session ${row.status}`);
      if (row.status === 'paused') return close(1013, 'session is paused: resume it first');
      if (row.status !== 'ready') return close(1013, 'session is starting');
      if (!row.nodes.some((n) => n.name === node)) return close(CLOSE.notFound, `no node ${node}`);
      if (ws.readyState !== ws.OPEN) return;
      if ((perSession.get(sessionId) ?? 0) >= maxPerSession) return close(1013, `at most ${maxPerSession} terminals per session: close a tab`);
      perSession.set(sessionId, (perSession.get(sessionId) ?? 0) + 1);
      ws.once('close', () => {
        const n = (perSession.get(sessionId) ?? 1) - 1;
        if (n > 0) perSession.set(sessionId, n);
        else perSession.delete(sessionId);
      });
      const cols = clamp(Number(url.searchParams.get('cols')) || 80);
      const rows = clamp(Number(url.searchParams.get('rows')) || 24);
      // Messages that arrive while the shell is opening are queued, not lost.
      const early: { data: RawData; binary: boolean }[] = [];
      const queue = (data: RawData, binary: boolean) => early.push({ data, binary });
      ws.on('message', queue);
      const client = await hub.attach(sessionId, node, {
        send: (chunk) => ws.readyState === ws.OPEN && ws.send(chunk, { binary: true }),
        sendControl: control,
        close: (code, reason) => close(code, reason),
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
      log(`terminal ${sessionId}/${node.slice(0, 64)}: ${(err as Error).message}`);
      control({ type: 'error', message: `could not open a shell: ${(err as Error).message}` });
      close(CLOSE.nodeGone, 'could not open a shell');
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
