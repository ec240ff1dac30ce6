/**
 * TerminalConnection against a real `ws` server on a random port: the same
 * frames the labdock terminal bridge sends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { ACK_EVERY_BYTES, CLOSE } from '@/runtime/terminal/protocol';
import { TerminalConnection, type ConnectionState, type SocketFactory } from './terminal-connection';

/** The `ws` client behind SocketFactory, as browserSocket wraps the browser's. */
const wsSocket: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  ws.on('open', () => handlers.open());
  ws.on('message', (data: RawData, isBinary: boolean) => handlers.message(isBinary ? (data as ArrayBuffer) : data.toString()));
  ws.on('close', (code, reason) => handlers.close(code, reason.toString()));
  ws.on('error', () => undefined);
  return {
    send: (data) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(data);
    },
    close: (code, reason) => ws.close(code, reason),
  };
};

interface Peer {
  ws: WebSocket;
  url: string;
  /** Frames from the client: text as parsed JSON, binary as a string. */
  frames: unknown[];
}

async function harness(t: { after(fn: () => unknown): void }) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
  const peers: Peer[] = [];
  const waiting: ((p: Peer) => void)[] = [];
  server.on('connection', (ws, req) => {
    const peer: Peer = { ws, url: req.url ?? '', frames: [] };
    ws.on('message', (data: RawData, binary: boolean) => peer.frames.push(binary ? `bin:${data.toString()}` : JSON.parse(data.toString())));
    peers.push(peer);
    waiting.shift()?.(peer);
  });
  const nextPeer = (): Promise<Peer> => new Promise((resolve) => waiting.push(resolve));
  const written: string[] = [];
  const states: ConnectionState[] = [];
  let clears = 0;
  const conn = new TerminalConnection({
    url: () => `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/terminal?cols=80&rows=24`,
    connect: wsSocket,
    write: (bytes, done) => {
      written.push(Buffer.from(bytes).toString());
      done();
    },
    clear: () => {
      clears++;
      written.length = 0;
    },
    onState: (s) => states.push(s),
    random: () => 0, // shortest jitter keeps the test fast
  });
  t.after(async () => {
    conn.dispose();
    for (const p of peers) p.ws.terminate();
    server.close();
  });
  return { conn, nextPeer, written, states, clears: () => clears };
}

const until = async (what: string, ok: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('renders output, replays after a clear, acknowledges in batches, sends input and resize', async (t) => {
  const h = await harness(t);
  const peerP = h.nextPeer();
  h.conn.start();
  assert.equal(h.conn.input('typed ahead\r'), true, 'keys typed while connecting are held');
  const peer = await peerP;
  assert.match(peer.url, /cols=80&rows=24/);
  await until('typed-ahead keys', () => peer.frames.length === 1);
  assert.deepEqual(peer.frames.shift(), 'bin:typed ahead\r');
  await until('open', () => h.conn.state === 'open');

  peer.ws.send(JSON.stringify({ type: 'attached', node: 'node1', replay: true }));
  peer.ws.send(Buffer.from('old history\r\n'));
  await until('replay', () => h.written.join('') === 'old history\r\n');
  assert.equal(h.clears(), 1, 'the screen is cleared before a replay');

  const chunk = Buffer.alloc(ACK_EVERY_BYTES / 2, 'x');
  peer.ws.send(chunk);
  peer.ws.send(chunk);
  peer.ws.send(chunk);
  await until('ack', () => peer.frames.some((f) => (f as { type?: string }).type === 'ack'));
  const acks = peer.frames.filter((f) => (f as { type?: string }).type === 'ack');
  assert.deepEqual(acks, [{ type: 'ack', bytes: ACK_EVERY_BYTES + 'old history\r\n'.length }]);

  assert.equal(h.conn.input('ls\r'), true);
  h.conn.resize(120, 40);
  await until('input and resize', () => peer.frames.length >= 3);
  assert.deepEqual(peer.frames.slice(1), ['bin:ls\r', { type: 'resize', cols: 120, rows: 40 }]);
});

test('a dropped connection reconnects; a final close code does not', async (t) => {
  const h = await harness(t);
  let peerP = h.nextPeer();
  h.conn.start();
  let peer = await peerP;
  await until('open', () => h.conn.state === 'open');

  peerP = h.nextPeer();
  peer.ws.terminate(); // like a server restart: 1006, no close frame
  peer = await peerP;
  await until('reopen', () => h.conn.state === 'open');
  assert.ok(h.states.includes('reconnecting'));

  peer.ws.close(CLOSE.sessionEnded, 'session ended or reset');
  await until('closed', () => h.conn.state === 'closed');
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(h.conn.state, 'closed', 'no reconnect after a final close');
  assert.equal(h.conn.input('x'), false);
});

test('typing ahead is bounded', async (t) => {
  const h = await harness(t);
  h.conn.start();
  assert.equal(h.conn.input('x'.repeat(4000)), true);
  assert.equal(h.conn.input('y'.repeat(200)), false, 'beyond 4 KiB held, keys are refused rather than queued without end');
});

test('after the shell exits, restart opens a new connection and closes the old one', async (t) => {
  const h = await harness(t);
  let peerP = h.nextPeer();
  h.conn.start();
  const first = await peerP;
  await until('open', () => h.conn.state === 'open');
  first.ws.send(JSON.stringify({ type: 'exit', code: 0 }));
  await until('exited', () => h.conn.state === 'exited');
  assert.equal(h.conn.input('\r'), false, 'keys go nowhere while the shell is gone');

  const closed = once(first.ws, 'close');
  peerP = h.nextPeer();
  h.conn.restart();
  const second = await peerP;
  const [code] = await closed;
  assert.equal(code, 1000);
  await until('open again', () => h.conn.state === 'open');
  second.ws.send(JSON.stringify({ type: 'attached', node: 'node1', replay: false }));
  second.ws.send(Buffer.from('$ '));
  await until('prompt', () => h.written.at(-1) === '$ ');
  assert.equal(h.clears(), 0, 'a fresh shell keeps what was on screen');
});

test('dispose closes the socket and never reconnects', async (t) => {
  const h = await harness(t);
  const peerP = h.nextPeer();
  h.conn.start();
  const peer = await peerP;
  await until('open', () => h.conn.state === 'open');
  const closed = once(peer.ws, 'close');
  let reconnected = false;
  void h.nextPeer().then(() => (reconnected = true));
  h.conn.dispose();
  await closed;
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(reconnected, false);
});
