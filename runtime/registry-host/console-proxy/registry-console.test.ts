/**
 * The console proxy against real TLS servers made with real session PKIs
 * (openssl): it reaches a registry only through that session's CA and the
 * registry's hostname, passes status and JSON through, forwards the
 * learner's registry credentials, refuses what the allow-list refuses before
 * connecting, and never hangs. The docker provisioner's side (the node's
 * address and CA) is exercised on a real engine in console-proxy.engine.test.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSessionPki, type SessionPki } from '../session-pki';
import { REGISTRY_CA_ENV } from '../start-registry';
import type { Provisioner } from '../../provisioner/provisioner';
import { createRegistryConsole, type ConsoleSession } from './registry-console';

interface Seen { method?: string; url?: string; host?: string; authorization?: string; body: string }

let pkiA: SessionPki;
let pkiB: SessionPki;
let server: Server;
let silent: Server;
let port = 0;
let silentPort = 0;
let seen: Seen = { body: '' };

before(async () => {
  [pkiA, pkiB] = await Promise.all([createSessionPki('dtr.labdock'), createSessionPki('dtr.labdock')]);
  server = createServer({ cert: pkiA.cert, key: pkiA.key }, (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen = { method: req.method, url: req.url, host: req.headers.host, authorization: req.headers.authorization, body };
      if (req.url === '/api/v0/text') {
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('404 page not found\n');
      }
      if (!req.headers.authorization) {
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="x"' });
        return res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      }
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, method: req.method }));
    });
  });
  // Accepts TLS and then never answers: the console must give up on its own.
  silent = createServer({ cert: pkiA.cert, key: pkiA.key }, () => undefined);
  await Promise.all([server, silent].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
  port = (server.address() as AddressInfo).port;
  silentPort = (silent.address() as AddressInfo).port;
});

after(() => {
  server?.closeAllConnections();
  silent?.closeAllConnections();
  server?.close();
  silent?.close();
});

/** A provisioner whose registry node is the local TLS server, carrying the given CA. */
function provisionerWith(env: Record<string, string>): Provisioner {
  return { kind: 'docker', nodeEndpoint: async () => ({ address: '127.0.0.1', env }) } as unknown as Provisioner;
}

const session: ConsoleSession = { id: 'a1b2c3d4e5f6', status: 'ready', provisioner: 'docker', vars: JSON.stringify({ 'registry.hostname': 'dtr.labdock' }) };
const basic = `Basic ${Buffer.from('admin:secret-password').toString('base64')}`;
const consoleFor = (env: Record<string, string>, p = port, timeoutMs = 5_000) =>
  createRegistryConsole({ provisioners: { docker: provisionerWith(env) }, timeoutMs, registryPort: p });

test('forwards to the registry with its hostname, the learner credentials and the body; status and JSON pass through', async () => {
  const c = consoleFor({ [REGISTRY_CA_ENV]: pkiA.caCert });
  const answer = await c.forward(session, { method: 'POST', path: '/api/v0/accounts', search: '', body: '{"type":"organization","name":"engineering"}', authorization: basic });
  assert.deepEqual(answer, { status: 201, body: { ok: true, method: 'POST' } });
  assert.deepEqual(seen, { method: 'POST', url: '/api/v0/accounts', host: 'dtr.labdock', authorization: basic, body: '{"type":"organization","name":"engineering"}' });
});

test('without credentials the registry sees an anonymous request and its 401 comes back as JSON', async () => {
  const answer = await consoleFor({ [REGISTRY_CA_ENV]: pkiA.caCert }).forward(session, { method: 'GET', path: '/api/v0/repositories', search: '' });
  assert.equal(answer.status, 401);
  assert.deepEqual(answer.body, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
  assert.equal(seen.authorization, undefined);
});

test('a plain-text registry answer becomes {error}', async () => {
  const answer = await consoleFor({ [REGISTRY_CA_ENV]: pkiA.caCert }).forward(session, { method: 'GET', path: '/api/v0/text', search: '', authorization: basic });
  assert.deepEqual(answer, { status: 404, body: { error: '404 page not found' } });
});

test("another session's CA does not verify this registry: 502, and the credentials are never sent", async () => {
  seen = { body: '' };
  await assert.rejects(
    consoleFor({ [REGISTRY_CA_ENV]: pkiB.caCert }).forward(session, { method: 'GET', path: '/api/v0/repositories', search: '', authorization: basic }),
    (err: { status: number; message: string }) => err.status === 502 && /not the one this session's CA issued/.test(err.message),
  );
  assert.deepEqual(seen, { body: '' }, 'the server must not have received a request');
});

test('a node without its CA in its environment is not contacted (fail closed)', async () => {
  await assert.rejects(consoleFor({}).forward(session, { method: 'GET', path: '/api/v0/repositories', search: '' }),
    (err: { status: number; message: string }) => err.status === 502 && /reset the session/.test(err.message));
});

test('a registry that never answers: 504 within the timeout', async () => {
  const started = Date.now();
  await assert.rejects(consoleFor({ [REGISTRY_CA_ENV]: pkiA.caCert }, silentPort, 500).forward(session, { method: 'GET', path: '/api/v0/repositories', search: '', authorization: basic }),
    (err: { status: number }) => err.status === 504);
  assert.ok(Date.now() - started < 3_000, 'must give up close to its timeout');
});

test('nothing is forwarded for refused paths, malformed credentials, big bodies, or sessions without a ready registry', async () => {
  const c = consoleFor({ [REGISTRY_CA_ENV]: pkiA.caCert });
  const cases: [ConsoleSession, Parameters<typeof c.forward>[1], number, RegExp][] = [
    [session, { method: 'PUT', path: '/v2/admin/alpine/manifests/1', search: '' }, 400, /only reads/],
    [session, { method: 'GET', path: '/auth/token', search: '' }, 400, /only \/api\/v0/],
    [session, { method: 'GET', path: '/api/v0/repositories', search: '', authorization: 'Basic a b' }, 400, /X-Registry-Authorization/],
    [session, { method: 'GET', path: '/api/v0/repositories', search: '', authorization: 'Digest x' }, 400, /X-Registry-Authorization/],
    [session, { method: 'POST', path: '/api/v0/accounts', search: '', body: 'x'.repeat(70_000) }, 413, /larger than/],
    [{ ...session, status: 'starting' }, { method: 'GET', path: '/api/v0/repositories', search: '' }, 409, /session is starting/],
    [{ ...session, vars: '{}' }, { method: 'GET', path: '/api/v0/repositories', search: '' }, 404, /no registry/],
    [{ ...session, provisioner: 'local' }, { method: 'GET', path: '/api/v0/repositories', search: '' }, 404, /local provisioner runs no registry/],
  ];
  for (const [s, req, status, message] of cases) {
    seen = { body: '' };
    await assert.rejects(c.forward(s, req), (err: { status: number; message: string }) => {
      assert.equal(err.status, status, `${req.method} ${req.path}: ${err.message}`);
      assert.match(err.message, message);
      return true;
    });
    assert.deepEqual(seen, { body: '' }, `${req.method} ${req.path} must not reach the registry`);
  }
});
