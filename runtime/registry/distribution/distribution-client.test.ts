/**
 * The Distribution client's edges, against loopback servers that misbehave
 * the ways a back end can (the happy paths run against the real Distribution
 * in the control plane's, promotion's and scanning's suites): silence is a
 * timeout, not a hang; an answer that is neither yes nor no is an error, not
 * a "no"; a closed port is unhealthy at once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDistributionClient, MANIFEST_ACCEPT } from './distribution-client';

const seen: http.IncomingHttpHeaders[] = [];
let mode: 'silent' | 'error' | 'missing' | 'ok' = 'ok';
const server = http.createServer((req, res) => {
  seen.push(req.headers);
  if (mode === 'silent') return; // never answers
  if (mode === 'error') return void res.writeHead(500).end('boom');
  if (mode === 'missing') return void res.writeHead(404).end();
  res.writeHead(200, { 'docker-content-digest': 'sha256:abc', 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end('{}');
});
let port = 0;
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

test('a silent back end is a timeout, within the deadline', async () => {
  mode = 'silent';
  const client = createDistributionClient({ host: '127.0.0.1', port }, { timeouts: { requestMs: 300, connectMs: 200 } });
  const t0 = Date.now();
  await assert.rejects(client.tagExists('admin/a', '1'), /no answer within 300 ms/);
  assert.ok(Date.now() - t0 < 2000);
  assert.equal(await client.ping(), false, 'health gives up after the connect timeout');
});

test('tag existence fails closed: only 200 is yes and 404 is no', async () => {
  const client = createDistributionClient({ host: '127.0.0.1', port });
  mode = 'error';
  await assert.rejects(client.tagExists('admin/a', '1'), /500/);
  mode = 'missing';
  assert.equal(await client.tagExists('admin/a', '1'), false);
  mode = 'ok';
  assert.equal(await client.tagExists('admin/a', '1'), true);
  assert.equal(seen.at(-1)?.accept, MANIFEST_ACCEPT, 'every manifest type is asked for');
  const m = await client.manifest('admin/a', '1');
  assert.deepEqual([m.digest, m.contentType, m.body.toString()], ['sha256:abc', 'application/vnd.oci.image.manifest.v1+json', '{}']);
});

test('a closed port is unhealthy at once, and calls reject', async () => {
  const client = createDistributionClient({ host: '127.0.0.1', port: 9 });
  const t0 = Date.now();
  assert.equal(await client.ping(), false);
  await assert.rejects(client.catalog());
  assert.ok(Date.now() - t0 < 1000);
});
