/**
 * better-auth gets a base URL from our configuration, so it never warns
 * "Base URL is not set" at start, and answers only on the hosts we serve.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { betterAuth } from 'better-auth';
import { openDatabase } from '../db/open-database';
import { loadConfig } from '../config/config';
import { createAuth } from './create-auth';
import { authBaseUrl } from './auth-base-url';

/** Everything better-auth writes to the console while `fn` runs. */
async function consoleOf(fn: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const saved = { warn: console.warn, log: console.log, error: console.error, info: console.info };
  for (const k of Object.keys(saved) as (keyof typeof saved)[]) console[k] = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  try {
    await fn();
  } finally {
    Object.assign(console, saved);
  }
  return lines.join('\n');
}

test('the explicit URL wins, then the public origins, then loopback on any port', () => {
  assert.equal(authBaseUrl(loadConfig({ LABDOCK_AUTH_BASE_URL: 'https://a.example.org', LABDOCK_SERVER_PUBLIC_ORIGINS: 'https://b.example.org' })), 'https://a.example.org');
  assert.equal(authBaseUrl(loadConfig({ LABDOCK_SERVER_PUBLIC_ORIGINS: 'https://b.example.org/' })), 'https://b.example.org');
  assert.deepEqual(authBaseUrl(loadConfig({ LABDOCK_SERVER_PUBLIC_ORIGINS: 'https://b.example.org,https://c.example.org:8443' })),
    { allowedHosts: ['b.example.org', 'c.example.org:8443'], fallback: 'https://b.example.org', protocol: 'https' });
  const loopback = authBaseUrl(loadConfig({}));
  assert.ok(typeof loopback === 'object' && loopback.allowedHosts.includes('localhost:*') && loopback.protocol === 'http');
});

test('no "Base URL is not set" warning at start, and requests on loopback still work (an unset URL did warn)', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-auth-url-'));
  const db = await openDatabase(`file:${path.join(dir, 'db.sqlite')}`);
  t.after(async () => {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });
  // The control: better-auth as we configured it before, with no base URL, warns (so this test can see a warning).
  const bare = betterAuth({ secret: 'y'.repeat(40), basePath: '/api/auth', telemetry: { enabled: false } });
  assert.match(await consoleOf(() => bare.$context), /Base URL is not set/);

  for (const env of [{}, { LABDOCK_SERVER_PUBLIC_ORIGINS: 'https://labs.example.org' }, { LABDOCK_SERVER_PUBLIC_ORIGINS: 'https://a.example.org,https://b.example.org' }]) {
    const config = loadConfig({ ...env, LABDOCK_DATA_DIR: dir });
    const auth = createAuth({ db, secret: 'x'.repeat(40), config, publicOrigins: ['http://localhost:4321'] });
    const printed = await consoleOf(() => auth.$context);
    assert.doesNotMatch(printed, /Base URL/, `no warning with ${JSON.stringify(env)}`);
  }
  const auth = createAuth({ db, secret: 'x'.repeat(40), config: loadConfig({ LABDOCK_DATA_DIR: dir }), publicOrigins: ['http://localhost:4321'] });
  const ok = await auth.handler(new Request('http://localhost:4321/api/auth/ok', { headers: { host: 'localhost:4321' } }));
  assert.equal(ok.status, 200, 'a loopback host on the port picked at start is served');
});
