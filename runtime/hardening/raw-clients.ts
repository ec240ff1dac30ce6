/**
 * Clients that misbehave on purpose, below what fetch and ws allow: raw
 * upgrades and hand-made WebSocket frames.
 *
 *   const sock = await rawUpgrade(url, '/foo');            // { status, socket, closed }
 *   await sendFrames(url, '/ws/terminal?…', headers, [FRAMES.rsv1]);  // resolves when the server closes
 */
import { connect, type Socket } from 'node:net';

/** Client frames are masked (RFC 6455 §5.3); a zero mask leaves the payload as written. */
const MASK = Buffer.alloc(4);
const frame = (first: number, payload: Buffer) => Buffer.concat([Buffer.from([first, 0x80 | payload.length]), MASK, payload]);

export const FRAMES = {
  /** RSV1 set without an extension that defines it. */
  rsv1: frame(0xc1, Buffer.from('hi')),
  /** Reserved opcode 3. */
  opcode3: frame(0x83, Buffer.alloc(0)),
  /** A 64-bit length of 2^62. */
  huge: Buffer.concat([Buffer.from([0x82, 0xff, 0x40, 0, 0, 0, 0, 0, 0, 0]), MASK]),
  /** 2 MiB announced: past the 1 MiB message limit. */
  oversize: Buffer.concat([Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 0x20, 0, 0]), MASK, Buffer.alloc(64 * 1024)]),
  /** A text frame that is not UTF-8. */
  badUtf8: frame(0x81, Buffer.from([0xc3, 0x28, 0xa0, 0xa1])),
} as const;

export interface RawAnswer {
  status: number;
  /** Resolves when the server closed the connection; rejects after timeoutMs. */
  closed: Promise<void>;
  socket: Socket;
}

export function rawUpgrade(base: string, path: string, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let buffered = '';
    let answered = false;
    const closed = new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`server left ${path} open for ${timeoutMs} ms`)), timeoutMs);
      socket.once('close', () => (clearTimeout(timer), res()));
    });
    closed.catch(() => undefined);
    socket.on('error', () => undefined);
    socket.on('data', (d) => {
      if (answered) return;
      buffered += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(buffered);
      if (m && buffered.includes('\r\n\r\n')) {
        answered = true;
        resolve({ status: Number(m[1]), closed, socket });
      }
    });
    socket.once('close', () => !answered && reject(new Error(`no answer to the upgrade of ${path}`)));
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
      + `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`);
  });
}

/** Upgrades, sends the frames, and resolves once the server has closed the socket. */
export async function sendFrames(base: string, path: string, headers: Record<string, string>, frames: Buffer[], timeoutMs = 5000): Promise<number> {
  const answer = await rawUpgrade(base, path, headers, timeoutMs);
  if (answer.status === 101) for (const f of frames) answer.socket.write(f);
  await answer.closed;
  return answer.status;
}

/**
 * A request that announces a large body and sends only its first bytes: the
 * status the server answers on the headers alone (a refusal before reading),
 * without fetch's EPIPE when the server closes before the body is written.
 */
export function announcedBody(base: string, path: string, headers: Record<string, string>, length: number, timeoutMs = 5000): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    const timer = setTimeout(() => (socket.destroy(), reject(new Error('no answer to an announced body'))), timeoutMs);
    socket.on('connect', () => {
      const lines = Object.entries({ host: `${hostname}:${port}`, 'content-length': String(length), ...headers }).map(([k, v]) => `${k}: ${v}`);
      socket.write(`POST ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
      socket.write(Buffer.alloc(1024, 0x20));
    });
    socket.on('data', (d) => {
      text += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (m) {
        clearTimeout(timer);
        socket.destroy();
        resolve(Number(m[1]));
      }
    });
    socket.on('error', () => undefined);
  });
}
