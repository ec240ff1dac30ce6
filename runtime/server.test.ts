/**
 * The whole server in-process, restarted: a learner's session, shell state
 * and step progress survive a server restart (re-adoption from SQLite and the
 * sandboxes that kept running).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from './config/config';
import { startServer } from './server';

const skip = !existsSync('.next/BUILD_ID') ? 'the web app is not built (npm test builds it first)' : !existsSync('/usr/bin/bwrap') ? 'bubblewrap is not installed' : undefined;

test('a session, its files and its progress survive a server restart', { skip, timeout: 120_000 }, async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'labdock-server-'));
  const config = loadConfig({ LABDOCK_SERVER_PORT: '0', LABDOCK_SERVER_HOST: '127.0.0.1', LABDOCK_DATA_DIR: dataDir });
  let server = await startServer(config, { log: () => undefined });
  let session: { id: string; token: string } | null = null;
  t.after(async () => {
    if (session) await fetch(`${server.url}/api/sessions/${session.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${session.token}` } }).catch(() => undefined);
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const call = (method: string, url: string, body?: unknown) => fetch(`${server.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${session?.token ?? ''}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

  const created = await call('POST', '/api/sessions', { lab: 'intro' });
  assert.equal(created.status, 201);
  session = (await created.json()) as { id: string; token: string };
  assert.equal((await call('POST', `/api/sessions/${session.id}/steps/terminal/solve`)).status, 200);
  assert.deepEqual(await (await call('POST', `/api/sessions/${session.id}/steps/terminal/check`)).json(), { passed: true, message: 'Done.' });
  await call('POST', `/api/sessions/${session.id}/exec`, { node: 'node1', command: 'echo before-restart > ~/notes/mark' });

  await server.close();
  server = await startServer({ ...config, server: { ...config.server, port: 0 } }, { log: () => undefined });

  const view = (await (await call('GET', `/api/sessions/${session.id}`)).json()) as { status: string; steps: { id: string; passed: boolean }[] };
  assert.equal(view.status, 'ready');
  assert.deepEqual(view.steps.map((s) => [s.id, s.passed]), [['terminal', true]]);
  const exec = (await (await call('POST', `/api/sessions/${session.id}/exec`, { node: 'node1', command: 'cat ~/notes/mark' })).json()) as { output: string };
  assert.equal(exec.output, 'before-restart\n');
});

test('without a Docker engine the server still starts: local labs run, the catalog names the labs that need Docker', { skip, timeout: 120_000 }, async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'labdock-nodocker-'));
  const config = loadConfig({ LABDOCK_SERVER_PORT: '0', LABDOCK_SERVER_HOST: '127.0.0.1', LABDOCK_DATA_DIR: dataDir, LABDOCK_DOCKER_SOCKET_PATH: path.join(dataDir, 'no-such.sock') });
  const server = await startServer(config, { log: () => undefined });
  t.after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const health = (await (await fetch(`${server.url}/api/health`)).json()) as { engine: { docker: boolean; local: boolean } };
  assert.deepEqual([health.engine.docker, health.engine.local], [false, true]);
  const page = await (await fetch(`${server.url}/`)).text();
  assert.match(page, /data-testid="engine-banner"/);
  assert.match(page, /Unavailable here: .*Two Docker nodes/);
  const docker = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lab: 'two-nodes' }) });
  assert.equal(docker.status, 503);
  assert.match(((await docker.json()) as { error: string }).error, /needs a Docker engine/);
  const local = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lab: 'intro' }) });
  assert.equal(local.status, 201);
  const s = (await local.json()) as { id: string; token: string; status: string };
  assert.equal(s.status, 'ready');
  await fetch(`${server.url}/api/sessions/${s.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } });
});
