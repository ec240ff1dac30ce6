import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyTrust, notaryAddress, proxyToNotary } from './trust-route';
import { gateNotary } from './notary-ready';

const GUN = '/v2/dtr.labdock/admin/alpine/_trust';

test('trust paths: repository without the host, and the action each notary request needs', () => {
  assert.equal(classifyTrust('GET', '/v2/admin/alpine/manifests/latest', 'dtr.labdock'), null);
  assert.deepEqual(classifyTrust('GET', `${GUN}/tuf/root.json`, 'dtr.labdock'), { kind: 'trust', gun: 'dtr.labdock/admin/alpine', repository: 'admin/alpine', action: 'pull' });
  const action = (method: string, rest: string) => (classifyTrust(method, `${GUN}/${rest}`, 'dtr.labdock') as { action: string }).action;
  assert.equal(action('GET', 'tuf/targets/releases.json'), 'pull');
  assert.equal(action('HEAD', 'tuf/timestamp.json'), 'pull');
  assert.equal(action('GET', 'changefeed'), 'pull');
  assert.equal(action('POST', 'tuf/'), 'push');
  assert.equal(action('GET', 'tuf/timestamp.key'), 'push', 'fetching a server key may create it');
  assert.equal(action('POST', 'tuf/snapshot.key'), 'manage', 'key rotation is scope *');
  assert.equal(action('DELETE', 'tuf/'), 'manage');
  assert.equal((classifyTrust('GET', `${GUN}/tuf/root.json`, 'dtr.labdock:443') as { kind: string }).kind, 'trust');
});

test('trust paths: another registry\'s GUN, a GUN without host, a bad repository are refused with a reason', () => {
  for (const [path, pattern] of [
    ['/v2/docker.io/library/alpine/_trust/tuf/root.json', /not docker\.io\/library\/alpine/],
    ['/v2/alpine/_trust/tuf/root.json', /dtr\.labdock\/<repository>/],
    ['/v2/dtr.labdock/Admin/alpine/_trust/tuf/root.json', /account name "Admin"/],
    ['/v2/dtr.labdock/alpine/_trust/tuf/root.json', /<namespace>\/<repository>/],
  ] as const) {
    const r = classifyTrust('GET', path, 'dtr.labdock');
    assert.equal(r?.kind, 'trust-invalid', path);
    assert.match((r as { problem: string }).problem, pattern);
  }
});

test('notaryAddress: from LABDOCK_NOTARY_URL, absent when unset', () => {
  assert.deepEqual(notaryAddress('http://127.0.0.1:4443'), { host: '127.0.0.1', port: 4443 });
  assert.equal(notaryAddress(undefined), undefined);
  assert.equal(notaryAddress(''), undefined);
});

/** A notary-server stand-in that is not listening yet: its port is reserved, then served after `delayMs`. */
async function lateNotary(delayMs: number, onRequest: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const server = http.createServer(onRequest);
  const timer = setTimeout(() => server.listen(port, '127.0.0.1'), delayMs);
  return { port, close: () => { clearTimeout(timer); server.close(); } };
}

test('a trust request that arrives before notary-server is up waits for it, then is answered by it', async () => {
  const seen: string[] = [];
  const notary = await lateNotary(400, (req, res) => {
    seen.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end(req.url === '/_notary_server/health' ? '{}' : '{"signed":{}}');
  });
  const front = http.createServer((req, res) => void proxyToNotary(req, res, new URL(req.url ?? '/', 'http://x'), gateNotary({ host: '127.0.0.1', port: notary.port }, { intervalMs: 50 }), () => undefined));
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  try {
    const started = Date.now();
    const res = await fetch(`http://127.0.0.1:${(front.address() as AddressInfo).port}/v2/dtr.labdock/admin/alpine/_trust/tuf/root.json`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { signed: {} });
    assert.ok(Date.now() - started >= 350, 'answered only once notary-server listened');
    assert.equal(seen.at(-1), '/v2/dtr.labdock/admin/alpine/_trust/tuf/root.json');
  } finally {
    front.close();
    notary.close();
  }
});

test('a notary-server that never comes up: the trust request gets a 503 that says so, and the next request waits afresh', async () => {
  const notary = await lateNotary(60_000, () => undefined);
  const gate = gateNotary({ host: '127.0.0.1', port: notary.port }, { startTimeoutMs: 300, intervalMs: 50 });
  const logged: string[] = [];
  const front = http.createServer((req, res) => void proxyToNotary(req, res, new URL(req.url ?? '/', 'http://x'), gate, (m) => logged.push(m)));
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}/v2/dtr.labdock/admin/alpine/_trust/tuf/root.json`;
    const res = await fetch(url);
    assert.equal(res.status, 503);
    const body = (await res.json()) as { errors: { code: string; message: string }[] };
    assert.equal(body.errors[0].code, 'UNAVAILABLE');
    assert.match(body.errors[0].message, /trust server did not start/);
    assert.match(logged.join('\n'), /did not start/);
    const started = Date.now();
    assert.equal((await fetch(url)).status, 503);
    assert.ok(Date.now() - started >= 250, 'a second request is not refused from a remembered failure');
  } finally {
    front.close();
    notary.close();
  }
});
