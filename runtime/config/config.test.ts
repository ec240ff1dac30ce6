import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, ConfigError } from './config';

test('defaults give a working config', () => {
  const c = loadConfig({}, '/srv/labdock');
  assert.equal(c.server.port, 3000);
  assert.equal(c.sessions.ttlMinutes, 120);
  assert.equal(c.sessions.idleMinutes, 30);
  assert.equal(c.dataDir, '/srv/labdock/var');
  assert.equal(c.databaseUrl, 'file:/srv/labdock/var/labdock.db');
});

test('file then environment override defaults', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
  const file = path.join(dir, 'labdock.json');
  writeFileSync(file, JSON.stringify({ server: { port: 4000 }, sessions: { ttlMinutes: 60 } }));
  const c = loadConfig({ LABDOCK_CONFIG: file, LABDOCK_SESSIONS_TTL_MINUTES: '45', LABDOCK_SERVER_ALLOWED_ORIGINS: 'https://a.example, https://b.example' }, dir);
  assert.equal(c.server.port, 4000);
  assert.equal(c.sessions.ttlMinutes, 45);
  assert.deepEqual(c.server.allowedOrigins, ['https://a.example', 'https://b.example']);
});

test('booleans from the environment', () => {
  assert.equal(loadConfig({ LABDOCK_DOCKER_INTERNAL_NETWORKS: 'false' }).docker.internalNetworks, false);
  assert.equal(loadConfig({ LABDOCK_SERVER_SECURE_COOKIES: 'yes' }).server.secureCookies, true);
});

test('a bad value names the variable', () => {
  assert.throws(() => loadConfig({ LABDOCK_SERVER_PORT: 'http' }), (err: unknown) =>
    err instanceof ConfigError && /server\.port \(LABDOCK_SERVER_PORT\)/.test(err.message));
});

test('a missing or malformed file is a clear error', () => {
  assert.throws(() => loadConfig({ LABDOCK_CONFIG: '/nonexistent/x.json' }), /does not exist/);
  const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
  writeFileSync(path.join(dir, 'bad.json'), '{nope');
  assert.throws(() => loadConfig({ LABDOCK_CONFIG: 'bad.json' }, dir), /not valid JSON/);
});

test('the hub upstream must be a URL, or empty for offline lab images', () => {
  assert.equal(loadConfig({}).hub.upstream, '');
  assert.equal(loadConfig({ LABDOCK_HUB_UPSTREAM: 'https://registry-1.docker.io' }).hub.upstream, 'https://registry-1.docker.io');
  assert.throws(() => loadConfig({ LABDOCK_HUB_UPSTREAM: 'docker hub' }), /hub\.upstream \(LABDOCK_HUB_UPSTREAM\)/);
});

test('the database: DATABASE_URL when LABDOCK_DATABASE_URL is not set; anything but SQLite or PostgreSQL is refused', () => {
  const pg = 'postgresql://labdock:pw@db:5432/labdock';
  assert.equal(loadConfig({ DATABASE_URL: pg }, '/srv/labdock').databaseUrl, pg);
  assert.equal(loadConfig({ DATABASE_URL: pg, LABDOCK_DATABASE_URL: 'file:/data/l.db' }, '/srv/labdock').databaseUrl, 'file:/data/l.db');
  assert.equal(loadConfig({ LABDOCK_DATABASE_URL: 'postgres://db/labdock' }, '/srv/labdock').databaseUrl, 'postgres://db/labdock');
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://db/labdock' }, '/srv/labdock'), (err: Error) => err instanceof ConfigError && /DATABASE_URL.*postgresql:\/\//s.test(err.message));
});
