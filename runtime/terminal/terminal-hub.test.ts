/**
 * TerminalHub over real shells (local provisioner): one shell per node shared
 * by clients, scrollback replay on reattach, flow control that really pauses a
 * flooding shell, and exit notification.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalProvisioner } from '../provisioner/local/local-provisioner';
import { TerminalHub, type TerminalSink } from './terminal-hub';
import type { ServerMessage } from './protocol';

const skip = existsSync('/usr/bin/bwrap') ? undefined : 'bubblewrap is not installed';

function sink() {
  const state = { text: '', bytes: 0, control: [] as ServerMessage[], closed: null as number | null };
  const s: TerminalSink = {
    send: (chunk) => {
      state.text += Buffer.from(chunk).toString('utf8');
      state.bytes += chunk.length;
    },
    sendControl: (m) => state.control.push(m),
    close: (code) => (state.closed = code),
  };
  return { s, state, waitFor: (re: RegExp) => until(() => re.test(state.text), `output matching ${re}; got:\n${state.text.slice(-500)}`) };
}

async function until(cond: () => boolean, what: string, ms = 10_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function fixture(t: import('node:test').TestContext, watermarks?: { high: number; low: number }) {
  const root = mkdtempSync(path.join(tmpdir(), 'labdock-hub-'));
  const p = createLocalProvisioner({ rootDir: root });
  const id = `th${Math.random().toString(16).slice(2, 8)}`;
  await p.createSession(id);
  await p.createNode(id, { name: 'node1', hostname: 'node1', image: 'node' });
  const hub = new TerminalHub({ open: (s, n, size) => p.openTerminal(s, n, size), highWatermark: watermarks?.high, lowWatermark: watermarks?.low });
  t.after(async () => {
    hub.closeAll(1001, 'test over');
    await p.destroySession(id);
    rmSync(root, { recursive: true, force: true });
  });
  return { hub, id, p };
}

test('clients share one shell; a client that reattaches gets the scrollback first', { skip }, async (t) => {
  const { hub, id } = await fixture(t);
  const a = sink();
  const ca = await hub.attach(id, 'node1', a.s, { cols: 80, rows: 24 });
  assert.deepEqual(a.state.control[0], { type: 'attached', node: 'node1', replay: false });
  ca.input('export SHARED=yes-$((20+22)); echo "set $SHARED"\r');
  await a.waitFor(/set yes-42/);
  ca.detach();

  const b = sink();
  const cb = await hub.attach(id, 'node1', b.s, { cols: 80, rows: 24 });
  assert.deepEqual(b.state.control[0], { type: 'attached', node: 'node1', replay: true });
  assert.match(b.state.text, /set yes-42/, 'replayed history');
  cb.input('echo "still $SHARED"\r');
  await b.waitFor(/still yes-42/);
  assert.equal(hub.size, 1);
});

test('flow control pauses a flooding shell until the client acknowledges', { skip }, async (t) => {
  const high = 64 * 1024;
  const { hub, id } = await fixture(t, { high, low: 16 * 1024 });
  const c = sink();
  const client = await hub.attach(id, 'node1', c.s, { cols: 80, rows: 24 });
  client.input('yes labdock-flood | head -c 20000000; echo FLOOD-DONE\r');
  await until(() => c.state.bytes > high, 'the first burst');
  await new Promise((r) => setTimeout(r, 500));
  const stalled = c.state.bytes;
  await new Promise((r) => setTimeout(r, 500));
  // Paused: at most what was already buffered in flight, far below the 20 MB the shell wants to write.
  assert.ok(c.state.bytes - stalled < 256 * 1024, `kept streaming while unacknowledged: ${c.state.bytes - stalled} bytes`);
  assert.ok(c.state.bytes < 2 * 1024 * 1024, `sent ${c.state.bytes} bytes without acknowledgement`);
  // Acknowledge as a browser would, and everything arrives.
  const pump = setInterval(() => client.ack(c.state.bytes), 5);
  t.after(() => clearInterval(pump));
  await until(() => /FLOOD-DONE/.test(c.state.text.slice(-2000)), 'the flood to finish', 60_000);
  assert.ok(c.state.bytes >= 20_000_000);
});

test('a shell that exits tells its clients; the next attach opens a new one', { skip }, async (t) => {
  const { hub, id } = await fixture(t);
  const c = sink();
  const client = await hub.attach(id, 'node1', c.s, { cols: 80, rows: 24 });
  client.input('exit 7\r');
  await until(() => c.state.control.some((m) => m.type === 'exit'), 'exit message');
  assert.deepEqual(c.state.control.at(-1), { type: 'exit', code: 7 });
  assert.equal(hub.size, 0);
  const d = sink();
  const again = await hub.attach(id, 'node1', d.s, { cols: 80, rows: 24 });
  again.input('echo fresh-shell\r');
  await d.waitFor(/fresh-shell/);
});

test('closeSession disconnects every client of that session', { skip }, async (t) => {
  const { hub, id } = await fixture(t);
  const c = sink();
  await hub.attach(id, 'node1', c.s, { cols: 80, rows: 24 });
  hub.closeSession(id, 4000, 'ended');
  assert.equal(c.state.closed, 4000);
  assert.equal(hub.size, 0);
});

test('a watcher mirrors the shell with its scrollback, cannot type, and never holds the shell back', { skip }, async (t) => {
  const high = 64 * 1024;
  const { hub, id } = await fixture(t, { high, low: 16 * 1024 });
  const learner = sink();
  const lc = await hub.attach(id, 'node1', learner.s, { cols: 80, rows: 24 });
  lc.input('echo "before-$((6*7))"\r');
  await learner.waitFor(/before-42/);

  const watcher = sink();
  const wc = await hub.attach(id, 'node1', watcher.s, { cols: 10, rows: 5 }, { watcher: true });
  assert.match(watcher.state.text, /before-42/, 'the watcher gets the scrollback first');
  wc.input('echo "typed-by-$((1+1))-watcher"\r');
  wc.resize(10, 5);
  lc.input('echo "after-$((6*7))"; stty size\r');
  await watcher.waitFor(/after-42/);
  await learner.waitFor(/24 80/);
  assert.doesNotMatch(learner.state.text, /typed-by-2-watcher/, 'the watcher\'s keys never reach the shell');

  // The watcher never acknowledges: the learner's flood still completes while the learner acks.
  const pump = setInterval(() => lc.ack(learner.state.bytes), 5);
  t.after(() => clearInterval(pump));
  lc.input('yes labdock-flood | head -c 3000000; echo FLOOD-DONE\r');
  await until(() => /FLOOD-DONE/.test(learner.state.text.slice(-2000)), 'the flood to finish despite a stalled watcher', 60_000);
  assert.ok(watcher.state.bytes < 3_000_000, `a stalled watcher is dropped, not buffered (${watcher.state.bytes} bytes)`);
  wc.detach();
});
