/**
 * Instructor sign-in through better-auth's real handler over a real migrated
 * SQLite database: admin from the environment, scrypt hashes, cookies, CSRF
 * (Origin) refusal, no public sign-up, wrong passwords refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openTestDatabase } from '../db/test-database';
import { loadConfig } from '../config/config';
import { createAuth } from './create-auth';
import { instructorOf } from './instructor-of';
import { createAccount, ensureAdmin } from './ensure-admin';

const BASE = 'http://labdock.test';

async function setup(t: import('node:test').TestContext) {
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-auth-'));
  const db = await openTestDatabase(t, dir);
  t.after(async () => {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });
  const config = loadConfig({ LABDOCK_AUTH_BASE_URL: BASE, LABDOCK_DATA_DIR: dir });
  const auth = createAuth({ db, secret: 'x'.repeat(40), config, publicOrigins: [BASE] });
  return { db, auth };
}

const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`${BASE}/api/auth${p}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: BASE, ...headers }, body: JSON.stringify(body) });

test('the first admin comes from the environment, once; its password is stored as a scrypt hash', async (t) => {
  const { db, auth } = await setup(t);
  assert.match(await ensureAdmin(auth, db, {}) ?? '', /LABDOCK_ADMIN_EMAIL/);
  const env = { LABDOCK_ADMIN_EMAIL: 'Boss@Example.org', LABDOCK_ADMIN_PASSWORD: 'correct horse battery' };
  assert.match(await ensureAdmin(auth, db, env) ?? '', /created the admin account boss@example.org/);
  assert.equal(await ensureAdmin(auth, db, env), null, 'a second start does nothing');
  const account = await db.account.findFirstOrThrow({ where: { providerId: 'credential' } });
  assert.ok(account.password && !account.password.includes('correct horse'));
  assert.match(account.password!, /^[0-9a-f]{32}:[0-9a-f]+$/, 'salt:scrypt-key, not a fast hash');
  await assert.rejects(createAccount(auth, { email: 'boss@example.org', password: 'another long one', role: 'admin' }), /already exists/);
  await assert.rejects(createAccount(auth, { email: 'x@example.org', password: 'short', role: 'instructor' }), /12 characters/);
});

test('sign-in sets an HttpOnly cookie that identifies the instructor; wrong passwords, sign-up and other origins are refused', async (t) => {
  const { auth } = await setup(t);
  await createAccount(auth, { email: 'ada@example.org', password: 'analytical engine', role: 'instructor', name: 'Ada' });

  const wrong = await auth.handler(post('/sign-in/email', { email: 'ada@example.org', password: 'difference engine' }));
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers.get('set-cookie'), null);

  const signUp = await auth.handler(post('/sign-up/email', { email: 'eve@example.org', password: 'let me in please', name: 'Eve' }));
  assert.ok(signUp.status >= 400, `public sign-up is off (got ${signUp.status})`);

  const forged = await auth.handler(post('/sign-in/email', { email: 'ada@example.org', password: 'analytical engine' }, { origin: 'http://evil.test', cookie: 'labdock.x=1' }));
  assert.equal(forged.status, 403, 'a cross-origin form post is refused');

  const ok = await auth.handler(post('/sign-in/email', { email: 'ada@example.org', password: 'analytical engine' }));
  assert.equal(ok.status, 200);
  const cookie = ok.headers.get('set-cookie') ?? '';
  assert.match(cookie, /labdock\.session_token=/);
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Lax/i);
  const who = await instructorOf(auth, new Headers({ cookie: cookie.split(';')[0] }));
  assert.deepEqual(who && { email: who.email, role: who.role }, { email: 'ada@example.org', role: 'instructor' });
  assert.equal(await instructorOf(auth, new Headers({ cookie: 'labdock.session_token=forged.value' })), null);
});

test('the sign-in rate limit counts each client address on its own', async (t) => {
  const { auth } = await setup(t);
  const from = (address: string) => post('/sign-in/email', { email: 'nobody@example.org', password: 'guessing it now' }, { 'x-labdock-client-address': address });
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) statuses.push((await auth.handler(from('203.0.113.7'))).status);
  assert.equal(statuses.at(-1), 429, `the eleventh try in a minute from one address is refused (${statuses.join(',')})`);
  assert.equal((await auth.handler(from('203.0.113.8'))).status, 401, 'another address is not locked out by it');
});
